/**
 * One poll of the change feed per tab, whoever listens: the grid page, the open record card, the
 * navigation's count of tasks due. Each listener used to start a poller of its own (a request a
 * second each, and a function invocation and a table query each in AWS); now the first listener
 * starts the one watcher (lib/live/live-changes.ts) and the last one to leave stops it. Another
 * signed-in user in the tab starts afresh (their scope differs).
 */
import type { ChangeEntry } from '$contracts/record.ts';
import type { ApiClient } from '../api/api-client.ts';
import { session } from '../auth/session.svelte.ts';
import { watchChanges } from './live-changes.ts';

export type ChangeListener = (entries: ChangeEntry[]) => void | Promise<void>;

interface Watch {
  who: string;
  listeners: Set<ChangeListener>;
  /** The feed's cursor is known: every change from here on reaches the listeners. */
  listening: boolean;
  /** Told once the cursor is known (a listener that joins later is told at once). */
  waiting: Set<() => void>;
  stop: () => void;
}

export interface FollowOptions {
  /** Called once this listener will be handed every change from now on (tests wait on it). */
  onListening?: () => void;
}

let current: Watch | undefined;

const signedInAs = () => (session.user ? `${session.user.tenant}/${session.user.email}` : '');

/**
 * Calls `listener` with every batch of changes the signed-in user may see, from now on; returns
 * the unsubscribe. A batch is handed to every listener, and the next poll waits for all of them,
 * as a single watcher waited for its one.
 */
export function followChanges(api: ApiClient, listener: ChangeListener, { onListening }: FollowOptions = {}): () => void {
  const who = signedInAs();
  if (current && current.who !== who) {
    current.stop();
    current = undefined;
  }
  if (!current) {
    const listeners = new Set<ChangeListener>();
    const waiting = new Set<() => void>();
    const watch: Watch = { who, listeners, listening: false, waiting, stop: () => undefined };
    watch.stop = watchChanges(
      api,
      async (entries) => {
        // One listener's failure is its own: the others have the batch, and the cursor moves on.
        await Promise.all([...listeners].map(async (each) => Promise.resolve(each(entries)).catch((err: unknown) => console.error('a change listener failed', err))));
      },
      {
        onListening: () => {
          watch.listening = true;
          for (const tell of waiting) tell();
          waiting.clear();
        },
      },
    );
    current = watch;
  }
  const watch = current;
  watch.listeners.add(listener);
  if (onListening) {
    if (watch.listening) queueMicrotask(onListening);
    else watch.waiting.add(onListening);
  }
  return () => {
    watch.listeners.delete(listener);
    if (onListening) watch.waiting.delete(onListening);
    if (watch.listeners.size === 0 && current === watch) {
      watch.stop();
      current = undefined;
    }
  };
}
