// `npm start`: install what is missing, build the SPA and the server bundle if stale, then run
// the embedded cloud from the bundle. Plain Node: it runs before node_modules can be relied on.
import { pathToFileURL } from 'node:url';
import { ensureInstalled } from './ensure-installed.mjs';

ensureInstalled();
const { ensureFrontendBuilt } = await import('./frontend-build.mjs');
await ensureFrontendBuilt();
const { ensureServerBundle, serverBundleDir } = await import('./server-bundle.mjs');
const main = await ensureServerBundle();
// The embedded cloud loads each function from its own bundle, as Lambda would.
process.env.SHEETFLOW_FUNCTION_BUNDLES = serverBundleDir;
// The AWS SDK warns once per client package that it will need Node 22 from 2027; Lambda runs
// nodejs22.x, and this machine's Node 20 is known (docs/ARCHITECTURE.md), so the warning is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await import(pathToFileURL(main).href);
