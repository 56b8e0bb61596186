/**
 * Per-item locks for every write path. A writer takes all the keys it touches, always in sorted
 * order, so that a transaction and a batch touching the same items cannot deadlock.
 */
export class ItemLocks {
  /** key -> the promise the next waiter must await (resolved when the current holder releases). */
  private readonly tails = new Map<string, Promise<void>>();

  async acquire(keys: Iterable<string>): Promise<() => void> {
    const sorted = [...new Set(keys)].sort();
    const releases: Array<() => void> = [];
    for (const key of sorted) releases.push(await this.acquireOne(key));
    return () => {
      for (const release of releases) release();
    };
  }

  private acquireOne(key: string): Promise<() => void> | (() => void) {
    const previous = this.tails.get(key);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    this.tails.set(key, held);
    const unlock = () => {
      if (this.tails.get(key) === held) this.tails.delete(key);
      release();
    };
    return previous ? previous.then(() => unlock) : unlock;
  }
}
