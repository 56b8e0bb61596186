/**
 * One execution, running. Its whole runtime state is data - a set of threads (the main flow, each
 * Parallel branch, each Map iteration; see thread.ts), each at a state and a step - checkpointed
 * to DynamoDB with the history events of every transition, so that it resumes from the database
 * after a crash. A thread either can make progress (steps 'enter', 'run', 'resume') or waits for
 * something outside it: a timer, a task token, a child execution, or its children threads. When
 * no thread can make progress the execution is saved and dropped from memory; a timer, a token
 * or a child's end brings it back. The state types live in states/; this is their common flow:
 * entering, Assign/Output, Retry/Catch, transitions, ending threads and the execution.
 */
import { EngineClosedError, StatesError, QueryEvaluationError } from './errors.ts';
import {
  evaluateExpression,
  evaluateTemplate,
  isExpression,
  type EvaluationScope,
  type Json,
} from './expressions.ts';
import type { Definition, StateDef } from './definition.ts';
import { detailsKey, entered, exited, failure, jsonText, payloadDetails, type HistoryEvent } from './history.ts';
import { errorMatches, findRetrier, retryDelaySeconds } from './retry.ts';
import { parseResource, type ResourceRef } from './resources/index.ts';
import type { ExecutionRecord, ExecutionStatus } from './store.ts';
import { NON_NEGATIVE, RUNNABLE, type NumberRange, type Outcome, type StateRunner, type Thread } from './thread.ts';
import { runChoice } from './states/choice.ts';
import { runWait } from './states/wait.ts';
import { runTask, taskSucceeded } from './states/task.ts';
import { childEnded, runFanout } from './states/fanout.ts';
import { rememberRedrive } from './redrive-tokens.ts';

/** Events kept in the execution record before they move to history items of their own. */
const RECENT_EVENTS_MAX = 64;
/** ... or once they weigh more than this (characters of JSON): large payloads leave the record at once. */
const RECENT_EVENTS_CHARS = 16 * 1024;
/** AWS: "Maximum execution history size: 25,000 events"; past it the execution fails. */
export const MAX_HISTORY_EVENTS = 25_000;
/**
 * AWS's maximum execution time (developer guide, "Step Functions service quotas"): a year from
 * the start, TimeoutSeconds or not, redrives included; past it the execution times out.
 */
export const MAX_EXECUTION_MS = 365 * 86_400_000;

/** When the execution times out: its TimeoutSeconds from `from` (start or redrive), within a year of its start. */
function timeoutAt(definition: Definition, from: number, startDate: number, timeScale: number): number {
  const own = definition.TimeoutSeconds ? from + definition.TimeoutSeconds * 1000 * timeScale : Infinity;
  return Math.min(own, startDate + MAX_EXECUTION_MS);
}

/** The next event would pass MAX_HISTORY_EVENTS (the last one is kept for ExecutionFailed). */
class HistoryLimitExceeded extends Error {
  constructor() {
    super(`The execution reached the maximum number of events in its history (${MAX_HISTORY_EVENTS})`);
    this.name = 'HistoryLimitExceeded';
  }
}

interface Snapshot {
  threads: Record<string, Thread>;
  nextThread: number;
  timeoutAt?: number;
  /** Kept when the execution fails, times out or is stopped: the threads a redrive starts again. */
  redrive?: Record<string, Thread>;
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
  /** Stops a child execution whose task was abandoned (timed out, aborted with its parent). */
  stopChild(executionArn: string): Promise<void>;
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

export class Execution implements StateRunner {
  readonly record: ExecutionRecord;
  private snapshot: Snapshot;
  private pending: HistoryEvent[] = [];
  /** Saved events still kept inside the execution record (see store.ts). */
  private recent: HistoryEvent[];
  private savedSnapshot: string | undefined;
  private readonly createdOutcome = settlers();
  /** Settles with the first save, which creates the execution's record. */
  readonly created = this.createdOutcome.promise;
  private savedStatus: ExecutionStatus | undefined;
  private flushing: Promise<void> | undefined;
  private dirty = false;
  private loops = 0;
  /** Threads with an advance loop running: waking one of them needs no second loop. */
  private advancing = new Set<string>();
  /** Who waits for the execution to have nothing more to do (see whenIdle). */
  private idleWaiters: Array<() => void> = [];

  private constructor(
    record: ExecutionRecord,
    private readonly definition: Definition,
    readonly services: ExecutionServices,
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
    const { roleArn } = init;
    const snapshot: Snapshot = {
      threads: {},
      nextThread: 1,
      timeoutAt: timeoutAt(definition, init.startDate, init.startDate, services.timeScale),
    };
    const record: ExecutionRecord = {
      ...init,
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

  /** True while a closed execution keeps the point a redrive starts from. */
  static canRedrive(record: ExecutionRecord): boolean {
    return record.status !== 'RUNNING' && record.status !== 'SUCCEEDED' && !!(JSON.parse(record.snapshot) as Snapshot).redrive;
  }

  /**
   * A FAILED, TIMED_OUT or ABORTED execution running again from where it stopped (AWS:
   * RedriveExecution): the threads that had not finished enter their states again, with the
   * inputs and variables they had; ExecutionRedriven follows the history so far. Not yet saved.
   */
  static redrive(record: ExecutionRecord, definition: Definition, services: ExecutionServices, clientToken?: string): Execution {
    const snapshot = JSON.parse(record.snapshot) as Snapshot;
    const now = services.now();
    const redriveCount = (record.redriveCount ?? 0) + 1;
    const reopened: ExecutionRecord = {
      ...record,
      status: 'RUNNING',
      output: undefined,
      error: undefined,
      cause: undefined,
      stopDate: undefined,
      redriveCount,
      redriveDate: now,
      redriveTokens: rememberRedrive(record.redriveTokens, clientToken, now),
      snapshot: JSON.stringify({ ...snapshot, redrive: undefined, threads: {} }),
    };
    const execution = new Execution(reopened, definition, services);
    const redriven = execution.emit('ExecutionRedriven', record.nextEventId - 1, { redriveCount });
    for (const t of Object.values(snapshot.redrive!)) execution.snapshot.threads[t.id] = { ...t, lastEventId: redriven };
    execution.snapshot.timeoutAt = timeoutAt(definition, now, record.startDate, services.timeScale);
    execution.savedSnapshot = undefined;
    execution.savedStatus = undefined;
    return execution;
  }

  get arn(): string {
    return this.record.arn;
  }

  private parsedInput: { value: Json } | undefined;
  /** The execution's input, parsed once (it is in every $states.context). */
  private get input(): Json {
    this.parsedInput ??= { value: JSON.parse(this.record.input) as Json };
    return this.parsedInput.value;
  }

  /** Once the save under way, if any, is done (whether it succeeded or not). */
  saved(): Promise<void> {
    return (this.flushing ?? Promise.resolve()).catch(() => undefined);
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
  async save(): Promise<void> {
    this.dirty = true;
    for (;;) {
      // `finally` runs after the assignment, even when flush() finishes without awaiting.
      if (!this.flushing) this.flushing = this.flush().finally(() => (this.flushing = undefined));
      try {
        return await this.flushing;
      } catch (err) {
        // A round that failed before it took our change: our change gets a round of its own.
        if (!this.dirty) throw err;
      }
    }
  }

  private async flush(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const snapshot = JSON.stringify(this.snapshot);
      // Nothing new since the last save (an idle check, say): nothing to write.
      if (!this.pending.length && snapshot === this.savedSnapshot && this.record.status === this.savedStatus) continue;
      // New events ride in the record; now and then they move out to history items. Nothing
      // changes in memory until the write succeeded, so a failed save loses no event.
      const count = this.pending.length;
      const recent = this.recent.concat(this.pending.slice(0, count));
      const recentText = JSON.stringify(recent);
      const spill = recent.length >= RECENT_EVENTS_MAX || recentText.length > RECENT_EVENTS_CHARS;
      const record: ExecutionRecord = {
        ...this.record,
        recentEvents: spill ? '[]' : recentText,
        snapshot,
        active: this.hasWork(),
        dueAt: this.earliestDue(),
        version: this.record.version + 1,
      };
      try {
        await this.services.save(record, spill ? recent : []);
      } catch (err) {
        if (this.record.version === 0) this.createdOutcome.reject(err);
        throw err;
      }
      this.pending.splice(0, count);
      this.recent = spill ? [] : recent;
      Object.assign(this.record, { recentEvents: record.recentEvents, snapshot, active: record.active, dueAt: record.dueAt, version: record.version, blobs: record.blobs });
      this.savedSnapshot = snapshot;
      this.savedStatus = record.status;
      if (record.version === 1) this.createdOutcome.resolve();
    }
  }

  private saveSoon(): void {
    this.save().catch((err) => this.checkpointFailed(err));
  }

  /** A checkpoint that cannot be written (too large, say) fails the execution rather than hang it. */
  private checkpointFailed(err: unknown): void {
    if (!this.isClosed && !(err instanceof EngineClosedError)) void this.internalError(err);
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

  /**
   * Finds the thread waiting on `token`; undefined if none is (any more). A task being run again
   * after a restart (step 'run', its token kept) counts as waiting: the token reached someone
   * before the crash, and their answer is the task's result.
   */
  waitingOn(threadId: string, token: string): Thread | undefined {
    const t = this.snapshot.threads[threadId];
    return t && t.token === token && (t.step === 'token' || t.step === 'run') ? t : undefined;
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

  armTimer(): void {
    const due = this.earliestDue();
    if (due !== undefined) this.services.scheduleWake(this.arn, due);
  }

  wake(t: Thread, outcome: Outcome): void {
    t.outcome = outcome;
    t.step = 'resume';
    t.dueAt = t.timeoutAt = t.heartbeatAt = undefined;
    this.spawn(t);
  }

  live(t: Thread): boolean {
    return !this.isClosed && this.snapshot.threads[t.id] === t;
  }

  private spawn(t: Thread): void {
    if (this.advancing.has(t.id)) return;
    this.advancing.add(t.id);
    this.loops += 1;
    // On the next turn, not now: a thread that ends at once (a Pass iteration) starts the next
    // one, which would otherwise nest every iteration of a Map on one call stack.
    setImmediate(() => {
      void this.advance(t)
        .catch((err) => this.internalError(err))
        .finally(() => {
          this.loops -= 1;
          this.checkIdle();
        });
    });
  }

  private checkIdle(): void {
    if (this.loops > 0) return;
    void this.save()
      .then(() => {
        if (this.loops > 0) return;
        this.services.idle(this);
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      })
      .catch((err) => this.checkpointFailed(err));
  }

  /** Resolves once no thread can make progress (every one waits, or the execution ended) and that is saved. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  private async internalError(err: unknown): Promise<void> {
    // Past the engine's close nothing is kept: the execution is not failed for it.
    if (this.isClosed || err instanceof EngineClosedError) return;
    if (!(err instanceof HistoryLimitExceeded)) this.services.onError(err);
    await this.close('FAILED', { error: 'States.Runtime', cause: (err as Error)?.message ?? String(err) }).catch((e) => this.services.onError(e));
  }

  private async advance(t: Thread): Promise<void> {
    try {
      await this.advanceLoop(t);
    } catch (err) {
      // On a normal end the loop has let go already (and a new loop may hold the thread now).
      this.advancing.delete(t.id);
      throw err;
    }
  }

  private async advanceLoop(t: Thread): Promise<void> {
    for (;;) {
      // Let go in the same turn as the last check, so that a wake-up right after finds no loop
      // and starts one.
      if (!(this.live(t) && RUNNABLE.includes(t.step))) {
        this.advancing.delete(t.id);
        return;
      }
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

  stateOf(t: Thread): StateDef {
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
        Input: this.input,
        StartTime: new Date(this.record.startDate).toISOString(),
        Name: this.record.name,
        RoleArn: `arn:aws:iam::${this.services.accountId}:role/local-states`,
        RedriveCount: this.record.redriveCount ?? 0,
        ...(this.record.redriveDate !== undefined ? { RedriveTime: new Date(this.record.redriveDate).toISOString() } : {}),
      },
      StateMachine: { Id: sm, Name: sm.slice(sm.lastIndexOf(':') + 1) },
      State: { Name: t.state, EnteredTime: new Date(t.enteredAt).toISOString(), RetryCount: t.retries.reduce((a, b) => a + (b ?? 0), 0) },
      ...(t.token ? { Task: { Token: t.token } } : {}),
      ...extra,
    };
  }

  scope(t: Thread, states: Partial<EvaluationScope['states']> = {}, extraContext?: Record<string, Json>): EvaluationScope {
    return { states: { input: t.input, context: this.context(t, extraContext), ...states }, variables: this.variables(t), now: this.services.now() };
  }

  async evaluateNumber(value: unknown, field: string, t: Thread, range: NumberRange = NON_NEGATIVE): Promise<number | undefined> {
    if (value === undefined) return undefined;
    const result = isExpression(value) ? await evaluateExpression(value, field, this.scope(t)) : (value as Json);
    if (typeof result !== 'number' || result < range.min || result > range.max || (range.integer && !Number.isInteger(result))) {
      const kind = range.integer ? 'an integer' : 'a number';
      throw new QueryEvaluationError(`The field '${field}' must be ${kind} from ${range.min} to ${range.max} but was: ${JSON.stringify(result)}`, field);
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
        return runChoice(this, t, state);
      case 'Wait':
        return runWait(this, t, state);
      case 'Task':
        return runTask(this, t, state);
      case 'Parallel':
      case 'Map':
        return runFanout(this, t, state);
    }
  }






  /** A waiting thread got what it waited for. */
  async resumeState(t: Thread, state: StateDef, outcome: Outcome): Promise<void> {
    t.token = undefined;
    // A child execution still running when its task gave up (TimeoutSeconds) is stopped, as AWS does.
    if ('error' in outcome && outcome.timedOut) this.stopChildOf(t);
    t.childArn = undefined;
    if (state.Type === 'Wait') return this.complete(t, state, undefined);
    if ('result' in outcome) {
      if (state.Type === 'Task') return taskSucceeded(this, t, state, outcome.result);
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





  private stopChildOf(t: Thread): void {
    if (t.childArn) {
      this.services.stopChild(t.childArn).catch((err) => this.services.onError(err));
    }
  }

  thread(id: string): Thread | undefined {
    return this.snapshot.threads[id];
  }

  startThread(parent: Thread, index: number, scope: string, input: Json): string {
    const id = `${parent.id}.${this.snapshot.nextThread++}`;
    const child = this.newThread(id, parent.id, index, scope, this.definition.scopes.get(scope)!.StartAt, input, parent.lastEventId);
    this.snapshot.threads[id] = child;
    this.spawn(child);
    return id;
  }

  runDetached(t: Thread, work: () => Promise<void>): void {
    this.loops += 1;
    void work()
      .then(() => {
        if (this.live(t) && RUNNABLE.includes(t.step)) this.spawn(t);
      })
      .catch((err) => this.internalError(err))
      .finally(() => {
        this.loops -= 1;
        this.checkIdle();
      });
  }

  removeThread(id: string): void {
    const t = this.snapshot.threads[id];
    if (!t) return;
    for (const childId of t.fanout?.running ?? []) this.removeThread(childId);
    this.stopChildOf(t);
    delete this.snapshot.threads[id];
  }

  // ---- finishing a state

  /** A state produced its result: evaluate Assign and Output, report, and move on. */
  async complete(t: Thread, state: StateDef, result: Json | undefined): Promise<void> {
    const scope = this.scope(t, result === undefined ? {} : { result });
    const assigned = state.Assign ? ((await evaluateTemplate(state.Assign, 'Assign', scope)) as Record<string, Json>) : undefined;
    const output = state.Output === undefined ? (result === undefined ? t.input : result) : await evaluateTemplate(state.Output, 'Output', scope);
    checkPayload(output, t.state);
    this.emitFor(t, `${state.Type}StateExited`, exited(t.state, output, assigned));
    Object.assign(t.vars, assigned);
    return this.transition(t, state.End ? undefined : state.Next, output);
  }

  async transition(t: Thread, next: string | undefined, output: Json): Promise<void> {
    t.fanout = t.failedFanout = undefined;
    t.dueAt = t.timeoutAt = t.heartbeatAt = t.heartbeatSeconds = undefined;
    if (next === undefined) return this.endThread(t, { result: output });
    t.state = next;
    t.input = output;
    t.step = 'enter';
  }

  /** An error in a state: report it, then retry, catch, or end the thread with it. */
  async fail(t: Thread, state: StateDef, err: StatesError, reported = false): Promise<void> {
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
      // A redrive enters the state that failed again, with the input and variables it had.
      else await this.close('FAILED', { error: outcome.error, cause: outcome.cause }, t);
      return;
    }
    await childEnded(this, t, outcome);
  }

  private async close(status: Exclude<ExecutionStatus, 'RUNNING'>, end: { output?: Json; error?: string; cause?: string }, failed?: Thread): Promise<void> {
    if (this.isClosed) return;
    const last = Math.max(0, ...Object.values(this.snapshot.threads).map((t) => t.lastEventId), this.record.nextEventId - 1);
    if (status !== 'SUCCEEDED') this.snapshot.redrive = restartPoint({ ...this.snapshot.threads, ...(failed ? { [failed.id]: failed } : {}) });
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
    try {
      await this.save();
    } catch (err) {
      if (err instanceof EngineClosedError) return;
      // The end could not be saved as it is (an output too large for the record, say): end as
      // FAILED instead, so that the execution does not stay RUNNING in the database.
      this.services.onError(err);
      const cause = `The end of the execution could not be saved: ${(err as Error)?.message ?? String(err)}`;
      this.pending.pop();
      this.record.nextEventId -= 1;
      this.emit('ExecutionFailed', last, failure('States.Runtime', cause));
      Object.assign(this.record, { status: 'FAILED', output: undefined, error: 'States.Runtime', cause });
      await this.save();
    }
    this.services.closed(this.record);
  }

  // ---- history

  private emit(type: string, previousEventId: number, details: object | undefined): number {
    if (this.record.nextEventId >= MAX_HISTORY_EVENTS && !type.startsWith('Execution')) throw new HistoryLimitExceeded();
    const id = this.record.nextEventId++;
    const key = detailsKey(type);
    this.pending.push({ timestamp: this.services.now(), type, id, previousEventId, ...(details ? { [key]: details } : {}) });
    return id;
  }

  emitFor(t: Thread, type: string, details: object | undefined): number {
    const id = this.emit(type, t.lastEventId, details);
    t.lastEventId = id;
    return id;
  }
}

/** AWS's quota on a state's output: 256 KB, else States.DataLimitExceeded (which States.ALL does not catch). */
function checkPayload(output: Json, state: string): void {
  const size = Buffer.byteLength(JSON.stringify(output) ?? '');
  if (size > 262_144) {
    throw new StatesError('States.DataLimitExceeded', `The state/task '${state}' returned a result with a size exceeding the maximum number of bytes service limit.`);
  }
}

/** A promise with its resolve and reject (Promise.withResolvers, which Node 20 lacks). */
function settlers() {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // whoever awaits it sees the rejection; nobody else has to
  return { promise, resolve, reject };
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

/** The threads a redrive starts again: each enters its state anew (a wait, a task, a child restart). */
function restartPoint(threads: Record<string, Thread>): Record<string, Thread> {
  const out: Record<string, Thread> = {};
  for (const t of Object.values(threads)) {
    const fresh: Thread = {
      ...t,
      step: t.step === 'children' ? 'children' : 'enter',
      outcome: undefined,
      token: undefined,
      childArn: undefined,
      // A Map or Parallel that failed is entered again for what had not succeeded.
      resumeFanout: t.failedFanout,
      failedFanout: undefined,
    };
    fresh.dueAt = fresh.timeoutAt = fresh.heartbeatAt = fresh.heartbeatSeconds = undefined;
    out[t.id] = fresh;
  }
  return out;
}
