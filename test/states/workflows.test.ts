/**
 * Every definition in workflows/ is listed in infra/app-resources.ts WORKFLOWS (and the other way
 * round), and, with the DefinitionSubstitutions both clouds use, passes asl-validator and the
 * local engine's loader.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKFLOWS } from '../../infra/app-resources.ts';
import { loadDefinition } from '../../local/states/definition.ts';
import { validateDefinition } from '../../local/states/validate.ts';
import { localSubstitutions, substitute } from '../../local/states/workflows.ts';

const dir = join(import.meta.dirname, '..', '..', 'workflows');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.asl.json')) : [];

describe('workflows/', () => {
  it('lists every definition file in WORKFLOWS, and every WORKFLOWS file exists', () => {
    expect(files.sort()).toEqual(Object.values(WORKFLOWS).map((w) => w.file).sort());
  });

  it('has definitions that pass asl-validator and the engine loader after substitution', () => {
    const substitutions = localSubstitutions({ region: 'us-east-1', accountId: '000000000000', tableName: 'sheetflow', workflows: WORKFLOWS });
    for (const [key, workflow] of Object.entries(WORKFLOWS)) {
      const text = substitute(readFileSync(join(dir, workflow.file), 'utf8'), substitutions);
      expect(text, `${key}: unresolved substitution`).not.toMatch(/\$\{[A-Za-z0-9_]+\}/);
      expect(validateDefinition(text), key).toEqual([]);
      expect(() => loadDefinition(text), key).not.toThrow();
    }
  });

  it('refuses a definition the loader cannot run (the check above can fail)', () => {
    const text = JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Parameters: {}, End: true } } });
    expect(() => loadDefinition(text)).toThrow(/Parameters/);
  });
});
