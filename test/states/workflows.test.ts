/**
 * Every definition in workflows/ is listed in infra/app-resources.ts WORKFLOWS (and the other way
 * round), and, with the DefinitionSubstitutions both clouds use, passes asl-validator and the
 * local engine's loader.
 */
import { execFileSync } from 'node:child_process';
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

  it('is found valid by a later process from what an earlier one found, without loading asl-validator (a cloud starts in every test file)', () => {
    const substitutions = localSubstitutions({ region: 'us-east-1', accountId: '000000000000', tableName: 'sheetflow', workflows: WORKFLOWS });
    const texts = Object.values(WORKFLOWS).map((workflow) => substitute(readFileSync(join(dir, workflow.file), 'utf8'), substitutions));
    for (const text of texts) expect(validateDefinition(text)).toEqual([]);
    const script = `
      import { validateDefinition } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'local', 'states', 'validate.ts'))};
      import { createRequire } from 'node:module';
      const diagnostics = JSON.parse(process.argv[1]).map((text) => validateDefinition(text));
      const loaded = Object.keys(createRequire(import.meta.url).cache).some((path) => /node_modules\\/(asl-validator|ajv)\\/.*\\.js$/.test(path));
      console.log(JSON.stringify({ diagnostics, loaded }));`;
    const tsx = join(import.meta.dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs');
    const out = execFileSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script, JSON.stringify(texts)], { encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ diagnostics: texts.map(() => []), loaded: false });
  });

  it('refuses again what asl-validator refused (only "valid" is remembered)', () => {
    const text = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Next: 'Nowhere' } } });
    expect(validateDefinition(text)).not.toEqual([]);
    expect(validateDefinition(text)).not.toEqual([]);
  });

  it('refuses a definition the loader cannot run (the check above can fail)', () => {
    const text = JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Parameters: {}, End: true } } });
    expect(() => loadDefinition(text)).toThrow(/Parameters/);
  });
});
