/**
 * Bulk requests that could not reach the server, kept in localStorage (per tenant and record
 * type) so that they survive a reload, and sent again in order once the browser is online.
 * Each keeps its idempotency key: if the first attempt did reach the server after all, the
 * retry is answered as it was, and versions stop anything from being applied twice.
 */
import type { BulkRequest } from './bulk-writer.ts';

export class OfflineQueue {
  constructor(
    private readonly storageKey: string,
    private readonly storage: Storage = localStorage,
  ) {}

  all(): BulkRequest[] {
    try {
      const parsed = JSON.parse(this.storage.getItem(this.storageKey) ?? '[]');
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }

  push(request: BulkRequest) {
    this.storage.setItem(this.storageKey, JSON.stringify([...this.all(), request]));
  }

  /** Takes the oldest away once it was answered. */
  shift() {
    const [, ...rest] = this.all();
    if (rest.length) this.storage.setItem(this.storageKey, JSON.stringify(rest));
    else this.storage.removeItem(this.storageKey);
  }

  get size() {
    return this.all().length;
  }
}
