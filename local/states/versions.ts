/**
 * Versions and aliases of state machines (AWS docs: "State machine versions and aliases in Step
 * Functions"). A version is an immutable copy of a revision of the machine, numbered 1, 2, ...
 * (never reused); an alias routes starts to one version, or to two by weight. StartExecution on
 * a version or alias ARN runs that version; the execution keeps it whatever happens to the
 * machine afterwards.
 */
import { randomInt } from 'node:crypto';
import { ApiError } from './errors.ts';
import type { AliasRecord, StateMachineRecord, StatesStore, VersionRecord } from './store.ts';

/** AWS quotas: versions and aliases per state machine. */
const MAX_VERSIONS = 1000;
const MAX_ALIASES = 100;
/** An alias name: letters, digits, `-`, `_`, `.`, at least one of them not a digit, 1-80 characters. */
const ALIAS_NAME = /^(?=.*[a-zA-Z_.-])[a-zA-Z0-9_.-]{1,80}$/;

export interface Routing {
  stateMachineVersionArn: string;
  weight: number;
}

/** What a StartExecution on any state machine ARN runs. */
export interface StartTarget {
  sm: StateMachineRecord;
  definition: string;
  roleArn: string;
  /** The revision of the machine it runs (DescribeStateMachineForExecution's revisionId). */
  revisionId: string;
  versionArn?: string;
  aliasArn?: string;
}

/** `…:stateMachine:name` and its qualifier, if any (`…:stateMachine:name:3`, `…:stateMachine:name:live`). */
export function splitStateMachineArn(arn: string): { base: string; qualifier?: string } {
  const m = /^(arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+)(?::([^:]+))?$/.exec(arn);
  if (!m) throw new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  return { base: m[1], qualifier: m[2] };
}

const isVersionNumber = (qualifier: string) => /^\d+$/.test(qualifier);

export class VersionsAndAliases {
  constructor(
    private readonly store: StatesStore,
    private readonly now: () => number,
    private readonly stateMachine: (arn: string) => Promise<StateMachineRecord>,
  ) {}

  /** Publishes the machine's current revision (once: publishing it again answers the same version). */
  async publish(stateMachineArn: string, options: { revisionId?: string; description?: string } = {}): Promise<VersionRecord> {
    const sm = await this.stateMachine(stateMachineArn);
    if (options.revisionId !== undefined && options.revisionId !== sm.revisionId) {
      throw new ApiError('ConflictException', `Failed to publish the State Machine version for revision ${options.revisionId}. The current State Machine revision is ${sm.revisionId}.`);
    }
    const versions = await this.store.listVersions(sm.arn);
    const existing = versions.find((v) => v.revisionId === sm.revisionId);
    if (existing) return { ...existing, definition: sm.definition };
    if (versions.length >= MAX_VERSIONS) {
      throw new ApiError('ServiceQuotaExceededException', `The maximum number of versions (${MAX_VERSIONS}) of '${sm.arn}' has been reached`);
    }
    const number = Math.max(sm.nextVersion ?? 1, (versions[0]?.number ?? 0) + 1);
    const version: VersionRecord = {
      arn: `${sm.arn}:${number}`,
      stateMachineArn: sm.arn,
      number,
      definition: sm.definition,
      roleArn: sm.roleArn,
      revisionId: sm.revisionId,
      ...(options.description !== undefined ? { description: options.description } : {}),
      creationDate: this.now(),
    };
    await this.store.putVersion(version);
    await this.store.putStateMachine({ ...sm, nextVersion: number + 1 }, 'update');
    return version;
  }

  async version(arn: string): Promise<VersionRecord> {
    const { base, qualifier } = splitStateMachineArn(arn);
    const version = qualifier && isVersionNumber(qualifier) ? await this.store.getVersion(base, Number(qualifier)) : undefined;
    if (!version) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
    return version;
  }

  async listVersions(stateMachineArn: string): Promise<VersionRecord[]> {
    await this.stateMachine(stateMachineArn);
    return this.store.listVersions(stateMachineArn);
  }

  /** Refused while an alias routes to the version (ConflictException), as AWS does. */
  async deleteVersion(arn: string): Promise<void> {
    const { base, qualifier } = splitStateMachineArn(arn);
    if (!qualifier || !isVersionNumber(qualifier)) throw new ApiError('ValidationException', `'${arn}' is not a state machine version ARN`);
    const routedBy = (await this.store.listAliases(base)).find((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === arn));
    if (routedBy) {
      throw new ApiError('ConflictException', `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${routedBy.name}]`);
    }
    await this.store.deleteVersion(base, Number(qualifier));
  }

  async createAlias(input: { name: string; description?: string; routingConfiguration: Routing[] }): Promise<AliasRecord> {
    if (!ALIAS_NAME.test(input.name)) throw new ApiError('ValidationException', `Invalid alias name: '${input.name}'`);
    const stateMachineArn = await this.checkRouting(input.routingConfiguration);
    const alias: AliasRecord = {
      arn: `${stateMachineArn}:${input.name}`,
      stateMachineArn,
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      routingConfiguration: input.routingConfiguration,
      creationDate: this.now(),
    };
    const aliases = await this.store.listAliases(stateMachineArn);
    const existing = aliases.find((a) => a.name === input.name);
    if (existing) {
      // The same request again is answered as the first; another one conflicts.
      if (JSON.stringify(existing.routingConfiguration) === JSON.stringify(alias.routingConfiguration) && existing.description === alias.description) return existing;
      throw new ApiError('ConflictException', `Alias already exists: '${alias.arn}'`);
    }
    if (aliases.length >= MAX_ALIASES) throw new ApiError('ServiceQuotaExceededException', `The maximum number of aliases (${MAX_ALIASES}) of '${stateMachineArn}' has been reached`);
    if (!(await this.store.putAlias(alias, 'create'))) throw new ApiError('ConflictException', `Alias already exists: '${alias.arn}'`);
    return alias;
  }

  async updateAlias(input: { stateMachineAliasArn: string; description?: string; routingConfiguration?: Routing[] }): Promise<AliasRecord> {
    if (input.description === undefined && input.routingConfiguration === undefined) {
      throw new ApiError('ValidationException', 'At least one of description or routingConfiguration must be specified');
    }
    const alias = await this.alias(input.stateMachineAliasArn);
    if (input.routingConfiguration) {
      const target = await this.checkRouting(input.routingConfiguration);
      if (target !== alias.stateMachineArn) throw new ApiError('ValidationException', `An alias routes to versions of its own state machine only`);
    }
    const updated: AliasRecord = {
      ...alias,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.routingConfiguration ? { routingConfiguration: input.routingConfiguration } : {}),
      updateDate: this.now(),
    };
    if (!(await this.store.putAlias(updated, 'update'))) throw new ApiError('ResourceNotFound', `Resource not found: '${alias.arn}'`);
    return updated;
  }

  async alias(arn: string): Promise<AliasRecord> {
    const { base, qualifier } = splitStateMachineArn(arn);
    const alias = qualifier && !isVersionNumber(qualifier) ? await this.store.getAlias(base, qualifier) : undefined;
    if (!alias) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
    return alias;
  }

  /** The aliases of a machine, or those routing to a version (given its ARN), newest first as AWS lists them. */
  async listAliases(arn: string): Promise<AliasRecord[]> {
    const { base, qualifier } = splitStateMachineArn(arn);
    if (qualifier === undefined) await this.stateMachine(base);
    else await this.version(arn);
    const aliases = await this.store.listAliases(base);
    const listed = qualifier === undefined ? aliases : aliases.filter((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === arn));
    return listed.sort((a, b) => b.creationDate - a.creationDate);
  }

  async deleteAlias(arn: string): Promise<void> {
    const alias = await this.alias(arn);
    await this.store.deleteAlias(alias.stateMachineArn, alias.name);
  }

  /** What a start on `arn` runs: the machine's latest revision, a version, or a version an alias picks by weight. */
  async resolve(arn: string): Promise<StartTarget> {
    const { base, qualifier } = splitStateMachineArn(arn);
    const sm = await this.stateMachine(base);
    if (qualifier === undefined) return { sm, definition: sm.definition, roleArn: sm.roleArn, revisionId: sm.revisionId };
    const missing = () => new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    if (isVersionNumber(qualifier)) {
      const version = await this.store.getVersion(base, Number(qualifier));
      if (!version) throw missing();
      return { sm, definition: version.definition, roleArn: version.roleArn, revisionId: version.revisionId, versionArn: version.arn };
    }
    const alias = await this.store.getAlias(base, qualifier);
    if (!alias) throw missing();
    const picked = pickByWeight(alias.routingConfiguration);
    const version = await this.store.getVersion(base, Number(splitStateMachineArn(picked).qualifier));
    if (!version) throw missing();
    return { sm, definition: version.definition, roleArn: version.roleArn, revisionId: version.revisionId, versionArn: version.arn, aliasArn: alias.arn };
  }

  /** One or two versions of one machine, whole-number weights summing to 100. */
  private async checkRouting(routing: Routing[]): Promise<string> {
    if (routing.length < 1 || routing.length > 2) throw new ApiError('ValidationException', 'routingConfiguration must name one or two versions');
    const total = routing.reduce((sum, r) => sum + r.weight, 0);
    if (routing.some((r) => !Number.isInteger(r.weight) || r.weight < 0 || r.weight > 100) || total !== 100) {
      throw new ApiError('ValidationException', 'The weights of routingConfiguration must be integers from 0 to 100 that add up to 100');
    }
    if (routing.length === 2 && routing[0].stateMachineVersionArn === routing[1].stateMachineVersionArn) {
      throw new ApiError('ValidationException', 'routingConfiguration names the same version twice');
    }
    const bases = new Set<string>();
    for (const r of routing) {
      const version = await this.version(r.stateMachineVersionArn);
      bases.add(version.stateMachineArn);
    }
    if (bases.size !== 1) throw new ApiError('ValidationException', 'routingConfiguration must name versions of one state machine');
    return [...bases][0];
  }
}

function pickByWeight(routing: Routing[]): string {
  let draw = randomInt(100);
  for (const r of routing) {
    if (draw < r.weight) return r.stateMachineVersionArn;
    draw -= r.weight;
  }
  return routing[routing.length - 1].stateMachineVersionArn;
}
