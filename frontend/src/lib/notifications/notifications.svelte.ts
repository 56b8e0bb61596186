/**
 * The signed-in user's notifications, for the bell: the newest page and how many are unread,
 * read when the user signs in and again when the change feed says one of theirs was kept,
 * dropped or read (in another tab): the count is live without a poll of its own (the feed's one
 * poll a tab; a slow read now and then as a fallback). Opening the panel reads them at once.
 * Marking read answers the unread left, which the bell shows at once.
 */
import { MarkReadResult, NOTIFICATION_FEED_TYPE, NotificationPage, NotificationPreferences, type Notification, type NotificationKind } from '$contracts/notifications.ts';
import type { ApiClient } from '../api/api-client.ts';
import { refreshOnChanges } from '../live/refresh-on-changes.ts';

/** What the panel lists: the newest. */
const PAGE = 30;

class Notifications {
  items = $state.raw<Notification[]>([]);
  unread = $state(0);
  /** The first page was read: the count is the server's. */
  loaded = $state(false);
  loadError = $state('');
  /** Every change of the user's notifications reaches the bell from now on (tests wait on it). */
  listening = $state(false);

  #api: ApiClient | undefined;
  #run = 0;
  #reading: Promise<void> | undefined;
  /**
   * Bumped when a mark-read begins and when it is answered: a page read across either may hold
   * the notifications as they were before (the panel showed them unread again after "Mark all
   * read", the count at 0), so it is read again rather than shown.
   */
  #marks = 0;

  /** Follows the user's notifications; returns the stop. */
  follow(api: ApiClient): () => void {
    const run = ++this.#run;
    this.#api = api;
    this.items = [];
    this.unread = 0;
    this.loaded = false;
    this.loadError = '';
    this.listening = false;
    void this.refresh();
    const stop = refreshOnChanges(api, {
      concerns: (entry) => entry.type === NOTIFICATION_FEED_TYPE,
      refresh: () => this.refresh(),
      onListening: () => run === this.#run && (this.listening = true),
    });
    const onVisible = () => document.visibilityState === 'visible' && void this.refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisible);
      if (this.#run === run) this.#run++;
    };
  }

  /** Reads the newest page and the unread count (one read at a time: a call meanwhile shares it). */
  refresh(): Promise<void> {
    this.#reading ??= this.#read().finally(() => (this.#reading = undefined));
    return this.#reading;
  }

  async #read(): Promise<void> {
    const [run, api] = [this.#run, this.#api];
    if (!api) return;
    try {
      let page: NotificationPage;
      let marks: number;
      do {
        marks = this.#marks;
        page = await api.request('GET', `/api/notifications?limit=${PAGE}`, NotificationPage);
        if (run !== this.#run) return;
      } while (marks !== this.#marks);
      this.items = page.items;
      this.unread = page.unread;
      this.loaded = true;
      this.loadError = '';
    } catch (err) {
      if (run === this.#run) this.loadError = err instanceof Error ? err.message : String(err);
    }
  }

  /** Marks these read (all unread when no ids are given); the list shows it at once. */
  async markRead(ids?: string[]): Promise<void> {
    const api = this.#api;
    if (!api) return;
    const at = new Date().toISOString();
    const marked = new Set(ids ?? this.items.map((item) => item.id));
    this.#marks++;
    this.items = this.items.map((item) => (marked.has(item.id) && !item.readAt ? { ...item, readAt: at } : item));
    try {
      const result = await api.request('POST', '/api/notifications/read', MarkReadResult, ids ? { ids } : { all: true });
      this.#marks++;
      this.unread = result.unread;
    } catch (err) {
      // Refused: the server's page replaces what the list assumed.
      this.#marks++;
      void this.refresh();
      throw err;
    }
  }

  /** Which kinds the user is also e-mailed. */
  async preferences(): Promise<NotificationPreferences> {
    if (!this.#api) throw new Error('not signed in');
    return this.#api.request('GET', '/api/notifications/preferences', NotificationPreferences);
  }

  /** E-mails of `kind` on or off, over the preferences as read (a conflict is the caller's to show). */
  async setEmail(current: NotificationPreferences, kind: NotificationKind, on: boolean): Promise<NotificationPreferences> {
    if (!this.#api) throw new Error('not signed in');
    return this.#api.request('PUT', '/api/notifications/preferences', NotificationPreferences, { version: current.version, email: { [kind]: on } });
  }
}

export const notifications = new Notifications();
