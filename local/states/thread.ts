/**
 * Threads: the main flow of an execution, each Parallel branch, each Map iteration. A thread is
 * plain data (saved in the execution's checkpoint); `StateRunner` is what the state modules in
 * states/ may ask of the execution that runs them.
 */
import type { Json, EvaluationScope } from './expressions.ts';
import type { StateDef } from './definition.ts';
import type { StatesError } from './errors.ts';
import type { ExecutionServices } from './execution.ts';
import type { ExecutionRecord } from './store.ts';

export type Step = 'enter' | 'run' | 'resume' | 'retry' | 'wait' | 'token' | 'child' | 'children';
export const RUNNABLE: Step[] = ['enter', 'run', 'resume'];

/** What a waiting thread was given when it is resumed. */
export type Outcome = { result: Json } | { error: string; cause?: string; timedOut?: boolean };

export interface Fanout {
  total: number;
  inputs: Json[];
  results: Json[];
  next: number;
  running: string[];
  failed: number;
  maxConcurrency: number;
  toleratedCount?: number;
  toleratedPercentage?: number;
  /** Branches or iterations that succeeded (in this run of the state, or before the redrive that resumed it). */
  succeeded?: number[];
}

/** A Map or Parallel that failed: the branches or iterations that had succeeded, and their outputs. */
export interface FanoutProgress {
  state: string;
  results: Json[];
  succeeded: number[];
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
  /** Set when this thread's Map or Parallel failed; a redrive turns it into `resumeFanout`. */
  failedFanout?: FanoutProgress;
  /** A redriven Map or Parallel runs only what had not succeeded (AWS: RedriveExecution). */
  resumeFanout?: FanoutProgress;
}

/** What a number field may hold (AWS: "an integer from 0 to 99999999", "a positive integer"...). */
export interface NumberRange {
  min: number;
  max: number;
  integer: boolean;
}
/** The largest number of seconds AWS accepts in Seconds, TimeoutSeconds and HeartbeatSeconds. */
const MAX_SECONDS = 99_999_999;
export const NON_NEGATIVE: NumberRange = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: false };
export const WAIT_SECONDS: NumberRange = { min: 0, max: MAX_SECONDS, integer: true };
export const TIMEOUT_SECONDS: NumberRange = { min: 1, max: MAX_SECONDS, integer: true };
export const COUNT: NumberRange = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true };
export const PERCENTAGE: NumberRange = { min: 0, max: 100, integer: false };

/** What a state module may ask of the execution running it. */
export interface StateRunner {
  readonly arn: string;
  readonly services: ExecutionServices;
  /** The `$states` and variables a thread's expressions see. */
  scope(t: Thread, states?: Partial<EvaluationScope['states']>, extraContext?: Record<string, Json>): EvaluationScope;
  evaluateNumber(value: unknown, field: string, t: Thread, range?: NumberRange): Promise<number | undefined>;
  stateOf(t: Thread): StateDef;
  emitFor(t: Thread, type: string, details: object | undefined): number;
  save(): Promise<void>;
  /** Asks to be woken for the earliest timer of any thread. */
  armTimer(): void;
  /** False once the thread was removed (its execution closed, or a sibling failed its parent). */
  live(t: Thread): boolean;
  wake(t: Thread, outcome: Outcome): void;
  /** A state produced its result: Assign, Output, StateExited, next state. */
  complete(t: Thread, state: StateDef, result: Json | undefined): Promise<void>;
  transition(t: Thread, next: string | undefined, output: Json): Promise<void>;
  /** An error: report, then Retry, Catch, or end the thread. */
  fail(t: Thread, state: StateDef, err: StatesError, reported?: boolean): Promise<void>;
  resumeState(t: Thread, state: StateDef, outcome: Outcome): Promise<void>;
  childClosed(threadId: string, child: ExecutionRecord): void;
  thread(id: string): Thread | undefined;
  /** Adds a child thread of `parent` at the start of scope `scope`, and runs it; returns its id. */
  startThread(parent: Thread, index: number, scope: string, input: Json): string;
  removeThread(id: string): void;
  /** Runs `work` for a thread outside its own loop, then lets the thread go on if it can. */
  runDetached(t: Thread, work: () => Promise<void>): void;
}
