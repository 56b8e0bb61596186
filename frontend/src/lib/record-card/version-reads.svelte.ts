/**
 * What a card section reads about its record (its history, a deal's stage moves), read again on
 * every new version of it: a save here, a conflict learned, another user's change seen live. An
 * answer that arrives after the card has moved on to another record is dropped.
 */
import { untrack } from 'svelte';
import type { CardContext } from './card-sections.ts';

export interface VersionRead<T> {
  /** null until the first answer. */
  value: T | null;
  /** Why the last read failed; empty when it did not. */
  error: string;
}

/** Reads `read(id)` now and on every version of the card's record; call while a component initializes. */
export function readEveryVersion<T>(card: () => CardContext, read: (id: string) => Promise<T>): VersionRead<T> {
  const state = $state<VersionRead<T>>({ value: null, error: '' });
  // The record's id and version alone: a card context made anew (a related list changed) reads nothing again.
  const key = $derived.by(() => `${card().record.id}@${card().record.version}`);
  $effect(() => {
    void key;
    untrack(() => {
      const { id } = card().record;
      state.error = '';
      read(id).then(
        (value) => {
          if (card().record.id === id) state.value = value;
        },
        (err) => (state.error = err instanceof Error ? err.message : String(err)),
      );
    });
  });
  return state;
}
