/**
 * The engine: state machines, executions and task tokens behind the operations of the Step
 * Functions API. Executions live in DynamoDB; an execution is in memory only while it has work
 * to do. Timers are found again through the timer index (`dueAt`), so a parked execution costs
 * nothing until a timer, a token or a child execution brings it back, restart or not.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ApiError, DefinitionError, EngineClosedError, StatesError } from './errors.ts';
import { loadDefinition, type Definition } from './definition.ts';
import { Execution, MAX_EXECUTION_MS, MAX_HISTORY_EVENTS, type ExecutionServices } from './execution.ts';
import type { Thread } from './thread.ts';
import type { Json } from './expressions.ts';
import type { HistoryEvent } from './history.ts';
import { invokeLambda, type LambdaRegistry } from './resources/lambda.ts';
import { callDynamo } from './resources/dynamodb.ts';
import type { ResourceRef } from './resources/index.ts';
import { validateDefinition } from './validate.ts';
import { StatesStore, type ExecutionRecord, type ExecutionStatus, type StateMachineRecord, type VersionRecord } from './store.ts';
import { WakeScheduler } from './wake-scheduler.ts';
import { StatusEvents, type StatusEventTarget } from './status-events.ts';
import { splitStateMachineArn, VersionsAndAliases, type StartTarget } from './versions.ts';
import { readTaskToken } from './task-token.ts';
import { redriveByToken } from './redrive-tokens.ts';
import { systemClock, type Clock } from './clock.ts';

export interface EngineOptions {
  store: StatesStore;
  /** Client for the DynamoDB task integrations (the app's table). */
  dynamo: DynamoDBClient;
  region: string;
  accountId: string;
  lambdas: LambdaRegistry;
  /** The clock (default: the system's); tests move an AdjustableClock to see timers fire. */
  clock?: Clock;
  /** Executions loaded at once to fire their timers (default 32). */
  timerConcurrency?: number;
  /** Multiplies every duration in definitions; tests use small values to make time pass quickly. */
  timeScale?: number;
  /** Where execution status change events go (EventBridge's rule target in AWS). */
  statusEvents?: StatusEventTarget;
}

/**
 * A state machine or execution name as AWS allows it (developer guide, "Step Functions service
 * quotas"): 1-80 characters, non-ASCII ones included, none of whitespace, `? *`, brackets,
 * `" # % \ ^ | ~ ` $ & , ; : /` or control characters.
 */
const FORBIDDEN_IN_NAME = /[\s?*<>{}[\]"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;
const isValidName = (name: string) => [...name].length >= 1 && [...name].length <= 80 && !FORBIDDEN_IN_NAME.test(name);
/** AWS: an execution can be redriven within 14 days of its end, up to 1,000 times. */
const REDRIVABLE_PERIOD_MS = 14 * 86_400_000;
const MAX_REDRIVES = 1000;
/** AWS's limit on an execution's input (and on every state's input and output). */
const MAX_PAYLOAD_BYTES = 262_144;

export class Engine {
  private readonly store: StatesStore;
  private readonly live = new Map<string, Execution>();
  private readonly loading = new Map<string, Promise<Execution | undefined>>();
  /** Operations holding an execution: it stays in memory (one copy) until they are done. */
  private readonly holds = new Map<string, number>();
  private readonly starting = new Map<string, Promise<unknown>>();
  private readonly definitions = new Map<string, Definition>();
  /** State machines by ARN: this process is the only writer of its table (one owner per data dir). */
  private readonly stateMachines = new Map<string, StateMachineRecord>();
  private readonly scheduler: WakeScheduler;
  /** Versions and aliases of the state machines. */
  readonly versions: VersionsAndAliases;
  private readonly statusEvents: StatusEvents;
  private readonly services: ExecutionServices;
  readonly now: () => number;
  private closing = false;

  constructor(private readonly options: EngineOptions) {
    this.store = options.store;
    const clock = options.clock ?? systemClock;
    this.now = () => clock.now();
    this.scheduler = new WakeScheduler({
      clock,
      dueExecutions: (until) => this.store.dueExecutions(until),
      isLive: (arn) => this.live.has(arn),
      wake: (arn) => this.fireTimers(arn),
      onError: (err) => this.reportError(err),
      concurrency: options.timerConcurrency,
    });
    this.services = this.executionServices();
    this.versions = new VersionsAndAliases(this.store, this.now, (arn) => this.stateMachine(arn));
    this.statusEvents = new StatusEvents(this.store, {
      region: options.region,
      accountId: options.accountId,
      deliver: options.statusEvents,
      redriveStatus: (record) => this.redriveStatus(record),
      busy: (arn) => this.live.get(arn)?.busy ?? false,
      onError: (err) => this.reportError(err),
    });
  }

  /** Resumes what was in progress at the last stop, and starts watching timers. */
  async start(): Promise<void> {
    for (const arn of await this.store.activeExecutions()) await this.execution(arn);
    await this.scheduler.start();
    await this.statusEvents.start();
  }

  /**
   * Stops: no timer fires, no event is sent, and nothing an execution does from now on is saved
   * (EngineClosedError). A save under way is waited for, so the table is closed after it.
   */
  async close(): Promise<void> {
    this.closing = true;
    this.scheduler.stop();
    this.statusEvents.stop();
    await Promise.allSettled([...this.live.values()].map((execution) => execution.saved()));
  }

  /** Executions held in memory (working, or just loaded). */
  get liveCount(): number {
    return this.live.size;
  }

  /** Executions waiting for a timer slot, being woken, and woken so far. */
  get timerStats() {
    return this.scheduler.stats;
  }

  /** Reads the timer index now (it is read every 30 s by itself). */
  pollTimers(): Promise<void> {
    return this.scheduler.poll();
  }

  // ---- state machines

  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.options.region}:${this.options.accountId}:stateMachine:${name}`;
  }

  private definition(text: string): Definition {
    let definition = this.definitions.get(text);
    if (!definition) {
      definition = loadDefinition(text);
      this.definitions.set(text, definition);
    }
    return definition;
  }

  private checkDefinition(text: string): void {
    try {
      this.definition(text);
    } catch (err) {
      if (err instanceof DefinitionError) throw new ApiError('InvalidDefinition', err.message, 400, { cause: err });
      throw err;
    }
  }

  async createStateMachine(input: {
    name: string;
    definition: string;
    roleArn: string;
    type?: string;
    publish?: boolean;
    versionDescription?: string;
  }): Promise<{ sm: StateMachineRecord; version?: VersionRecord }> {
    if (!isValidName(input.name)) throw new ApiError('InvalidName', `Invalid Name: '${input.name}'`);
    checkVersionDescription(input);
    if (input.type && input.type !== 'STANDARD') throw new ApiError('ValidationException', `Only STANDARD state machines run locally`);
    this.checkDefinition(input.definition);
    const record: StateMachineRecord = {
      arn: this.stateMachineArn(input.name),
      name: input.name,
      definition: input.definition,
      roleArn: input.roleArn,
      type: 'STANDARD',
      creationDate: this.now(),
      revisionId: randomUUID(),
    };
    let sm = record;
    if (await this.store.putStateMachine(record, 'create')) this.stateMachines.set(record.arn, record);
    else {
      sm = (await this.store.getStateMachine(record.arn))!;
      if (sm.definition !== input.definition || sm.roleArn !== input.roleArn) {
        throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${record.arn}'`);
      }
    }
    return { sm, ...(input.publish ? { version: await this.versions.publish(sm.arn, { description: input.versionDescription }) } : {}) };
  }

  async updateStateMachine(input: {
    stateMachineArn: string;
    definition?: string;
    roleArn?: string;
    publish?: boolean;
    versionDescription?: string;
  }): Promise<{ sm: StateMachineRecord; version?: VersionRecord }> {
    if (input.definition === undefined && input.roleArn === undefined) {
      throw new ApiError('MissingRequiredParameter', 'Either the definition or the roleArn must be specified');
    }
    checkVersionDescription(input);
    const existing = await this.stateMachine(input.stateMachineArn);
    if (input.definition !== undefined) this.checkDefinition(input.definition);
    const definition = input.definition ?? existing.definition;
    const roleArn = input.roleArn ?? existing.roleArn;
    const changed = definition !== existing.definition || roleArn !== existing.roleArn;
    const sm = { ...existing, definition, roleArn, updateDate: this.now(), ...(changed ? { revisionId: randomUUID() } : {}) };
    await this.store.putStateMachine(sm, 'update');
    this.stateMachines.set(sm.arn, sm);
    return { sm, ...(input.publish ? { version: await this.versions.publish(sm.arn, { description: input.versionDescription }) } : {}) };
  }

  /** Deletes the machine, its versions and its aliases. */
  async deleteStateMachine(arn: string): Promise<void> {
    const { base, qualifier } = splitStateMachineArn(arn);
    if (qualifier !== undefined) throw new ApiError('ValidationException', `Use DeleteStateMachineVersion or DeleteStateMachineAlias for '${arn}'`);
    this.stateMachines.delete(base);
    await this.store.deleteStateMachine(base);
  }

  /** The state machine (unqualified ARN); StateMachineDoesNotExist if there is none. */
  async stateMachine(arn: string): Promise<StateMachineRecord> {
    const record = this.stateMachines.get(arn) ?? (await this.store.getStateMachine(arn));
    if (!record) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    // Records from before revisions had none: the first update gives them one.
    record.revisionId ??= 'initial';
    this.stateMachines.set(arn, record);
    return record;
  }

  /** DescribeStateMachine on a machine or one of its versions. */
  async describeStateMachine(arn: string): Promise<{ sm: StateMachineRecord; version?: VersionRecord }> {
    const { base, qualifier } = splitStateMachineArn(arn);
    if (qualifier === undefined) return { sm: await this.stateMachine(base) };
    const version = await this.versions.version(arn).catch(() => {
      throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    });
    return { sm: await this.stateMachine(base), version };
  }

  /** The state machine an execution runs: its version's definition, or the revision it started on. */
  async stateMachineForExecution(executionArn: string): Promise<{ record: ExecutionRecord; sm: StateMachineRecord }> {
    const record = await this.describeExecution(executionArn);
    const sm = await this.stateMachine(record.stateMachineArn).catch(() => undefined);
    return { record, sm: { ...(sm ?? { arn: record.stateMachineArn, name: record.stateMachineArn.split(':').pop()!, type: 'STANDARD', creationDate: record.startDate, revisionId: '' }), definition: record.definition, roleArn: record.roleArn ?? sm?.roleArn ?? '' } };
  }

  listStateMachines(limit: number, nextToken?: string) {
    return this.store.listStateMachines(limit, nextToken);
  }

  validate(definition: string) {
    return validateDefinition(definition);
  }

  // ---- executions

  async startExecution(
    input: { stateMachineArn: string; name?: string; input?: string },
    parent?: { executionArn: string; threadId: string },
  ): Promise<ExecutionRecord> {
    if (this.closing) throw new EngineClosedError();
    const target = await this.versions.resolve(input.stateMachineArn);
    const { sm } = target;
    const name = input.name ?? randomUUID();
    if (!isValidName(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
    const text = input.input ?? '{}';
    if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
      throw new ApiError('ValidationException', `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`);
    }
    try {
      JSON.parse(text);
    } catch (err) {
      throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(err as Error).message}'`, 400, { cause: err });
    }
    const arn = `arn:aws:states:${this.options.region}:${this.options.accountId}:execution:${sm.name}:${name}`;
    // One start per name at a time, so that a retried start sees the first one.
    while (this.starting.has(arn)) await this.starting.get(arn)!.catch(() => undefined);
    const started = this.startOnce(arn, name, target, text, parent);
    this.starting.set(arn, started);
    try {
      return await started;
    } finally {
      this.starting.delete(arn);
    }
  }

  private async startOnce(
    arn: string,
    name: string,
    target: StartTarget,
    input: string,
    parent: { executionArn: string; threadId: string } | undefined,
  ): Promise<ExecutionRecord> {
    const existing = await this.store.getExecution(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = Execution.start(
      {
        arn,
        stateMachineArn: target.sm.arn,
        name,
        input,
        startDate: this.now(),
        definition: target.definition,
        roleArn: target.roleArn,
        revisionId: target.revisionId,
        ...(target.versionArn ? { stateMachineVersionArn: target.versionArn } : {}),
        ...(target.aliasArn ? { stateMachineAliasArn: target.aliasArn } : {}),
        ...(parent ? { parent } : {}),
      },
      this.definition(target.definition),
      this.services,
    );
    this.live.set(arn, execution);
    // The first checkpoint (before a first task's call, say) creates the record; the answer
    // waits for it, so an acknowledged start is durable.
    try {
      await execution.run();
      await execution.created;
      this.statusEvents.changed(execution.record, 'RUNNING');
    } catch (err) {
      this.live.delete(arn);
      if ((err as Error).name === 'ValidationException') {
        throw new ApiError('ValidationException', `The execution cannot be saved: ${(err as Error).message} (see local/states/README.md, Limits)`, 400, { cause: err });
      }
      throw err;
    }
    return execution.record;
  }

  /** Whether RedriveExecution would run the execution again, and if not why (DescribeExecution's words). */
  redriveStatus(record: ExecutionRecord): { redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE'; redriveStatusReason?: string } {
    const not = (reason: string) => ({ redriveStatus: 'NOT_REDRIVABLE' as const, redriveStatusReason: reason });
    if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') return not(`Execution is ${record.status} and cannot be redriven`);
    if (!Execution.canRedrive(record)) return not('Execution was started before the launch of RedriveExecution');
    if (record.nextEventId > MAX_HISTORY_EVENTS - 1) return not('Execution history event limit exceeded');
    if ((record.redriveCount ?? 0) >= MAX_REDRIVES) return not('Execution has reached the maximum number of redrives');
    if (this.now() - (record.stopDate ?? 0) > REDRIVABLE_PERIOD_MS) return not('Execution redrivable period exceeded');
    if (this.now() - record.startDate >= MAX_EXECUTION_MS) return not('Execution has exceeded the max execution time');
    return { redriveStatus: 'REDRIVABLE' };
  }

  /** RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution continues from where it stopped. */
  /** A clientToken that redrove this execution already gets that redrive's answer, and no second one. */
  async redriveExecution(arn: string, clientToken?: string): Promise<ExecutionRecord> {
    // One start or redrive per execution at a time.
    while (this.starting.has(arn)) await this.starting.get(arn)!.catch(() => undefined);
    const redriven = (async () => {
      const record = await this.store.getExecution(arn, { snapshot: true });
      if (!record) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
      const done = redriveByToken(record.redriveTokens, clientToken, this.now());
      if (done) return { ...record, redriveDate: done.date };
      const status = this.redriveStatus(record);
      if (status.redriveStatus !== 'REDRIVABLE') throw new ApiError('ExecutionNotRedrivable', `Execution Not Redrivable: '${status.redriveStatusReason}'`);
      const execution = Execution.redrive(record, this.definition(record.definition), this.services, clientToken);
      this.live.set(arn, execution);
      try {
        await execution.save();
        this.statusEvents.changed(execution.record, 'RUNNING');
        await execution.run();
      } catch (err) {
        this.live.delete(arn);
        throw err;
      }
      return execution.record;
    })();
    this.starting.set(arn, redriven);
    try {
      return await redriven;
    } finally {
      this.starting.delete(arn);
    }
  }

  async describeExecution(arn: string): Promise<ExecutionRecord> {
    const record = await this.store.getExecution(arn);
    if (!record) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  async stopExecution(arn: string, error?: string, cause?: string): Promise<ExecutionRecord> {
    const record = await this.describeExecution(arn);
    if (record.status !== 'RUNNING') return record;
    await this.withExecution(arn, (execution) => execution.stop(error, cause));
    return this.describeExecution(arn);
  }

  /** Executions of a machine, or those started on one of its versions or through one of its aliases. */
  async listExecutions(
    stateMachineArn: string,
    status: ExecutionStatus | undefined,
    limit: number,
    nextToken?: string,
    redriveFilter?: 'REDRIVEN' | 'NOT_REDRIVEN',
  ) {
    const { base, qualifier } = splitStateMachineArn(stateMachineArn);
    const redriven = redriveFilter === undefined ? {} : { redriven: redriveFilter === 'REDRIVEN' };
    if (qualifier === undefined) {
      await this.stateMachine(base);
      return this.store.listExecutions(base, status, limit, nextToken, redriven);
    }
    const isVersion = /^\d+$/.test(qualifier);
    await (isVersion ? this.versions.version(stateMachineArn) : this.versions.alias(stateMachineArn));
    const field = isVersion ? 'stateMachineVersionArn' : 'stateMachineAliasArn';
    return this.store.listExecutions(base, status, limit, nextToken, { startedOn: { field, arn: stateMachineArn }, ...redriven });
  }

  async history(arn: string, limit: number, reverse: boolean, nextToken?: string) {
    return this.store.history(await this.describeExecution(arn), limit, reverse, nextToken);
  }

  // ---- task tokens

  /** Runs `fn` on the task waiting on `token`, or answers as AWS does when there is none. */
  private async withTask(token: string, fn: (execution: Execution, thread: Thread) => Promise<void>): Promise<void> {
    const invalid = () => new ApiError('InvalidToken', `Invalid Token: 'Invalid token'`);
    const record = readTaskToken(token);
    if (!record) throw invalid();
    const found = await this.withExecution(record.executionArn, async (execution) => {
      const thread = execution.waitingOn(record.threadId, token);
      if (!thread) return false;
      await fn(execution, thread);
      return true;
    });
    if (found) return;
    // No running execution waits on it: a closed execution's task timed out; else it never was.
    if (found === undefined && !(await this.store.getExecution(record.executionArn))) throw invalid();
    throw new ApiError('TaskTimedOut', `Task Timed Out: 'Provided task does not exist anymore'`);
  }

  async sendTaskSuccess(token: string, output: string): Promise<void> {
    let result: Json;
    try {
      result = JSON.parse(output);
    } catch (err) {
      throw new ApiError('InvalidOutput', `Invalid Output: '${(err as Error).message}'`, 400, { cause: err });
    }
    await this.withTask(token, (execution, thread) => execution.completeTask(thread, { result }));
  }

  async sendTaskFailure(token: string, error?: string, cause?: string): Promise<void> {
    await this.withTask(token, (execution, thread) => execution.completeTask(thread, { error: error ?? '', cause }));
  }

  async sendTaskHeartbeat(token: string): Promise<void> {
    await this.withTask(token, (execution, thread) => execution.heartbeat(thread));
  }

  // ---- executions in memory

  /** The running execution, from memory or loaded (and resumed) from the database. */
  private async execution(arn: string): Promise<Execution | undefined> {
    const live = this.live.get(arn);
    if (live) return live;
    let loading = this.loading.get(arn);
    if (!loading) {
      loading = (async () => {
        const record = await this.store.getExecution(arn, { snapshot: true });
        if (!record || record.status !== 'RUNNING' || this.closing) return undefined;
        const execution = Execution.resume(record, this.definition(record.definition), this.services);
        this.live.set(arn, execution);
        await execution.run();
        return execution;
      })();
      this.loading.set(arn, loading);
      loading.finally(() => this.loading.delete(arn)).catch(() => undefined);
    }
    return loading;
  }

  /** Fires the execution's due timers; resolves once it has nothing more to do (parked or ended). */
  private async fireTimers(arn: string): Promise<void> {
    if (this.closing) return;
    const execution = await this.withExecution(arn, async (e) => {
      await e.fireTimers();
      return e;
    });
    await execution?.whenIdle();
  }

  private async withExecution<T>(arn: string, fn: (execution: Execution) => Promise<T>): Promise<T | undefined> {
    this.holds.set(arn, (this.holds.get(arn) ?? 0) + 1);
    try {
      const execution = await this.execution(arn);
      return execution ? await fn(execution) : undefined;
    } finally {
      const left = this.holds.get(arn)! - 1;
      if (left > 0) this.holds.set(arn, left);
      else {
        this.holds.delete(arn);
        const execution = this.live.get(arn);
        if (execution && !execution.busy) this.live.delete(arn);
      }
    }
  }

  private reportError(err: unknown): void {
    if (!this.closing) console.error('[states]', err);
  }

  private executionServices(): ExecutionServices {
    const { options } = this;
    return {
      now: this.now,
      timeScale: options.timeScale ?? 1,
      region: options.region,
      accountId: options.accountId,
      save: async (record: ExecutionRecord, events: HistoryEvent[]) => {
        if (this.closing) throw new EngineClosedError();
        await this.store.saveExecution(record, events);
      },
      callResource: async (ref: ResourceRef, args: Json) => {
        if (ref.service === 'lambda') return invokeLambda(options.lambdas, args);
        if (ref.service === 'dynamodb') return callDynamo(options.dynamo, ref, args);
        // startExecution.waitForTaskToken: the child is handed the token in its input and answers it.
        const started = await this.services.startChild(args, undefined);
        return { ExecutionArn: started.executionArn, StartDate: started.startDate };
      },
      startChild: async (args, parent) => {
        const request = (args ?? {}) as Record<string, Json>;
        const input = request.Input === undefined ? '{}' : typeof request.Input === 'string' ? request.Input : JSON.stringify(request.Input);
        // A child started again after a crash gets the same name, so it is not started twice.
        const name =
          typeof request.Name === 'string'
            ? request.Name
            : parent
              ? createHash('sha256').update(`${parent.executionArn}#${parent.name}`).digest('hex').slice(0, 64)
              : undefined;
        const ref = parent ? { executionArn: parent.executionArn, threadId: parent.threadId } : undefined;
        const record = await this.startExecution({ stateMachineArn: String(request.StateMachineArn), name, input }, ref).catch(
          async (err) => {
            if (err instanceof ApiError && err.type === 'ExecutionAlreadyExists' && parent && name) {
              const arn = `${String(request.StateMachineArn).replace(':stateMachine:', ':execution:')}:${name}`;
              const existing = await this.store.getExecution(arn);
              if (existing?.parent?.executionArn === parent.executionArn) return existing;
            }
            throw err instanceof ApiError ? serviceError(err) : err;
          },
        );
        return { executionArn: record.arn, startDate: record.startDate };
      },
      stopChild: async (arn) => {
        await this.stopExecution(arn, 'States.Aborted', 'The parent task of this execution ended');
      },
      childIfClosed: async (arn) => {
        const record = await this.store.getExecution(arn);
        return record && record.status !== 'RUNNING' ? record : undefined;
      },
      scheduleWake: (arn, dueAt) => this.scheduler.schedule(arn, dueAt),
      idle: (execution) => {
        if (!this.holds.has(execution.arn) && this.live.get(execution.arn) === execution) this.live.delete(execution.arn);
      },
      closed: (record) => {
        this.scheduler.cancel(record.arn);
        this.statusEvents.changed(record);
        if (record.parent) void this.childClosed(record).catch((err) => this.reportError(err));
      },
      onError: (err) => this.reportError(err),
    };
  }

  private async childClosed(child: ExecutionRecord): Promise<void> {
    await this.withExecution(child.parent!.executionArn, async (parent) => parent.childClosed(child.parent!.threadId, child));
  }
}

/** AWS takes a versionDescription only with `publish: true` (CreateStateMachine, UpdateStateMachine). */
function checkVersionDescription(input: { publish?: boolean; versionDescription?: string }): void {
  if (input.versionDescription !== undefined && !input.publish) {
    throw new ApiError('ValidationException', 'versionDescription can only be set when publish is true');
  }
}

/**
 * An error of the Step Functions API met by a states:startExecution task, as AWS reports it to
 * the state: a task failure named after the service's exception, which Retry and Catch match
 * (`StepFunctions.ExecutionAlreadyExistsException`), with the service's words as the cause.
 */
function serviceError(err: ApiError): StatesError {
  const name = err.type.endsWith('Exception') ? err.type : `${err.type}Exception`;
  const cause = `${err.message} (Service: AWSStepFunctions; Status Code: ${err.status}; Error Code: ${err.type}; Request ID: ${randomUUID()}; Proxy: null)`;
  return new StatesError(`StepFunctions.${name}`, cause, { cause: err });
}
