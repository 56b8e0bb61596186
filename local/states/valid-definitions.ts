/**
 * The definitions asl-validator judged valid, remembered on disk across processes. Every embedded
 * cloud (each test file that needs one starts its own) validates the same workflows/ at start-up,
 * and asl-validator's first call in a process builds its schemas: 0.4-0.5 s of CPU, a quarter of
 * a cloud's start. Its verdict depends only on the definition and the validator's code, so it is
 * kept under a hash of both (asl-validator's and its Ajv's versions); only "valid" is kept: a
 * refusal's messages are worked out each time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../ensure-installed.mjs';

const require = createRequire(import.meta.url);
const validatorVersions = ['asl-validator/package.json', 'ajv/package.json']
  .map((name) => `${name}@${createRequire(require.resolve('asl-validator'))(name).version}`)
  .join(' ');

export const validDefinitionsDir = join(repoRoot, 'node_modules', '.cache', 'sheetflow-valid-asl');

/**
 * The verdict on `definition` as far as it is known: `valid` true when asl-validator found it
 * valid before, else `remember` to call once it has. Keyed before the validator sees it: it may
 * change what it is given (defaults filled in).
 */
export function verdictOf(definition: unknown): { valid: boolean; remember(): void } {
  const file = join(validDefinitionsDir, createHash('sha256').update(validatorVersions).update('\0').update(JSON.stringify(definition)).digest('hex'));
  return { valid: existsSync(file), remember: () => remember(file) };
}

/** Best effort: a tree it cannot write to only loses the saving. */
function remember(file: string): void {
  try {
    mkdirSync(validDefinitionsDir, { recursive: true });
    writeFileSync(file, '');
  } catch {
    // Nothing to do: the next process validates it again.
  }
}
