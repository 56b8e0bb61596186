// `npm start`: install what is missing, build the SPA if stale, then run the embedded cloud.
// Plain Node up to the install; TypeScript (via tsx) from then on.
import { ensureInstalled } from './ensure-installed.mjs';

ensureInstalled();
const { ensureFrontendBuilt } = await import('./frontend-build.mjs');
await ensureFrontendBuilt();
const { register } = await import('tsx/esm/api');
register();
await import('./main.ts');
