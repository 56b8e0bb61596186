/**
 * In-memory timers for the executions whose next timer is near. Only timers within `horizonMs`
 * get a setTimeout (so none is ever longer than setTimeout allows, 24.8 days); the rest are
 * found by polling the timer index, which is how timers survive a restart.
 */
export interface WakeSchedulerOptions {
  now(): number;
  dueExecutions(until: number): Promise<Array<{ arn: string; dueAt: number }>>;
  wake(arn: string): Promise<void>;
  onError(err: unknown): void;
  horizonMs?: number;
}

export class WakeScheduler {
  private readonly timers = new Map<string, { dueAt: number; handle: NodeJS.Timeout }>();
  private poller: NodeJS.Timeout | undefined;
  private readonly horizonMs: number;
  private stopped = false;

  constructor(private readonly options: WakeSchedulerOptions) {
    this.horizonMs = options.horizonMs ?? 60_000;
  }

  async start(): Promise<void> {
    await this.poll();
    this.poller = setInterval(() => void this.poll().catch((err) => this.options.onError(err)), this.horizonMs / 2);
    this.poller.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    for (const { handle } of this.timers.values()) clearTimeout(handle);
    this.timers.clear();
  }

  schedule(arn: string, dueAt: number): void {
    if (this.stopped) return;
    const delay = dueAt - this.options.now();
    if (delay > this.horizonMs) return;
    const existing = this.timers.get(arn);
    if (existing && existing.dueAt <= dueAt) return;
    if (existing) clearTimeout(existing.handle);
    const handle = setTimeout(() => {
      this.timers.delete(arn);
      this.options.wake(arn).catch((err) => this.options.onError(err));
    }, Math.max(0, delay));
    this.timers.set(arn, { dueAt, handle });
  }

  cancel(arn: string): void {
    const existing = this.timers.get(arn);
    if (existing) clearTimeout(existing.handle);
    this.timers.delete(arn);
  }

  private async poll(): Promise<void> {
    const due = await this.options.dueExecutions(this.options.now() + this.horizonMs);
    for (const { arn, dueAt } of due) this.schedule(arn, dueAt);
  }
}
