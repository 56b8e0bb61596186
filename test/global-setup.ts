import { ensureFrontendBuilt } from '../local/frontend-build.mjs';

// Browser tests serve the built SPA; build it once per run when it is missing or stale.
export default async function setup() {
  await ensureFrontendBuilt({ quiet: true });
}
