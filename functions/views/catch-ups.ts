/**
 * Catch-ups of something kept in memory (a type snapshot, a tenant's stage moves), one at a
 * time. A catch-up already running may have asked the table before a write the caller just
 * made: the caller waits for the next one, which all callers arriving meanwhile share. So a
 * read after a write acknowledged to its caller always sees it.
 */
export class CatchUps {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly read: () => Promise<void>) {}

  /** Resolves once a catch-up that started after this call has ended. */
  next(): Promise<void> {
    if (this.queued) return this.queued;
    if (this.running) {
      this.queued = this.running
        .catch(() => undefined)
        .then(() => {
          this.queued = undefined;
          return this.start();
        });
      return this.queued;
    }
    return this.start();
  }

  private start(): Promise<void> {
    const run = this.read().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }
}
