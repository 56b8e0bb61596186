/**
 * Other users' changes, about once a second: `GET /api/changes` for a cursor, then
 * `?after=cursor` on a timer. Entries come to `onChanges` in order; polling pauses while the
 * tab is hidden and goes on at once when it shows again. A failed poll is tried again on the
 * next tick (the cursor stays, so nothing is missed). A full page is followed at once by the
 * next: after someone's paste or import of thousands of records, a page a tick kept others'
 * edits waiting behind them for seconds.
 */
import { ChangesResponse, type ChangeEntry } from '$contracts/record.ts';
import type { ApiClient } from '../api/api-client.ts';

/** Entries a poll asks for (the server's most). */
const PAGE = 1000;

export interface WatchOptions {
  intervalMs?: number;
  /** Once the feed's cursor is known: changes made from then on reach `onChanges`. */
  onListening?: () => void;
}

export function watchChanges(api: ApiClient, onChanges: (entries: ChangeEntry[]) => void | Promise<void>, { intervalMs = 1000, onListening }: WatchOptions = {}): () => void {
  let cursor: string | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function tick() {
    if (stopped) return;
    let more = false;
    try {
      if (!document.hidden) {
        const page = await api.request('GET', `/api/changes${cursor ? `?after=${encodeURIComponent(cursor)}&limit=${PAGE}` : ''}`, ChangesResponse);
        const first = !cursor;
        if (cursor && page.items.length) await onChanges(page.items);
        cursor = page.cursor;
        if (first && !stopped) onListening?.();
        more = page.more;
      }
    } catch {
      // Offline or a hiccup: the next tick asks again from the same cursor.
    }
    if (!stopped) timer = setTimeout(tick, more ? 0 : intervalMs);
  }

  const onVisible = () => {
    if (!document.hidden && !stopped) {
      clearTimeout(timer);
      void tick();
    }
  };
  document.addEventListener('visibilitychange', onVisible);
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
