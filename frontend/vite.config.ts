import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// SvelteKit reads svelte.config.js from the working directory, so build from frontend/
// (local/frontend-build.mjs and `npm run build:frontend` both do).
export default defineConfig({
  plugins: [sveltekit()],
  // The contracts live outside frontend/ (in functions/contracts).
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  // SHEETFLOW_MINIFY=0: readable function names in CPU profiles (bench/grid PROFILE=1, STATIC_DIR).
  build: {
    minify: process.env.SHEETFLOW_MINIFY !== '0',
    // SvelteKit builds the client inside the server build's `writeBundle` hook, so Rolldown's
    // timing check took the whole client build for one slow plugin callback and said so on every
    // build (`[PLUGIN_TIMINGS]`, ~10 lines): nothing a plugin could change. A build is profiled
    // with `node --cpu-prof` instead.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
