/**
 * What the ids in cells stand for, shown instead of them: users (owner, assignee, `user` fields)
 * by the tenant's directory (`GET /api/users`, read once per signed-in user), related records by
 * `GET /api/{plural}/names`. Record names are asked for only when a cell shows the id (the grid
 * draws visible cells only), gathered over one frame into requests of up to MAX_NAME_IDS ids,
 * and kept; `revision` changes when answers arrive, so the grid repaints what it shows.
 *
 * Both ways: a name typed or pasted becomes the id again (`userByText`, `recordIdsOf`), unique or
 * refused with the reason, so the grid, the card and the clipboard speak names. Record names are
 * read back by the server (`lookUpNames`, `POST /api/{plural}/ids-by-name`): the page knows only
 * the records it has shown, so neither "unknown" nor "unique" can be told from what it knows.
 */
import { UserList, type User } from '$contracts/users.ts';
import { HIDDEN_RECORD, IdsByNameResponse, MAX_LOOKUP_NAMES, MAX_NAME_IDS, MAX_NAME_IDS_PER_POST, RecordNamesResponse } from '$contracts/record-names.ts';
import { ULID } from '$contracts/values.ts';
import { foldName as fold, userLabels, userNamed } from '$contracts/user-labels.ts';
import type { ApiClient } from '../api/api-client.ts';
import { whilePreparing } from '../api/while-preparing.ts';
import { session } from '../auth/session.svelte.ts';
import { uiRecordTypeByKey } from '../records/record-types.ts';
import { InputRefused } from '../records/cell-input.ts';

export { HIDDEN_RECORD };
/** Shown while a name is on its way. */
export const PENDING_NAME = '…';
export const UNKNOWN_USER = 'Unknown user';

/** A text that names no one, or more than one: the cell is refused with this reason. */
export class NameNotResolved extends InputRefused {
  constructor(message: string) {
    super(message);
    this.name = 'NameNotResolved';
  }
}

/**
 * What the server answered for names looked up for one write: `TYPE#folded name` → how many
 * records in the caller's scope have that name (none, one or several) and the ids of the first
 * of them (the answer names at most 10 per name).
 */
export type NamesFound = ReadonlyMap<string, { ids: readonly string[]; count: number }>;

const foundKey = (typeKey: string, name: string) => `${typeKey}#${fold(name)}`;

/** How long a lookup waits for a large type being prepared on the server (503 Preparing) before giving up. */
const PREPARING_WAIT_MS = 60_000;
const PREPARING_POLL_MS = 2_000;

/** A lookup, asked again while the server prepares the type's records (its first read in a while). */
const lookUp = <T>(ask: () => Promise<T>): Promise<T> => whilePreparing(ask, { waitMs: PREPARING_WAIT_MS, pollMs: PREPARING_POLL_MS });

/** `loadNames` requests in flight at once: a column of 20,000 ids is 20 requests. */
const NAME_REQUESTS = 3;

const signedInAs = () => (session.user ? `${session.user.tenant}/${session.user.email}` : '');

class DisplayNames {
  /** Bumped whenever names arrive: whatever shows names reads it to repaint. */
  revision = $state(0);
  /** Bumped when the directory arrives: sorting and filtering by users' names start again. */
  usersRevision = $state(0);
  /**
   * The directory's read has answered (or failed: it is asked again at the next name). Until then
   * users show as `…` and a sort or filter by a user column sees no names: a page is not ready.
   */
  usersSettled = $state(false);
  /** Bumped when names asked for by `loadNames` have arrived: sorting and filtering by records' names start again. */
  recordsRevision = $state(0);
  /** Ids whose names `loadNames` is waiting for: the page says so, a view read by them waits. */
  namesLoading = $state(0);
  #api: ApiClient | undefined;
  #who = '';
  #users: User[] | undefined;
  #usersLoading: Promise<User[]> | undefined;
  #userLabels = new Map<string, string>();
  /** `TYPE#id` → name, or null: hidden from the caller. */
  #records = new Map<string, string | null>();
  /** Ids to ask for at the next flush, by type key; and those on their way. */
  #wanted = new Map<string, Set<string>>();
  #asking = new Set<string>();
  #flush: ReturnType<typeof setTimeout> | undefined;
  /** `TYPE#id` of names on their way for `loadNames`: a second call does not ask for them again. */
  #loading = new Set<string>();

  /** The API to ask; another signed-in user starts afresh (their scope shows other names). */
  connect(api: ApiClient): void {
    const who = signedInAs();
    if (who !== this.#who) {
      this.#who = who;
      this.#users = undefined;
      this.#usersLoading = undefined;
      this.#userLabels.clear();
      this.usersSettled = false;
      this.#records.clear();
      this.#wanted.clear();
      this.#asking.clear();
      this.#loading.clear();
      this.namesLoading = 0;
    }
    this.#api = api;
  }

  /** The tenant's directory, read once (a failure is asked again next time). */
  loadUsers(): Promise<User[]> {
    if (this.#users) return Promise.resolve(this.#users);
    if (!this.#api) return Promise.resolve([]);
    const who = this.#who;
    this.#usersLoading ??= this.#api.request('GET', '/api/users', UserList).then(
      ({ items }) => {
        if (who !== this.#who) return items;
        this.#users = items;
        this.#userLabels = userLabels(items);
        this.revision++;
        this.usersRevision++;
        this.usersSettled = true;
        return items;
      },
      (err) => {
        this.#usersLoading = undefined;
        if (who === this.#who) this.usersSettled = true;
        throw err;
      },
    );
    return this.#usersLoading;
  }

  /** Users who can be picked: the active ones, by label. */
  pickableUsers(): Array<{ user: User; label: string }> {
    return (this.#users ?? []).filter((user) => user.active).map((user) => ({ user, label: this.userLabel(user.sub) })).sort((a, b) => a.label.localeCompare(b.label));
  }

  /** A user's name (or e-mail); `…` until the directory is read. */
  userLabel(sub: string): string {
    if (!this.#users) {
      void this.loadUsers().catch(() => undefined);
      return PENDING_NAME;
    }
    return this.#userLabels.get(sub) ?? UNKNOWN_USER;
  }

  /**
   * The active user a text names: their name, e-mail, label, or sub; exactly one, else refused.
   * A text the directory (not yet read) cannot judge is refused as such too.
   */
  userByText(text: string): User {
    const users = this.#users;
    if (!users) throw new NameNotResolved('the list of users is still loading; try again');
    const named = userNamed(users, this.#userLabels, text);
    if ('refused' in named) throw new NameNotResolved(named.refused);
    return named.user;
  }

  /** A related record's name: `…` while asked for, HIDDEN_RECORD when the caller may not see it. */
  recordName(typeKey: string, id: string): string {
    const key = `${typeKey}#${id}`;
    const known = this.#records.get(key);
    if (known !== undefined) return known ?? HIDDEN_RECORD;
    if (!this.#asking.has(key)) this.#want(typeKey, id);
    return PENDING_NAME;
  }

  /** A related record's name if known (null: hidden from the caller); asks for nothing. */
  knownRecordName(typeKey: string, id: string): string | null | undefined {
    return this.#records.get(`${typeKey}#${id}`);
  }

  /**
   * The names of all these ids (a whole relation column), those not known asked for in requests
   * of MAX_NAME_IDS_PER_POST, NAME_REQUESTS at a time; `recordsRevision` is bumped once when
   * they have arrived, so a view's caches are rebuilt once, not per request. A failed request is
   * asked again at the next call.
   */
  async loadNames(typeKey: string, ids: Iterable<string>): Promise<void> {
    const api = this.#api;
    const who = this.#who;
    const plural = uiRecordTypeByKey(typeKey)?.info.plural;
    if (!api || !plural) return;
    const wanted = [...new Set(ids)].filter((id) => !this.#records.has(`${typeKey}#${id}`) && !this.#loading.has(`${typeKey}#${id}`));
    if (!wanted.length) return;
    const keys = wanted.map((id) => `${typeKey}#${id}`);
    keys.forEach((key) => this.#loading.add(key));
    this.namesLoading = this.#loading.size;
    const batches = Array.from({ length: Math.ceil(wanted.length / MAX_NAME_IDS_PER_POST) }, (_, n) => wanted.slice(n * MAX_NAME_IDS_PER_POST, (n + 1) * MAX_NAME_IDS_PER_POST));
    let named = 0;
    const next = async (): Promise<void> => {
      const batch = batches.shift();
      if (!batch) return;
      try {
        const { items } = await api.request('POST', `/api/${plural}/names`, RecordNamesResponse, { ids: batch });
        if (who !== this.#who) return;
        this.#take(typeKey, batch, items);
        named++;
      } catch {
        // Left unknown: the next call asks again.
      }
      return next();
    };
    try {
      await Promise.all(Array.from({ length: NAME_REQUESTS }, next));
    } finally {
      if (who === this.#who) {
        keys.forEach((key) => this.#loading.delete(key));
        this.namesLoading = this.#loading.size;
      }
    }
    if (named && who === this.#who) {
      this.revision++;
      this.recordsRevision++;
    }
  }

  /** An answer for `asked`: the names given, and the ids left out as hidden from the caller. */
  #take(typeKey: string, asked: readonly string[], items: RecordNamesResponse['items']) {
    const named = new Map(items.map((item) => [item.id, item.name]));
    for (const id of asked) this.#records.set(`${typeKey}#${id}`, named.get(id) ?? null);
  }

  /** Names seen elsewhere (a search's hits): no need to ask for them again. */
  learn(typeKey: string, id: string, name: string): void {
    if (this.#records.get(`${typeKey}#${id}`) === name) return;
    this.#records.set(`${typeKey}#${id}`, name);
    this.revision++;
  }

  /**
   * Asks the server which records these names (by type key) stand for: one request per type (of
   * up to MAX_LOOKUP_NAMES names), all at once; the records found are learnt, so their cells show
   * their names at once. A request that fails (offline) leaves its names to what the page knows.
   */
  async lookUpNames(wanted: ReadonlyMap<string, ReadonlySet<string>>): Promise<NamesFound> {
    const api = this.#api;
    const who = this.#who;
    const found = new Map<string, { ids: string[]; count: number }>();
    if (!api) return found;
    await Promise.all(
      [...wanted].flatMap(([typeKey, set]) => {
        const plural = uiRecordTypeByKey(typeKey)?.info.plural;
        const names = [...new Map([...set].map((name) => [fold(name), name])).values()];
        if (!plural) return [];
        return Array.from({ length: Math.ceil(names.length / MAX_LOOKUP_NAMES) }, async (_, n) => {
          const batch = names.slice(n * MAX_LOOKUP_NAMES, (n + 1) * MAX_LOOKUP_NAMES);
          try {
            const { items } = await lookUp(() => api.request('POST', `/api/${plural}/ids-by-name`, IdsByNameResponse, { names: batch }));
            if (who !== this.#who) return;
            for (const item of items) {
              found.set(foundKey(typeKey, item.name), { ids: item.records.map((record) => record.id), count: item.count });
              for (const record of item.records) this.learn(typeKey, record.id, record.name);
            }
          } catch {
            // Read by the names the page knows instead (recordIdsOf).
          }
        });
      }),
    );
    return found;
  }

  /**
   * The ids a cell's text names, part by part (`a; b`): an id as it is; a name as the server
   * answered (`found`, lookUpNames), exactly one record, else refused with the reason; a name not
   * looked up (offline) by the names known here for exactly one record of the type.
   */
  recordIdsOf(typeKey: string | undefined, parts: readonly string[], found?: NamesFound): string[] {
    const type = typeKey ? uiRecordTypeByKey(typeKey) : undefined;
    const one = type?.one ?? 'record';
    const many = type?.label.toLowerCase() ?? 'records';
    return parts.map((part) => {
      if (ULID.test(part)) return part;
      if (part === HIDDEN_RECORD) throw new NameNotResolved(`a hidden record cannot be set by its name; pick the ${one} from the list`);
      const answered = typeKey ? found?.get(foundKey(typeKey, part)) : undefined;
      if (answered) {
        if (answered.count === 1) return answered.ids[0];
        if (answered.count > 1) throw new NameNotResolved(`${answered.count} ${many} are named "${part}": pick one`);
        throw new NameNotResolved(`no ${one} named "${part}"`);
      }
      const wanted = fold(part);
      const ids = [...this.#records].filter(([key, name]) => name !== null && key.startsWith(`${typeKey}#`) && fold(name) === wanted).map(([key]) => key.slice(key.indexOf('#') + 1));
      if (ids.length === 1) return ids[0];
      if (ids.length > 1) throw new NameNotResolved(`${ids.length} ${many} are named "${part}": pick one`);
      throw new NameNotResolved(`no ${one} named "${part}" is known here: type to search and pick it from the list`);
    });
  }

  #want(typeKey: string, id: string) {
    const ids = this.#wanted.get(typeKey) ?? new Set<string>();
    ids.add(id);
    this.#wanted.set(typeKey, ids);
    // One frame's worth of cells asks together.
    this.#flush ??= setTimeout(() => {
      this.#flush = undefined;
      void this.#ask();
    }, 16);
  }

  async #ask() {
    const api = this.#api;
    const who = this.#who;
    const wanted = [...this.#wanted];
    this.#wanted.clear();
    if (!api) return;
    await Promise.all(
      wanted.flatMap(([typeKey, set]) => {
        const plural = uiRecordTypeByKey(typeKey)?.info.plural;
        const ids = [...set];
        if (!plural) return [];
        return Array.from({ length: Math.ceil(ids.length / MAX_NAME_IDS) }, async (_, n) => {
          const batch = ids.slice(n * MAX_NAME_IDS, (n + 1) * MAX_NAME_IDS);
          const keys = batch.map((id) => `${typeKey}#${id}`);
          keys.forEach((key) => this.#asking.add(key));
          try {
            const { items } = await api.request('GET', `/api/${plural}/names?ids=${batch.join(',')}`, RecordNamesResponse);
            if (who !== this.#who) return;
            this.#take(typeKey, batch, items);
            this.revision++;
          } catch {
            // Asked again the next time a cell shows one of them.
          } finally {
            keys.forEach((key) => this.#asking.delete(key));
          }
        });
      }),
    );
  }
}

export const displayNames = new DisplayNames();
