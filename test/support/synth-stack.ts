// Builds the stack the way infra/app.ts does, but fast: no asset bundling, no CloudFormation
// schema validation, and a stand-in SPA directory, so tests do not depend on esbuild or vite.
import { App } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { inject } from 'vitest';
import { join } from 'node:path';
import { repoRoot } from '../../infra/repo-root.ts';
import { SheetflowStack, type SheetflowStackProps } from '../../infra/sheetflow-stack.ts';

export const fixturesDir = join(repoRoot, 'test', 'infra', 'fixtures');

/** A workflow that names a function, the table and itself, to prove the wiring. */
export const FIXTURE_WORKFLOWS = {
  'fixture-flow': { file: 'fixture-flow.asl.json', description: 'Test fixture' },
};

/**
 * A directory for a synth, in the run's directory (test/global-setup.ts removes it at the end):
 * an App without `outdir` writes its assembly (some 20 MB with bundles) to a temp directory of its
 * own that nothing removes, and a full run left 89 of them in /tmp.
 */
export const synthDir = (name: string) => mkdtempSync(join(inject('runDir'), name));

let spaDir: string | undefined;
function fakeSpa(): string {
  if (spaDir) return spaDir;
  spaDir = synthDir('spa-');
  writeFileSync(join(spaDir, 'index.html'), '<!doctype html><title>test</title>');
  return spaDir;
}

/** `bundle: true` runs esbuild for the functions, as `cdk synth` does; slower. */
export function synthStack(props: SheetflowStackProps = {}, options: { bundle?: boolean } = {}): SheetflowStack {
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8'));
  const app = new App({
    outdir: synthDir('cdk.out-'),
    builtinCloudFormationValidation: false,
    context: { ...cdkJson.context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stack = new SheetflowStack(app, 'Test', {
    env: { account: '111111111111', region: 'eu-west-1' },
    frontendDir: fakeSpa(),
    workflows: FIXTURE_WORKFLOWS,
    workflowsDir: join(fixturesDir, 'workflows'),
    ...props,
  });
  return stack;
}
