/**
 * Timers. Only timers within `horizonMs` get a setTimeout (so none is ever longer than
 * setTimeout allows, 24.8 days); the rest are found by polling the timer index, which is also
 * how timers survive a restart.
 *
 * An execution in memory fires its timers at once. One that must be loaded to fire them waits
 * for one of `concurrency` slots and holds it until it has nothing more to do (it parked
 * again, or ended): 10,000 tasks due at 09:00 load a few dozen executions at a time, not
 * 10,000. An execution is woken once per due time: one already queued or being woken is not
 * queued again, and a poll's answer is not trusted for an execution woken since the poll began
 * (its due time in the index may predate that wake).
 */
import type { Clock } from './clock.ts';

export interface WakeSchedulerOptions {
  clock: Clock;
  dueExecutions(until: number): Promise<Array<{ arn: string; dueAt: number }>>;
  /** True while the execution is in memory: its timers fire without waiting for a slot. */
  isLive(arn: string): boolean;
  /** Fires the execution's due timers; resolves once it has nothing more to do. */
  wake(arn: string): Promise<void>;
  onError(err: unknown): void;
  horizonMs?: number;
  /** Executions loaded by timers at once (default 32). */
  concurrency?: number;
}

export interface WakeStats {
  /** Due, waiting for a slot. */
  queued: number;
  /** Loaded by a timer and not yet parked again or ended. */
  waking: number;
  /** Wakes so far (each load of an execution for its timers counts once). */
  woken: number;
}

export class WakeScheduler {
  private readonly timers = new Map<string, { dueAt: number; handle: NodeJS.Timeout }>();
  /**
   * On a clock that jumps (a test's), the timers beyond the horizon this scheduler was told of, by
   * execution: measured again when the clock jumps. The timer index alone missed one: an execution
   * arms a task's timeout before it saves the checkpoint that puts it in the index, and a jump in
   * between (a test that moved the clock as soon as it saw the task) found nothing due until the
   * next poll, 30 s on. None on the real clock, which never jumps.
   */
  private readonly beyond = new Map<string, number>();
  private readonly queue = new Set<string>();
  private readonly waking = new Set<string>();
  /** For each poll in flight, the executions woken since it began. */
  private readonly polls = new Set<Set<string>>();
  private woken = 0;
  private poller: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly horizonMs: number;
  private readonly concurrency: number;
  private stopped = false;

  constructor(private readonly options: WakeSchedulerOptions) {
    this.horizonMs = options.horizonMs ?? 60_000;
    this.concurrency = options.concurrency ?? 32;
  }

  async start(): Promise<void> {
    // A clock moved by a test: timers in memory are measured again, the index read again.
    this.unsubscribe = this.options.clock.onJump?.(() => this.clockJumped());
    await this.poll();
    this.poller = setInterval(() => void this.poll().catch((err) => this.options.onError(err)), this.horizonMs / 2);
    this.poller.unref();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.poller) clearInterval(this.poller);
    for (const { handle } of this.timers.values()) clearTimeout(handle);
    this.timers.clear();
    this.beyond.clear();
    this.queue.clear();
  }

  get stats(): WakeStats {
    return { queued: this.queue.size, waking: this.waking.size, woken: this.woken };
  }

  schedule(arn: string, dueAt: number): void {
    if (this.stopped) return;
    const delay = dueAt - this.options.clock.now();
    if (delay > this.horizonMs) {
      const known = this.beyond.get(arn);
      if (this.options.clock.onJump && (known === undefined || dueAt < known)) this.beyond.set(arn, dueAt);
      return;
    }
    this.beyond.delete(arn);
    const existing = this.timers.get(arn);
    if (existing && existing.dueAt <= dueAt) return;
    if (existing) clearTimeout(existing.handle);
    this.timers.delete(arn);
    // Due already: queued now, so that whoever read the index (a poll) sees it queued or waking.
    if (delay <= 0) return this.due(arn);
    const handle = setTimeout(() => {
      this.timers.delete(arn);
      this.due(arn);
    }, Math.max(0, delay));
    this.timers.set(arn, { dueAt, handle });
  }

  cancel(arn: string): void {
    const existing = this.timers.get(arn);
    if (existing) clearTimeout(existing.handle);
    this.timers.delete(arn);
    this.beyond.delete(arn);
    this.queue.delete(arn);
  }

  /** Reads the timer index for what is due within the horizon (every horizon/2, and on a clock jump). */
  async poll(): Promise<void> {
    const since = new Set<string>();
    this.polls.add(since);
    try {
      const due = await this.options.dueExecutions(this.options.clock.now() + this.horizonMs);
      for (const { arn, dueAt } of due) {
        if (since.has(arn) || this.queue.has(arn) || this.waking.has(arn)) continue;
        this.schedule(arn, dueAt);
      }
    } finally {
      this.polls.delete(since);
    }
  }

  private clockJumped(): void {
    if (this.stopped) return;
    const timers = [...this.timers.entries()];
    for (const [, { handle }] of timers) clearTimeout(handle);
    this.timers.clear();
    for (const [arn, { dueAt }] of timers) this.schedule(arn, dueAt);
    const beyond = [...this.beyond.entries()];
    this.beyond.clear();
    for (const [arn, dueAt] of beyond) this.schedule(arn, dueAt);
    void this.poll().catch((err) => this.options.onError(err));
  }

  private due(arn: string): void {
    if (this.stopped) return;
    for (const since of this.polls) since.add(arn);
    if (this.options.isLive(arn) && !this.waking.has(arn)) {
      this.woken += 1;
      this.options.wake(arn).catch((err) => this.options.onError(err));
      return;
    }
    if (this.waking.has(arn)) {
      // Loaded by an earlier timer and still busy: in memory, so this one fires at once.
      this.options.wake(arn).catch((err) => this.options.onError(err));
      return;
    }
    this.queue.add(arn);
    this.drain();
  }

  private drain(): void {
    for (const arn of this.queue) {
      if (this.waking.size >= this.concurrency) return;
      this.queue.delete(arn);
      this.waking.add(arn);
      this.woken += 1;
      this.options
        .wake(arn)
        .catch((err) => this.options.onError(err))
        .finally(() => {
          this.waking.delete(arn);
          this.drain();
        });
    }
  }
}
