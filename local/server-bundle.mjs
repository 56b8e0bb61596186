// Bundles the embedded cloud and each Lambda function with esbuild, as the CDK app bundles the
// functions for AWS. Loading one bundle takes a tenth of the time that loading the same code
// through tsx's module hooks takes (the AWS SDK alone is hundreds of modules), which is most of
// `npm start`'s start-up. Rebuilt only when a source changed.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './ensure-installed.mjs';
import { sourceHash } from './source-hash.mjs';
import { buildOnce } from './build-lock.mjs';

const SOURCES = ['local', 'functions', 'infra/app-resources.ts', 'workflows', 'package-lock.json'];
export const serverBundleDir = join(repoRoot, 'node_modules', '.cache', 'sheetflow-server');
const stampFile = join(serverBundleDir, '.source-hash');
const lockDir = `${serverBundleDir}.lock`;

/**
 * Packages loaded at run time rather than bundled: dynalite loads its LevelDB binding and its
 * own modules by path, asl-validator is reached through createRequire.
 */
const EXTERNAL = ['dynalite', 'asl-validator'];

/** Builds the bundle if stale; returns the URL-able path of its entry, `main.js`. */
export async function ensureServerBundle() {
  const hash = sourceHash(SOURCES);
  const isCurrent = () => existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash;
  // Two starts at once (the start tests run side by side) would remove each other's output.
  await buildOnce(lockDir, isCurrent, async () => {
    const esbuild = await import('esbuild');
    const functions = await functionEntries(esbuild);
    rmSync(serverBundleDir, { recursive: true, force: true });
    await esbuild.build({
      absWorkingDir: repoRoot,
      // Flat names: every output sits at the folder's top, so relative chunk imports stay simple.
      entryPoints: { main: 'local/main.ts', ...Object.fromEntries(Object.entries(functions).map(([k, entry]) => [`function-${k}`, entry])) },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir: serverBundleDir,
      external: EXTERNAL,
      sourcemap: 'inline',
      // Bundled CommonJS packages still call require(); give ESM output one.
      banner: { js: "import { createRequire as __sheetflowRequire } from 'node:module'; const require = __sheetflowRequire(import.meta.url);" },
      logLevel: 'error',
    });
    writeFileSync(stampFile, hash);
  });
  return join(serverBundleDir, 'main.js');
}

/**
 * FUNCTIONS from infra/app-resources.ts (data): key -> entry file. Bundled, not only
 * transpiled: it takes the built-in role ids from functions/contracts, and a module read from a
 * data: URL cannot import by a relative path.
 */
async function functionEntries(esbuild) {
  const { outputFiles } = await esbuild.build({
    entryPoints: [join(repoRoot, 'infra', 'app-resources.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'error',
  });
  const { FUNCTIONS } = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
  return Object.fromEntries(Object.entries(FUNCTIONS).map(([key, spec]) => [key, spec.entry]));
}

/** Where the bundle of one function is, for the embedded cloud to load instead of its source. */
export const functionBundleFile = (key) => join(serverBundleDir, `function-${key}.js`);
