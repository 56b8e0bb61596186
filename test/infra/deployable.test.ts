// What CDK assertions alone would not catch before a real deploy: dependency cycles, the
// config.json the SPA reads, and whether the bundled functions load as ESM.
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { App } from 'aws-cdk-lib';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { ClientConfig } from '../../functions/contracts/auth.ts';
import { FUNCTIONS, type FunctionKey } from '../../infra/app-resources.ts';
import { synthStack } from '../support/synth-stack.ts';

/** Every resource a resource refers to, through Ref, GetAtt, Sub or DependsOn. */
function references(resource: any): Set<string> {
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  const visit = (node: any): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (typeof node.Ref === 'string') found.add(node.Ref);
    if (Array.isArray(node['Fn::GetAtt'])) found.add(node['Fn::GetAtt'][0]);
    const sub = node['Fn::Sub'];
    if (sub) for (const [, name] of String([sub].flat()[0]).matchAll(/\$\{([^.}!]+)[^}]*\}/g)) found.add(name);
    Object.values(node).forEach(visit);
  };
  visit(resource.Properties);
  return found;
}

function findCycle(resources: Record<string, any>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of references(resources[id])) {
      if (!(next in resources)) continue; // parameters, pseudo parameters
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of Object.keys(resources)) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the template CloudFormation will get', () => {
  it('has no dependency cycle, with workflows that invoke the API and start each other', () => {
    const resources = Template.fromStack(synthStack()).toJSON().Resources;
    expect(findCycle(resources)).toBeUndefined();
  });

  it('the cycle check does see a cycle', () => {
    expect(findCycle({ A: { Properties: { x: { Ref: 'B' } } }, B: { DependsOn: ['A'] } })).toEqual(['A', 'B', 'A']);
  });

  it('writes a config.json that satisfies ClientConfig: same-origin API, Cognito endpoint and SPA client', () => {
    const stack = synthStack();
    const template = Template.fromStack(stack).toJSON();
    const deployment = Object.values<any>(template.Resources).find((r) => r.Type === 'Custom::CDKBucketDeployment');
    const outdir = (stack.node.root as App).outdir;
    // The jsonData source is the asset whose staged directory holds config.json.
    const keys: string[] = deployment.Properties.SourceObjectKeys;
    const index = keys.findIndex((key) => existsSync(join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json')));
    expect(index).toBeGreaterThanOrEqual(0);
    let text = readFileSync(join(outdir, `asset.${keys[index].replace(/\.zip$/, '')}`, 'config.json'), 'utf8');
    // Tokens are markers, replaced at deploy time by the values CloudFormation resolves.
    for (const [marker, value] of Object.entries<any>(deployment.Properties.SourceMarkers[index])) {
      text = text.replaceAll(marker, `{${value.Ref}}`);
    }
    const config = ClientConfig.parse(JSON.parse(text));
    const clientId = stack.getLogicalId(stack.auth.client.node.defaultChild as any);
    // The rules the sign-in page states are the pool's own.
    const pool = template.Resources[stack.getLogicalId(stack.auth.userPool.node.defaultChild as any)].Properties.Policies.PasswordPolicy;
    const passwordPolicy = { minLength: pool.MinimumLength, requireLowercase: pool.RequireLowercase, requireUppercase: pool.RequireUppercase, requireDigits: pool.RequireNumbers, requireSymbols: pool.RequireSymbols };
    expect(config).toEqual({
      apiUrl: '',
      auth: { endpoint: 'https://cognito-idp.eu-west-1.{AWS::URLSuffix}/', clientId: `{${clientId}}`, passwordPolicy },
    });
  });
});

describe('function bundles', () => {
  it('are ESM files that plain Node loads, open with the createRequire banner, and export the handler', { timeout: 60_000 }, () => {
    const stack = synthStack({}, { bundle: true });
    const template = Template.fromStack(stack).toJSON();
    const outdir = (stack.node.root as App).outdir;
    for (const [key, spec] of Object.entries(FUNCTIONS)) {
      const fn = stack.functions.get(key as FunctionKey);
      const s3Key: string = template.Resources[stack.getLogicalId(fn.node.defaultChild as any)].Properties.Code.S3Key;
      const dir = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
      expect(readdirSync(dir)).toContain('index.mjs');
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire as topLevelCreateRequire } from 'node:module';")).toBe(true);
      // Plain Node, as Lambda loads it: vitest's own module loader would lend it a `require`.
      const load = `import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)}).then((m) => process.stdout.write(typeof m.${spec.handler}))`;
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', load], { encoding: 'utf8', cwd: dir });
      expect(result.stderr.replace(/\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*/, '')).toBe('');
      expect(result.stdout).toBe('function');
    }
  });
});
