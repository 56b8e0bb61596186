/**
 * One poll of the change feed for a whole page: the page's watcher (lib/live/live-changes.ts)
 * hands every batch of entries on to whoever listens here, such as an open record card, so a
 * card never starts a second poller of its own.
 */
import type { ChangeEntry } from '$contracts/record.ts';

export type ChangeListener = (entries: ChangeEntry[]) => void;
/** Subscribes to the page's changes; returns the unsubscribe. */
export type ChangeSource = (listener: ChangeListener) => () => void;

export class ChangeListeners {
  #listeners = new Set<ChangeListener>();

  listen: ChangeSource = (listener) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  tell(entries: ChangeEntry[]) {
    for (const listener of this.#listeners) listener(entries);
  }
}

/** The entries about one record (the feed names types by key, `COMPANY`, or by name). */
export const entriesOf = (entries: ChangeEntry[], type: { key: string; name: string }, id: string) =>
  entries.filter((entry) => entry.id === id && (entry.type === type.key || entry.type === type.name));
