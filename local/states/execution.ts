/**
 * One execution, running. Its whole runtime state is data - a set of threads (the main flow, each
 * Parallel branch, each Map iteration), each at a state and a step - so that it can be saved after
 * every transition and resumed from the database after a crash. A thread either can make progress
 * (steps 'enter', 'run', 'resume') or waits for something outside it: a timer, a task token, a
 * child execution, or its children threads. When no thread can make progress the execution is
 * saved and dropped from memory; a timer, a token or a child's end brings it back.
 */
import { StatesError, QueryEvaluationError } from './errors.ts';
import {
  evaluateExpression,
  evaluateTemplate,
  isExpression,
  jsonType,
  type EvaluationScope,
  type Json,
} from './expressions.ts';
import type { Definition, StateDef } from './definition.ts';
import { detailsKey, entered, exited, failure, jsonText, payloadDetails, type HistoryEvent } from './history.ts';
import { errorMatches, findRetrier, retryDelaySeconds } from './retry.ts';
import { parseResource, type ResourceRef } from './resources/index.ts';
import { newTaskToken } from './task-token.ts';
import type { ExecutionRecord, ExecutionStatus } from './store.ts';

/** Events kept in the execution record before they move to history items of their own. */
const RECENT_EVENTS_MAX = 64;

type Step = 'enter' | 'run' | 'resume' | 'retry' | 'wait' | 'token' | 'child' | 'children';
const RUNNABLE: Step[] = ['enter', 'run', 'resume'];

/** What a waiting thread was given when it is resumed. */
type Outcome = { result: Json } | { error: string; cause?: string; timedOut?: boolean; evaluation?: boolean };

interface Fanout {
  total: number;
  inputs: Json[];
  results: Json[];
  next: number;
  running: string[];
  failed: number;
  maxConcurrency: number;
  toleratedCount?: number;
  toleratedPercentage?: number;
}

export interface Thread {
  id: string;
  parentId?: string;
  /** Branch or iteration index within the parent. */
  index?: number;
  scope: string;
  state: string;
  input: Json;
  /** Variables assigned in this thread's scope; outer scopes are read through the parent. */
  vars: Record<string, Json>;
  step: Step;
  enteredEventId: number;
  enteredAt: number;
  lastEventId: number;
  retries: number[];
  outcome?: Outcome;
  dueAt?: number;
  token?: string;
  timeoutAt?: number;
  heartbeatAt?: number;
  heartbeatSeconds?: number;
  childArn?: string;
  fanout?: Fanout;
}

interface Snapshot {
  threads: Record<string, Thread>;
  nextThread: number;
  timeoutAt?: number;
}

/** What an execution needs from the engine around it. */
export interface ExecutionServices {
  now(): number;
  /** Multiplies every duration (Wait, timeouts, retry intervals); 1 in production. */
  timeScale: number;
  region: string;
  accountId: string;
  save(record: ExecutionRecord, events: HistoryEvent[]): Promise<void>;
  callResource(ref: ResourceRef, args: Json): Promise<Json>;
  startChild(
    args: Json,
    parent: { executionArn: string; threadId: string; name: string } | undefined,
  ): Promise<{ executionArn: string; startDate: number }>;
  /** The child's state if it has closed, to resume a parent after a restart. */
  childIfClosed(executionArn: string): Promise<ExecutionRecord | undefined>;
  /** Asks to be woken at `dueAt` (epoch ms). */
  scheduleWake(executionArn: string, dueAt: number): void;
  /** Called when no thread can make progress or the execution closed, once saved. */
  idle(execution: Execution): void;
  /** Called once the execution closed and was saved. */
  closed(record: ExecutionRecord): void;
  onError(err: unknown): void;
}

export class Execution {
  readonly record: ExecutionRecord;
  private snapshot: Snapshot;
  private pending: HistoryEvent[] = [];
  /** Saved events still kept inside the execution record (see store.ts). */
  private recent: HistoryEvent[];
  private savedSnapshot: string | undefined;
  private savedStatus: ExecutionStatus | undefined;
  private flushing: Promise<void> | undefined;
  private dirty = false;
  private loops = 0;
  /** Threads with an advance loop running: waking one of them needs no second loop. */
  private advancing = new Set<string>();

  private constructor(
    record: ExecutionRecord,
    private readonly definition: Definition,
    private readonly services: ExecutionServices,
  ) {
    this.record = record;
    this.snapshot = JSON.parse(record.snapshot) as Snapshot;
    this.recent = JSON.parse(record.recentEvents ?? '[]') as HistoryEvent[];
    if (record.version > 0) {
      this.savedSnapshot = record.snapshot;
      this.savedStatus = record.status;
    }
  }

  /** A new execution: its ExecutionStarted event and the main thread at StartAt, not yet saved. */
  static start(
    init: Omit<ExecutionRecord, 'snapshot' | 'nextEventId' | 'version' | 'status' | 'active'> & { roleArn: string },
    definition: Definition,
    services: ExecutionServices,
  ): Execution {
    const { roleArn, ...fields } = init;
    const snapshot: Snapshot = {
      threads: {},
      nextThread: 1,
      ...(definition.TimeoutSeconds ? { timeoutAt: init.startDate + definition.TimeoutSeconds * 1000 * services.timeScale } : {}),
    };
    const record: ExecutionRecord = {
      ...fields,
      status: 'RUNNING',
      snapshot: JSON.stringify(snapshot),
      nextEventId: 1,
      version: 0,
      active: true,
    };
    const execution = new Execution(record, definition, services);
    const started = execution.emit('ExecutionStarted', 0, {
      input: init.input,
      inputDetails: payloadDetails,
      roleArn,
    });
    const root = definition.scopes.get('')!;
    execution.snapshot.threads['0'] = execution.newThread('0', undefined, undefined, '', root.StartAt, JSON.parse(init.input), started);
    return execution;
  }

  static resume(record: ExecutionRecord, definition: Definition, services: ExecutionServices): Execution {
    return new Execution(record, definition, services);
  }

  get arn(): string {
    return this.record.arn;
  }

  /** True while a thread is advancing or a save is in flight. */
  get busy(): boolean {
    return this.loops > 0 || this.flushing !== undefined;
  }

  get isClosed(): boolean {
    return this.record.status !== 'RUNNING';
  }

  /**
   * Saves the execution: one write of the record (and, now and then, one of older history).
   * Calls while a save is in flight join the next round, so concurrent threads share writes.
   */
  save(): Promise<void> {
    this.dirty = true;
    // `finally` runs after the assignment, even when flush() finishes without awaiting.
    if (!this.flushing) this.flushing = this.flush().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const snapshot = JSON.stringify(this.snapshot);
      // Nothing new since the last save (an idle check, say): nothing to write.
      if (!this.pending.length && snapshot === this.savedSnapshot && this.record.status === this.savedStatus) continue;
      // New events ride in the record; now and then they move out to history items.
      this.recent.push(...this.pending);
      this.pending = [];
      let spilled: HistoryEvent[] = [];
      if (this.recent.length >= RECENT_EVENTS_MAX) {
        spilled = this.recent;
        this.recent = [];
      }
      this.record.recentEvents = JSON.stringify(this.recent);
      this.record.snapshot = snapshot;
      this.record.version += 1;
      this.record.active = this.hasWork();
      this.record.dueAt = this.earliestDue();
      await this.services.save({ ...this.record }, spilled);
      this.savedSnapshot = snapshot;
      this.savedStatus = this.record.status;
    }
  }

  private saveSoon(): void {
    this.save().catch((err) => this.services.onError(err));
  }

  /** Starts every thread that can make progress, and asks for the timers it waits on. */
  async run(): Promise<void> {
    for (const thread of Object.values(this.snapshot.threads)) {
      if (RUNNABLE.includes(thread.step)) this.spawn(thread);
    }
    for (const thread of Object.values(this.snapshot.threads)) {
      if (thread.step === 'child' && thread.childArn) {
        const child = await this.services.childIfClosed(thread.childArn);
        if (child) this.childClosed(thread.id, child);
      }
    }
    this.armTimer();
    this.checkIdle();
  }

  // ---- events from outside

  /** Fires every timer that is due: waits, retries, task timeouts, the execution's own timeout. */
  async fireTimers(): Promise<void> {
    if (this.isClosed) return;
    const now = this.services.now();
    if (this.snapshot.timeoutAt !== undefined && this.snapshot.timeoutAt <= now) {
      await this.close('TIMED_OUT', { error: 'States.Timeout', cause: undefined });
      return;
    }
    for (const t of Object.values(this.snapshot.threads)) {
      if (t.step === 'wait' && t.dueAt! <= now) this.wake(t, { result: t.input });
      else if (t.step === 'retry' && t.dueAt! <= now) {
        t.step = 'run';
        t.dueAt = undefined;
        this.spawn(t);
      } else if (t.step === 'token' && t.timeoutAt !== undefined && t.timeoutAt <= now) {
        this.wake(t, { error: 'States.Timeout', timedOut: true });
      } else if (t.step === 'token' && t.heartbeatAt !== undefined && t.heartbeatAt <= now) {
        this.wake(t, { error: 'States.HeartbeatTimeout', timedOut: true });
      }
    }
    this.armTimer();
    await this.save();
    this.checkIdle();
  }

  /** Finds the thread waiting on `token`; undefined if none is (any more). */
  waitingOn(threadId: string, token: string): Thread | undefined {
    const t = this.snapshot.threads[threadId];
    return t && t.step === 'token' && t.token === token ? t : undefined;
  }

  async completeTask(thread: Thread, outcome: Outcome): Promise<void> {
    this.wake(thread, outcome);
    await this.save();
  }

  async heartbeat(thread: Thread): Promise<void> {
    if (thread.heartbeatSeconds !== undefined) {
      thread.heartbeatAt = this.services.now() + thread.heartbeatSeconds * 1000 * this.services.timeScale;
      this.armTimer();
      await this.save();
    }
  }

  childClosed(threadId: string, child: ExecutionRecord): void {
    const t = this.snapshot.threads[threadId];
    if (!t || t.step !== 'child' || t.childArn !== child.arn) return;
    const description = describeChild(child);
    if (child.status === 'SUCCEEDED') this.wake(t, { result: description });
    else {
      const error = child.status === 'TIMED_OUT' ? 'States.Timeout' : 'States.TaskFailed';
      this.wake(t, { error, cause: JSON.stringify(description) });
    }
  }

  async stop(error: string | undefined, cause: string | undefined): Promise<void> {
    await this.close('ABORTED', { error, cause });
  }

  // ---- threads

  private newThread(id: string, parentId: string | undefined, index: number | undefined, scope: string, state: string, input: Json, lastEventId: number): Thread {
    return { id, parentId, index, scope, state, input, vars: {}, step: 'enter', enteredEventId: 0, enteredAt: 0, lastEventId, retries: [] };
  }

  private hasWork(): boolean {
    return Object.values(this.snapshot.threads).some((t) => RUNNABLE.includes(t.step) || t.step === 'child');
  }

  private earliestDue(): number | undefined {
    if (this.isClosed) return undefined;
    const dues = [this.snapshot.timeoutAt];
    for (const t of Object.values(this.snapshot.threads)) dues.push(t.dueAt, t.timeoutAt, t.heartbeatAt);
    const defined = dues.filter((d): d is number => d !== undefined);
    return defined.length ? Math.min(...defined) : undefined;
  }

  private armTimer(): void {
    const due = this.earliestDue();
    if (due !== undefined) this.services.scheduleWake(this.arn, due);
  }

  private wake(t: Thread, outcome: Outcome): void {
    t.outcome = outcome;
    t.step = 'resume';
    t.dueAt = t.timeoutAt = t.heartbeatAt = undefined;
    this.spawn(t);
  }

  private live(t: Thread): boolean {
    return !this.isClosed && this.snapshot.threads[t.id] === t;
  }

  private spawn(t: Thread): void {
    if (this.advancing.has(t.id)) return;
    this.loops += 1;
    void this.advance(t)
      .catch((err) => this.internalError(err))
      .finally(() => {
        this.loops -= 1;
        this.checkIdle();
      });
  }

  private checkIdle(): void {
    if (this.loops > 0) return;
    void this.save()
      .then(() => {
        if (this.loops === 0) this.services.idle(this);
      })
      .catch((err) => this.services.onError(err));
  }

  private async internalError(err: unknown): Promise<void> {
    this.services.onError(err);
    if (!this.isClosed) await this.close('FAILED', { error: 'States.Runtime', cause: (err as Error)?.message ?? String(err) });
  }

  private async advance(t: Thread): Promise<void> {
    this.advancing.add(t.id);
    try {
      await this.advanceLoop(t);
    } finally {
      this.advancing.delete(t.id);
    }
  }

  private async advanceLoop(t: Thread): Promise<void> {
    while (this.live(t) && RUNNABLE.includes(t.step)) {
      const state = this.stateOf(t);
      try {
        if (t.step === 'enter') {
          t.enteredAt = this.services.now();
          t.retries = [];
          t.enteredEventId = this.emitFor(t, `${state.Type}StateEntered`, entered(t.state, t.input));
          t.step = 'run';
          // Saved in the background: every checkpoint holds all transitions so far. A task saves
          // (and waits for it) right before its side effect, which covers its entry too.
          if (state.Type !== 'Task') this.saveSoon();
        } else if (t.step === 'run') {
          await this.runState(t, state);
        } else {
          const outcome = t.outcome!;
          t.outcome = undefined;
          await this.resumeState(t, state, outcome);
        }
      } catch (err) {
        if (!(err instanceof StatesError)) throw err;
        if (this.live(t)) await this.fail(t, state, err);
      }
    }
  }

  private stateOf(t: Thread): StateDef {
    return this.definition.scopes.get(t.scope)!.States[t.state];
  }

  /** Variables visible in a thread: its own over its ancestors'. */
  private variables(t: Thread): Record<string, Json> {
    const parent = t.parentId !== undefined ? this.snapshot.threads[t.parentId] : undefined;
    return parent ? { ...this.variables(parent), ...t.vars } : { ...t.vars };
  }

  private context(t: Thread, extra: Record<string, Json> = {}): Json {
    const sm = this.record.stateMachineArn;
    return {
      Execution: {
        Id: this.arn,
        Input: JSON.parse(this.record.input),
        StartTime: new Date(this.record.startDate).toISOString(),
        Name: this.record.name,
        RoleArn: `arn:aws:iam::${this.services.accountId}:role/local-states`,
        RedriveCount: 0,
      },
      StateMachine: { Id: sm, Name: sm.slice(sm.lastIndexOf(':') + 1) },
      State: { Name: t.state, EnteredTime: new Date(t.enteredAt).toISOString(), RetryCount: t.retries.reduce((a, b) => a + (b ?? 0), 0) },
      ...(t.token ? { Task: { Token: t.token } } : {}),
      ...extra,
    };
  }

  private scope(t: Thread, states: Partial<EvaluationScope['states']> = {}, extraContext?: Record<string, Json>): EvaluationScope {
    return { states: { input: t.input, context: this.context(t, extraContext), ...states }, variables: this.variables(t) };
  }

  private async evaluateNumber(value: unknown, field: string, t: Thread): Promise<number | undefined> {
    if (value === undefined) return undefined;
    const result = isExpression(value) ? await evaluateExpression(value, field, this.scope(t)) : (value as Json);
    if (typeof result !== 'number' || result < 0) {
      throw new QueryEvaluationError(`The field '${field}' must be a non-negative number but was: ${JSON.stringify(result)}`, field);
    }
    return result;
  }

  // ---- states

  private async runState(t: Thread, state: StateDef): Promise<void> {
    switch (state.Type) {
      case 'Pass':
        return this.complete(t, state, undefined);
      case 'Succeed': {
        const output = state.Output === undefined ? t.input : await evaluateTemplate(state.Output, 'Output', this.scope(t));
        this.emitFor(t, 'SucceedStateExited', exited(t.state, output));
        return this.endThread(t, { result: output });
      }
      case 'Fail': {
        const scope = this.scope(t);
        const text = async (field: 'Error' | 'Cause') => {
          const value = state[field];
          if (value === undefined) return undefined;
          const result = await evaluateTemplate(value, field, scope);
          return typeof result === 'string' ? result : JSON.stringify(result);
        };
        const error = await text('Error');
        const cause = await text('Cause');
        return this.endThread(t, { error: error as string, cause });
      }
      case 'Choice':
        return this.runChoice(t, state);
      case 'Wait':
        return this.runWait(t, state);
      case 'Task':
        return this.runTask(t, state);
      case 'Parallel':
      case 'Map':
        return this.runFanout(t, state);
    }
  }

  private async runChoice(t: Thread, state: StateDef): Promise<void> {
    const scope = this.scope(t);
    for (const [i, rule] of state.Choices!.entries()) {
      const field = `Choices/${i}/Condition`;
      const value = typeof rule.Condition === 'boolean' ? rule.Condition : await evaluateTemplate(rule.Condition, field, scope);
      if (typeof value !== 'boolean') {
        throw new QueryEvaluationError(`The Condition of choice rule ${i} must be a boolean but was: ${JSON.stringify(value)}`, field);
      }
      if (value) return this.choose(t, rule.Next, rule.Output ?? state.Output, rule.Assign ?? state.Assign, scope);
    }
    if (state.Default === undefined) throw new StatesError('States.NoChoiceMatched', `No Choice rule matched in state '${t.state}'`);
    return this.choose(t, state.Default, state.Output, state.Assign, scope);
  }

  private async choose(t: Thread, next: string, outputField: unknown, assignField: Record<string, unknown> | undefined, scope: EvaluationScope): Promise<void> {
    const assigned = assignField ? ((await evaluateTemplate(assignField, 'Assign', scope)) as Record<string, Json>) : undefined;
    const output = outputField === undefined ? t.input : await evaluateTemplate(outputField, 'Output', scope);
    this.emitFor(t, 'ChoiceStateExited', exited(t.state, output, assigned));
    Object.assign(t.vars, assigned);
    return this.transition(t, next, output);
  }

  private async runWait(t: Thread, state: StateDef): Promise<void> {
    const now = this.services.now();
    let dueAt: number;
    if (state.Seconds !== undefined) {
      const seconds = await this.evaluateNumber(state.Seconds, 'Seconds', t);
      dueAt = now + seconds! * 1000 * this.services.timeScale;
    } else {
      const value = isExpression(state.Timestamp) ? await evaluateExpression(state.Timestamp, 'Timestamp', this.scope(t)) : state.Timestamp;
      const at = typeof value === 'string' ? parseTimestamp(value) : undefined;
      if (at === undefined) {
        throw new QueryEvaluationError(
          `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
          'Timestamp',
        );
      }
      dueAt = at;
    }
    if (dueAt <= now) return this.complete(t, state, undefined);
    t.step = 'wait';
    t.dueAt = dueAt;
    this.armTimer();
  }

  private async runTask(t: Thread, state: StateDef): Promise<void> {
    const ref = parseResource(state.Resource!)!;
    const waitsForToken = ref.pattern === 'waitForTaskToken';
    if (waitsForToken && !t.token) t.token = newTaskToken({ executionArn: this.arn, threadId: t.id });
    const args = state.Arguments === undefined ? t.input : await evaluateTemplate(state.Arguments, 'Arguments', this.scope(t));
    const timeoutSeconds = await this.evaluateNumber(state.TimeoutSeconds, 'TimeoutSeconds', t);
    const heartbeatSeconds = await this.evaluateNumber(state.HeartbeatSeconds, 'HeartbeatSeconds', t);
    const resource = { resourceType: ref.resourceType, resource: ref.resource };
    this.emitFor(t, 'TaskScheduled', {
      ...resource,
      region: this.services.region,
      parameters: jsonText(args),
      ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
    });
    this.emitFor(t, 'TaskStarted', resource);
    await this.save();

    const scaled = (s: number) => s * 1000 * this.services.timeScale;
    if (ref.service === 'states') {
      const child = ref.pattern === 'sync' ? { executionArn: this.arn, threadId: t.id, name: `${t.id}-${t.enteredEventId}-${t.retries.reduce((a, b) => a + (b ?? 0), 0)}` } : undefined;
      const started = await this.services.startChild(args, child);
      if (!this.live(t)) return;
      const response = { ExecutionArn: started.executionArn, StartDate: started.startDate };
      if (!child) return this.taskSucceeded(t, state, response);
      this.emitFor(t, 'TaskSubmitted', { ...resource, output: jsonText(response), outputDetails: payloadDetails });
      t.step = 'child';
      t.childArn = started.executionArn;
      if (timeoutSeconds !== undefined) t.timeoutAt = this.services.now() + scaled(timeoutSeconds);
      this.armTimer();
      // A child that ended before we waited for it (a restart in between) still counts.
      const closed = await this.services.childIfClosed(started.executionArn);
      if (closed) this.childClosed(t.id, closed);
      return;
    }

    if (waitsForToken) {
      // Waiting starts before the call: the handler may send the token back before it returns.
      const token = t.token;
      t.step = 'token';
      const now = this.services.now();
      if (timeoutSeconds !== undefined) t.timeoutAt = now + scaled(timeoutSeconds);
      if (heartbeatSeconds !== undefined) {
        t.heartbeatSeconds = heartbeatSeconds;
        t.heartbeatAt = now + scaled(heartbeatSeconds);
      }
      this.armTimer();
      let response: Json;
      try {
        response = await this.services.callResource(ref, args);
      } catch (err) {
        if (!(err instanceof StatesError)) throw err;
        if (this.live(t) && t.token === token && t.step === 'token') {
          return this.resumeState(t, state, { error: err.error, cause: err.causeText });
        }
        return;
      }
      if (this.live(t)) this.emitFor(t, 'TaskSubmitted', { ...resource, output: jsonText(response), outputDetails: payloadDetails });
      return;
    }

    let timer: NodeJS.Timeout | undefined;
    const call = this.services.callResource(ref, args);
    const result = await (timeoutSeconds === undefined
      ? call
      : Promise.race([
          call,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new TaskTimeout()), scaled(timeoutSeconds));
          }),
        ])
    ).catch((err) => {
      if (err instanceof TaskTimeout) return { timedOut: true } as const;
      if (err instanceof StatesError) return { failed: err } as const;
      throw err;
    }).finally(() => clearTimeout(timer));
    if (!this.live(t)) return;
    if (isTimeout(result)) return this.resumeState(t, state, { error: 'States.Timeout', timedOut: true });
    if (isFailure(result)) return this.resumeState(t, state, { error: result.failed.error, cause: result.failed.causeText });
    return this.taskSucceeded(t, state, result as Json);
  }

  private async taskSucceeded(t: Thread, state: StateDef, result: Json): Promise<void> {
    const ref = parseResource(state.Resource!)!;
    this.emitFor(t, 'TaskSucceeded', { resourceType: ref.resourceType, resource: ref.resource, output: jsonText(result), outputDetails: payloadDetails });
    return this.complete(t, state, result);
  }

  /** A waiting thread got what it waited for. */
  private async resumeState(t: Thread, state: StateDef, outcome: Outcome): Promise<void> {
    t.token = undefined;
    t.childArn = undefined;
    if (state.Type === 'Wait') return this.complete(t, state, undefined);
    if ('result' in outcome) {
      if (state.Type === 'Task') return this.taskSucceeded(t, state, outcome.result);
      this.emitFor(t, `${state.Type}StateSucceeded`, undefined);
      return this.complete(t, state, outcome.result);
    }
    if (state.Type === 'Task') {
      const ref = parseResource(state.Resource!)!;
      this.emitFor(t, outcome.timedOut ? 'TaskTimedOut' : 'TaskFailed', {
        resourceType: ref.resourceType,
        resource: ref.resource,
        ...failure(outcome.error, outcome.cause),
      });
    }
    return this.fail(t, state, new StatesError(outcome.error, outcome.cause), true);
  }

  private async runFanout(t: Thread, state: StateDef): Promise<void> {
    const scope = this.scope(t);
    let inputs: Json[];
    let fanout: Omit<Fanout, 'inputs' | 'total' | 'results'> = { next: 0, running: [], failed: 0, maxConcurrency: 0 };
    if (state.Type === 'Parallel') {
      const input = state.Arguments === undefined ? t.input : await evaluateTemplate(state.Arguments, 'Arguments', scope);
      inputs = state.Branches!.map(() => input);
    } else {
      let items: Json;
      if (state.Items === undefined) {
        items = t.input;
        if (!Array.isArray(items)) throw new QueryEvaluationError(`Map state input must be an array but was: ${JSON.stringify(items)}`, undefined);
      } else {
        items = await evaluateTemplate(state.Items, 'Items', scope);
        if (!Array.isArray(items)) {
          const text = isExpression(state.Items) ? (state.Items as string).slice(2, -2).trim() : JSON.stringify(state.Items);
          throw new QueryEvaluationError(
            `The JSONata expression '${text}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonType(items)}' for value: ${JSON.stringify(items)}`,
            'Items',
          );
        }
      }
      inputs = items;
      fanout = {
        ...fanout,
        maxConcurrency: (await this.evaluateNumber(state.MaxConcurrency, 'MaxConcurrency', t)) ?? 0,
        toleratedCount: await this.evaluateNumber(state.ToleratedFailureCount, 'ToleratedFailureCount', t),
        toleratedPercentage: await this.evaluateNumber(state.ToleratedFailurePercentage, 'ToleratedFailurePercentage', t),
      };
    }
    this.emitFor(t, `${state.Type}StateStarted`, state.Type === 'Map' ? { length: inputs.length } : undefined);
    t.fanout = { ...fanout, total: inputs.length, inputs, results: new Array(inputs.length).fill(null) };
    t.step = 'children';
    if (inputs.length === 0) return this.wake(t, { result: [] });

    await this.launchChildren(t, state);
  }

  private async launchChildren(t: Thread, state: StateDef): Promise<void> {
    const f = t.fanout!;
    const limit = f.maxConcurrency > 0 ? f.maxConcurrency : Infinity;
    while (f.next < f.total && f.running.length < limit) {
      const index = f.next++;
      const base = `${t.scope}/States/${t.state.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const scopeKey = state.Type === 'Parallel' ? `${base}/Branches/${index}` : `${base}/ItemProcessor`;
      let input = f.inputs[index];
      if (state.Type === 'Map') {
        this.emitFor(t, 'MapIterationStarted', { name: t.state, index });
        if (state.ItemSelector !== undefined) {
          input = await evaluateTemplate(state.ItemSelector, 'ItemSelector', this.scope(t, {}, { Map: { Item: { Index: index, Value: input } } }));
        }
      }
      const id = `${t.id}.${this.snapshot.nextThread++}`;
      const child = this.newThread(id, t.id, index, scopeKey, this.definition.scopes.get(scopeKey)!.StartAt, input, t.lastEventId);
      this.snapshot.threads[id] = child;
      f.running.push(id);
      this.spawn(child);
    }
  }

  /** A branch or iteration ended: record it, start the next, or finish the parent. */
  private async childEnded(child: Thread, outcome: Outcome): Promise<void> {
    const parent = this.snapshot.threads[child.parentId!];
    if (!parent?.fanout) return;
    const f = parent.fanout;
    const state = this.stateOf(parent);
    f.running = f.running.filter((id) => id !== child.id);
    const isMap = state.Type === 'Map';
    if ('result' in outcome) {
      f.results[child.index!] = outcome.result;
      if (isMap) this.emitFor(parent, 'MapIterationSucceeded', { name: parent.state, index: child.index });
    } else {
      f.failed += 1;
      f.results[child.index!] = { Error: outcome.error ?? null, Cause: outcome.cause ?? null };
      if (isMap) this.emitFor(parent, 'MapIterationFailed', { name: parent.state, index: child.index });
      const tolerated = isMap && (f.toleratedCount !== undefined || f.toleratedPercentage !== undefined);
      const exceeded =
        !tolerated ||
        (f.toleratedCount !== undefined && f.failed > f.toleratedCount) ||
        (f.toleratedPercentage !== undefined && (f.failed * 100) / f.total > f.toleratedPercentage);
      if (exceeded) {
        for (const id of f.running) {
          const sibling = this.snapshot.threads[id];
          if (isMap && sibling) this.emitFor(parent, 'MapIterationAborted', { name: parent.state, index: sibling.index });
          this.removeThread(id);
        }
        f.running = [];
        this.emitFor(parent, `${state.Type}StateFailed`, undefined);
        const error = tolerated
          ? { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' }
          : { error: outcome.error, cause: outcome.cause };
        parent.fanout = undefined;
        parent.step = 'run';
        // Errors of the children were reported already; the parent only retries or catches.
        void this.spawnFailure(parent, state, new StatesError(error.error ?? 'States.TaskFailed', error.cause));
        return;
      }
    }
    if (f.running.length === 0 && f.next >= f.total) {
      const results = f.results;
      parent.fanout = undefined;
      this.wake(parent, { result: results });
      return;
    }
    await this.launchChildren(parent, state);
  }

  private spawnFailure(t: Thread, state: StateDef, err: StatesError): Promise<void> {
    this.loops += 1;
    return this.fail(t, state, err, true)
      .then(() => {
        if (this.live(t) && RUNNABLE.includes(t.step)) this.spawn(t);
      })
      .catch((e) => this.internalError(e))
      .finally(() => {
        this.loops -= 1;
        this.checkIdle();
      });
  }

  private removeThread(id: string): void {
    const t = this.snapshot.threads[id];
    if (!t) return;
    for (const childId of t.fanout?.running ?? []) this.removeThread(childId);
    delete this.snapshot.threads[id];
  }

  // ---- finishing a state

  /** A state produced its result: evaluate Assign and Output, report, and move on. */
  private async complete(t: Thread, state: StateDef, result: Json | undefined): Promise<void> {
    const scope = this.scope(t, result === undefined ? {} : { result });
    const assigned = state.Assign ? ((await evaluateTemplate(state.Assign, 'Assign', scope)) as Record<string, Json>) : undefined;
    const output = state.Output === undefined ? (result === undefined ? t.input : result) : await evaluateTemplate(state.Output, 'Output', scope);
    this.emitFor(t, `${state.Type}StateExited`, exited(t.state, output, assigned));
    Object.assign(t.vars, assigned);
    return this.transition(t, state.End ? undefined : state.Next, output);
  }

  private async transition(t: Thread, next: string | undefined, output: Json): Promise<void> {
    t.fanout = undefined;
    t.dueAt = t.timeoutAt = t.heartbeatAt = t.heartbeatSeconds = undefined;
    if (next === undefined) return this.endThread(t, { result: output });
    t.state = next;
    t.input = output;
    t.step = 'enter';
  }

  /** An error in a state: report it, then retry, catch, or end the thread with it. */
  private async fail(t: Thread, state: StateDef, err: StatesError, reported = false): Promise<void> {
    const cause = err instanceof QueryEvaluationError ? `An error occurred while executing the state '${t.state}' (entered at the event id #${t.enteredEventId}). ${err.causeText}` : err.causeText;
    if (!reported && err instanceof QueryEvaluationError) {
      this.emitFor(t, 'EvaluationFailed', { ...failure(err.error, cause), ...(err.location ? { location: err.location } : {}), state: t.state });
      if (state.Type === 'Map' || state.Type === 'Parallel') this.emitFor(t, `${state.Type}StateFailed`, undefined);
    }
    t.token = undefined;
    const retrier = findRetrier(state.Retry, err.error, t.retries);
    if (retrier !== undefined) {
      const attempt = t.retries[retrier] ?? 0;
      t.retries[retrier] = attempt + 1;
      const delay = retryDelaySeconds(state.Retry![retrier], attempt);
      t.step = 'retry';
      t.dueAt = this.services.now() + delay * 1000 * this.services.timeScale;
      if (delay <= 0) {
        t.step = 'run';
        t.dueAt = undefined;
      } else this.armTimer();
      return;
    }
    const catcher = state.Catch?.find((c) => errorMatches(c.ErrorEquals, err.error));
    if (catcher) {
      const errorOutput: Json = { Error: err.error, Cause: cause ?? null };
      const scope = this.scope(t, { errorOutput });
      const assigned = catcher.Assign ? ((await evaluateTemplate(catcher.Assign, 'Assign', scope)) as Record<string, Json>) : undefined;
      const output = catcher.Output === undefined ? errorOutput : await evaluateTemplate(catcher.Output, 'Output', scope);
      this.emitFor(t, `${state.Type}StateExited`, exited(t.state, output, assigned));
      Object.assign(t.vars, assigned);
      return this.transition(t, catcher.Next, output);
    }
    await this.endThread(t, { error: err.error, cause });
  }

  private async endThread(t: Thread, outcome: Outcome): Promise<void> {
    // A thread removed meanwhile (a sibling failed its Map or Parallel, or a stop) has no say.
    if (!this.live(t)) return;
    delete this.snapshot.threads[t.id];
    if (t.parentId === undefined) {
      if ('result' in outcome) await this.close('SUCCEEDED', { output: outcome.result });
      else await this.close('FAILED', { error: outcome.error, cause: outcome.cause });
      return;
    }
    await this.childEnded(t, outcome);
  }

  private async close(status: Exclude<ExecutionStatus, 'RUNNING'>, end: { output?: Json; error?: string; cause?: string }): Promise<void> {
    if (this.isClosed) return;
    const last = Math.max(0, ...Object.values(this.snapshot.threads).map((t) => t.lastEventId), this.record.nextEventId - 1);
    for (const id of Object.keys(this.snapshot.threads)) this.removeThread(id);
    this.snapshot.threads = {};
    this.snapshot.timeoutAt = undefined;
    const type = { SUCCEEDED: 'ExecutionSucceeded', FAILED: 'ExecutionFailed', TIMED_OUT: 'ExecutionTimedOut', ABORTED: 'ExecutionAborted' }[status];
    const details = status === 'SUCCEEDED' ? { output: jsonText(end.output), outputDetails: payloadDetails } : failure(end.error, end.cause);
    this.emit(type, last, details);
    Object.assign(this.record, {
      status,
      stopDate: this.services.now(),
      ...(status === 'SUCCEEDED' ? { output: jsonText(end.output) } : failure(end.error, end.cause)),
    });
    await this.save();
    this.services.closed(this.record);
  }

  // ---- history

  private emit(type: string, previousEventId: number, details: object | undefined): number {
    const id = this.record.nextEventId++;
    const key = detailsKey(type);
    this.pending.push({ timestamp: this.services.now(), type, id, previousEventId, ...(details ? { [key]: details } : {}) });
    return id;
  }

  private emitFor(t: Thread, type: string, details: object | undefined): number {
    const id = this.emit(type, t.lastEventId, details);
    t.lastEventId = id;
    return id;
  }
}

class TaskTimeout extends Error {}
const isTimeout = (r: unknown): r is { timedOut: true } => !!r && typeof r === 'object' && 'timedOut' in r && !Array.isArray(r) && Object.keys(r).length === 1;
const isFailure = (r: unknown): r is { failed: StatesError } => !!r && typeof r === 'object' && (r as any).failed instanceof StatesError;

/** ISO-8601 extended offset date-time, as AWS accepts it for Wait.Timestamp. */
export function parseTimestamp(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 59) return undefined;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac ? frac.slice(0, 4) : ''}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** What a startExecution.sync:2 task returns: DescribeExecution, with Input/Output as JSON. */
function describeChild(child: ExecutionRecord): Json {
  return {
    ExecutionArn: child.arn,
    Input: JSON.parse(child.input),
    InputDetails: { Included: true },
    Name: child.name,
    ...(child.output !== undefined ? { Output: JSON.parse(child.output), OutputDetails: { Included: true } } : {}),
    ...(child.error !== undefined ? { Error: child.error } : {}),
    ...(child.cause !== undefined ? { Cause: child.cause } : {}),
    StartDate: child.startDate,
    StateMachineArn: child.stateMachineArn,
    Status: child.status,
    ...(child.stopDate !== undefined ? { StopDate: child.stopDate } : {}),
  };
}
