/**
 * The engine's clock. Every due time, `$now()`/`$millis()` in JSONata and the dates of events
 * and executions read it. Production uses the real clock; tests use an `AdjustableClock` and
 * move it (a 30-day Wait, a deadline at 09:00) without waiting: the engine is told when the
 * clock jumps and looks again at the timers that are due.
 */
export interface Clock {
  now(): number;
  /** Subscribes to jumps of the clock (absent on a clock that only runs forward in real time). */
  onJump?(listener: () => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that runs with real time from a start a test chooses, and jumps when told to. */
export class AdjustableClock implements Clock {
  private offset: number;
  private readonly listeners = new Set<() => void>();

  constructor(start: number | string = Date.now()) {
    this.offset = toMillis(start) - Date.now();
  }

  now(): number {
    return Date.now() + this.offset;
  }

  /** Moves the clock forward by `ms`; timers that come due fire. */
  advance(ms: number): void {
    this.offset += ms;
    for (const listener of this.listeners) listener();
  }

  /** Sets the clock to `at` (epoch ms or an ISO date). */
  set(at: number | string): void {
    this.advance(toMillis(at) - this.now());
  }

  onJump(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function toMillis(at: number | string): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${at}`);
  return ms;
}
