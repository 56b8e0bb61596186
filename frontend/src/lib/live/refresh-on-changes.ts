/**
 * A view kept current by the change feed (one poll per tab, change-feed.ts) instead of a timer of
 * its own: it reads again when the feed names a change it shows (an instance, a notification:
 * the server tells each user only those they may see), and, as a fallback for what the feed may
 * miss (a feed entry expired while the tab slept), every FALLBACK_MS while the tab shows.
 */
import type { ChangeEntry } from '$contracts/record.ts';
import type { ApiClient } from '../api/api-client.ts';
import { followChanges } from './change-feed.ts';

/** How often a view reads again without being told: seldom, the feed tells of changes within a second. */
export const FALLBACK_MS = 60_000;

export interface RefreshOptions {
  /** Whether an entry is a change the view shows. */
  concerns: (entry: ChangeEntry) => boolean;
  refresh: () => void | Promise<void>;
  /** Called once every change from now on reaches the view (tests wait on it). */
  onListening?: () => void;
  fallbackMs?: number;
}

/** Follows the feed for the view; returns the stop. */
export function refreshOnChanges(api: ApiClient, { concerns, refresh, onListening, fallbackMs = FALLBACK_MS }: RefreshOptions): () => void {
  const stopFeed = followChanges(api, (entries) => (entries.some(concerns) ? refresh() : undefined), { onListening });
  const timer = setInterval(() => document.visibilityState === 'visible' && void refresh(), fallbackMs);
  return () => {
    stopFeed();
    clearInterval(timer);
  };
}
