/**
 * The state machines of workflows/, created (or updated) at start-up with the same
 * DefinitionSubstitutions the CDK app uses, from infra/app-resources.ts; as a deploy does, each
 * start-up publishes the definition as a version (a new one when it changed) and points the
 * `live` alias at it, on which processes start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIVE_ALIAS, WORKFLOWS, definitionSubstitutions } from '../../infra/app-resources.ts';
import type { Engine } from './engine.ts';

export type WorkflowList = Record<string, { file: string; description?: string }>;

/** `${Name}` placeholders replaced as CloudFormation's DefinitionSubstitutions does. */
export function substitute(text: string, substitutions: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => substitutions[name] ?? whole);
}

export function localSubstitutions(opts: { region: string; accountId: string; tableName: string; workflows: WorkflowList }) {
  return definitionSubstitutions(
    {
      functionArn: (key) => `arn:aws:lambda:${opts.region}:${opts.accountId}:function:${key}`,
      tableName: opts.tableName,
      stateMachineArn: (key) => `arn:aws:states:${opts.region}:${opts.accountId}:stateMachine:${key}`,
    },
    opts.workflows,
  );
}

export async function deployWorkflows(
  engine: Engine,
  opts: { region: string; accountId: string; tableName: string; dir: string; workflows?: WorkflowList },
): Promise<Record<string, string>> {
  const workflows = opts.workflows ?? WORKFLOWS;
  const substitutions = localSubstitutions({ ...opts, workflows });
  const arns: Record<string, string> = {};
  for (const [key, workflow] of Object.entries(workflows)) {
    const definition = substitute(readFileSync(join(opts.dir, workflow.file), 'utf8'), substitutions);
    const roleArn = `arn:aws:iam::${opts.accountId}:role/local-states`;
    const arn = engine.stateMachineArn(key);
    const existing = await engine.stateMachine(arn).catch(() => undefined);
    if (!existing) await engine.createStateMachine({ name: key, definition, roleArn });
    else if (existing.definition !== definition) await engine.updateStateMachine({ stateMachineArn: arn, definition });
    await publishLive(engine, arn);
    arns[key] = arn;
  }
  return arns;
}

/** Publishes the machine's definition (the same one again answers its version) and routes `live` to it. */
export async function publishLive(engine: Engine, stateMachineArn: string): Promise<string> {
  const version = await engine.versions.publish(stateMachineArn);
  const routingConfiguration = [{ stateMachineVersionArn: version.arn, weight: 100 }];
  const alias = await engine.versions.alias(`${stateMachineArn}:${LIVE_ALIAS}`).catch(() => undefined);
  if (!alias) await engine.versions.createAlias({ name: LIVE_ALIAS, routingConfiguration });
  else if (alias.routingConfiguration[0]?.stateMachineVersionArn !== version.arn) await engine.versions.updateAlias({ stateMachineAliasArn: alias.arn, routingConfiguration });
  return version.arn;
}
