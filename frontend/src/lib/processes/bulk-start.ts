/**
 * Starting a process on every record of a grid selection: one start per record (up to
 * MAX_BULK_STARTS), a few at a time (STARTS_AT_ONCE: the API is one function; a thousand
 * requests at once would queue behind each other and others' edits), each its own result
 * (started, or refused and why), progress after each. Each start's idempotency key is the run's
 * and the record's: a run sent again (a retry after a network failure) starts nothing twice.
 */
import { ApiError } from '../api/api-client.ts';

export const MAX_BULK_STARTS = 1_000;
export const STARTS_AT_ONCE = 4;

export type StartResult = { id: string; started: true; instance: string } | { id: string; started: false; reason: string };

/** The key of one record's start within a run: within the contract's 64 characters of [A-Za-z0-9_-]. */
export const startKeyOf = (runKey: string, recordId: string) => `${runKey.slice(0, 32)}-${recordId}`;

/** Why a start was refused, as a person reads it: the server's issues by field, else its message. */
export function refusalOf(err: unknown): string {
  if (err instanceof ApiError) return err.issues.length ? err.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') : err.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs `start` for each record id, at most `atOnce` at a time, in the ids' order; `onResult`
 * hears each result as it comes. Resolves with every result, in the ids' order. Stops taking
 * new ones once `signal` aborts (those not started are refused as stopped).
 */
export async function startEach(
  ids: readonly string[],
  start: (id: string) => Promise<string>,
  { atOnce = STARTS_AT_ONCE, onResult, signal }: { atOnce?: number; onResult?: (result: StartResult, done: number) => void; signal?: AbortSignal } = {},
): Promise<StartResult[]> {
  if (ids.length > MAX_BULK_STARTS) throw new RangeError(`at most ${MAX_BULK_STARTS} records at once (${ids.length} selected)`);
  const results: StartResult[] = new Array(ids.length);
  let next = 0;
  let done = 0;
  const settle = (at: number, result: StartResult) => {
    results[at] = result;
    onResult?.(result, ++done);
  };
  async function worker() {
    while (next < ids.length) {
      const at = next++;
      const id = ids[at];
      if (signal?.aborted) {
        settle(at, { id, started: false, reason: 'stopped before it was sent' });
        continue;
      }
      try {
        settle(at, { id, started: true, instance: await start(id) });
      } catch (err) {
        settle(at, { id, started: false, reason: refusalOf(err) });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(atOnce, ids.length) }, worker));
  return results;
}
