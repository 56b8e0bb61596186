import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';

// One vitest run, two projects: everything on Node, and the frontend's tests (jsdom where asked).
// The frontend project uses svelte() + a $lib alias rather than sveltekit(), which silently
// runs nothing when vitest starts from the repository root.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    // The frontend's generated tsconfig, which transforming any frontend file needs (see the file).
    globalSetup: ['./test/global-setup.ts'],
    // A file more than there are cores, side by side. vitest's default (one less than the cores)
    // ran CI's 2 cores one file at a time, which kept 1.05 cores busy (a run of 590 s used 621 s
    // of CPU): a file's cloud is its worker's one thread, waiting on LevelDB, child processes and
    // its browser. A file per core still left cores idle: a clean run of 30m41s used 43 min of
    // CPU, 1.4 of the 2 cores.
    maxWorkers: Math.max(2, availableParallelism()) + 1,
    projects: [
      {
        // The API tests drive some of the frontend's clients (the grid's paste) against the real API.
        resolve: { alias: { $contracts: fileURLToPath(new URL('./functions/contracts', import.meta.url)) } },
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts', 'functions/**/*.test.ts', 'local/**/*.test.ts', 'infra/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // The AWS SDK's notice that it will need Node 22 from 2027 (Lambda runs nodejs22.x) would
          // otherwise be printed by every test file that loads a client.
          env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          // expect.poll waits for what happens eventually (a save, the stream, a live update); its
          // default of 1 s is less than a loaded 2-core CI machine may need for a round trip.
          expect: { poll: { timeout: 10_000 } },
        },
      },
      {
        // No svelte.config.js (frontend/'s is the build's; Svelte 5 reads TypeScript in components
        // itself): said so, the plugin printed a line about looking for one on every run.
        plugins: [svelte({ configFile: false })],
        resolve: {
          alias: {
            $lib: fileURLToPath(new URL('./frontend/src/lib', import.meta.url)),
            $contracts: fileURLToPath(new URL('./functions/contracts', import.meta.url)),
          },
          conditions: ['browser'],
        },
        test: {
          name: 'frontend',
          // Node: most are of logic, and a jsdom per file cost more than all their tests (30 s
          // of a 32-file run's 32 s on CI). A test that needs the DOM says so on its first line:
          // `// @vitest-environment jsdom` (auth/session's sessionStorage, records/grid-fields' navigator).
          environment: 'node',
          include: ['frontend/src/**/*.test.ts'],
          // As the node project's: vitest's 5 s failed a property test of ~1 s alone (idle-steps)
          // on a machine loaded by other runs beside this one's files.
          testTimeout: 60_000,
        },
      },
    ],
  },
});
