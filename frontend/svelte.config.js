import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * A static single-page app: S3 + CloudFront in AWS, the local gateway here. Every unknown path
 * falls back to index.html so that deep links (e.g. /companies) load the app, which then routes
 * in the browser. The API is on the same origin under /api; /config.json says where sign-in is.
 */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    // The zod schemas the API validates with, so the UI checks input by the same rules.
    alias: { $contracts: '../functions/contracts' },
  },
};
