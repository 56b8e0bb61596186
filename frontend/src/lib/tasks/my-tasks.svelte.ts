/**
 * The signed-in user's tasks from every source (task-sources.ts), kept for the tab's life: the
 * navigation shows how many wait, the Inbox lists them. Loaded once per user, then kept current
 * by the change feed (the tab's one poll, lib/live/change-feed.ts): a change that concerns the
 * user's tasks of a source reads that task again (or, for a source that reads no single task,
 * the source whole), so a task assigned to them appears, one reassigned away or trashed goes,
 * one marked done moves to Done, live. The clock ticks every half minute, so a task becomes
 * overdue when its time passes.
 */
import type { ChangeEntry } from '$contracts/record.ts';
import type { Me } from '$contracts/auth.ts';
import type { ApiClient } from '../api/api-client.ts';
import { followChanges } from '../live/change-feed.ts';
import { TASK_SOURCES } from './task-sources.ts';
import { taskCounts, taskKey, type Task, type TaskSource } from './task.ts';

const CLOCK_MS = 30_000;

class MyTasks {
  /** Every task of the user, from every source they have. */
  tasks = $state.raw<Task[]>([]);
  /** The sources the user's role gives them: none, no My tasks. */
  sources = $state.raw<readonly TaskSource[]>([]);
  loaded = $state(false);
  /** Changes to the tasks reach them from here on (the feed's cursor is known). */
  listening = $state(false);
  loadError = $state('');
  /** The time the lists are judged by (overdue, due today). */
  now = $state(Date.now());
  counts = $derived(taskCounts(this.tasks, this.now));

  #api: ApiClient | undefined;
  #me: Me | undefined;
  #run = 0;
  /** Changes that came while the tasks were loading: applied after, so a late answer of the load cannot undo them. */
  #waiting: ChangeEntry[] = [];
  /** The latest whole read of each source started (by its key). */
  #reads = new Map<string, number>();

  /** Follows the user's tasks (loads them, then the change feed); returns the stop. */
  follow(api: ApiClient, me: Me): () => void {
    const run = ++this.#run;
    this.#api = api;
    this.#me = me;
    this.sources = TASK_SOURCES.filter((source) => source.available(me));
    this.tasks = [];
    this.loaded = false;
    this.listening = false;
    this.loadError = '';
    this.#waiting = [];
    if (this.sources.length === 0) return () => undefined;
    const stopFeed = followChanges(api, (entries) => this.#onChanges(run, entries), { onListening: () => run === this.#run && (this.listening = true) });
    const clock = setInterval(() => (this.now = Date.now()), CLOCK_MS);
    void this.load();
    return () => {
      stopFeed();
      clearInterval(clock);
      if (this.#run === run) this.#run++;
    };
  }

  /** Loads every task again (the page's Try again). */
  async load(): Promise<void> {
    const [run, api, me] = [this.#run, this.#api, this.#me];
    if (!api || !me) return;
    this.loadError = '';
    try {
      const lists = await Promise.all(this.sources.map((source) => source.load(api, me)));
      if (run !== this.#run) return;
      this.tasks = lists.flat();
      this.now = Date.now();
      this.loaded = true;
    } catch (err) {
      if (run === this.#run) this.loadError = err instanceof Error ? err.message : String(err);
      return;
    }
    await this.#onChanges(run, this.#waiting.splice(0));
  }

  /** Marks a task done (or open again); its place in the lists follows at once. */
  async setDone(task: Task, done: boolean): Promise<Task> {
    const source = this.sources.find((each) => each.key === task.source);
    if (!source?.setDone || !this.#api || !this.#me) throw new Error('this task is done through its form');
    const next = await source.setDone(this.#api, this.#me, task, done);
    this.#put(task.source, task.id, next);
    return next;
  }

  /** The task as an action on it answered (claimed, completed): shown at once, then its source read again for where it now belongs. */
  acted(task: Task): void {
    this.#put(task.source, task.id, task);
    const source = this.sources.find((each) => each.key === task.source);
    if (source) void this.#reload(this.#run, source, [task.id]);
  }

  /** The task's record was changed elsewhere on the page (its card): read it again. */
  async changed(source: string, id: string): Promise<void> {
    const of = this.sources.find((each) => each.key === source);
    if (of) await this.#reload(this.#run, of, [id]);
  }

  /** Reads again the tasks of those ids, or the source whole when it reads no single task. */
  async #reload(run: number, source: TaskSource, ids: string[]): Promise<void> {
    const [api, me] = [this.#api, this.#me];
    if (!api || !me || ids.length === 0) return;
    if (source.reload) {
      await Promise.all(ids.map(async (id) => run === this.#run && this.#put(source.key, id, await source.reload!(api, me, id))));
      return;
    }
    // Reads may overlap (changes come while one is out): the one started last is kept.
    const read = (this.#reads.get(source.key) ?? 0) + 1;
    this.#reads.set(source.key, read);
    const tasks = await source.load(api, me);
    if (run !== this.#run || this.#reads.get(source.key) !== read) return;
    // A task an action answered meanwhile may be newer than this read of it.
    const shown = new Map(this.tasks.filter((task) => task.source === source.key).map((task) => [task.id, task]));
    const fresh = tasks.map((task) => ((shown.get(task.id)?.version ?? 0) > task.version ? shown.get(task.id)! : task));
    this.tasks = [...this.tasks.filter((task) => task.source !== source.key), ...fresh];
  }

  async #onChanges(run: number, entries: ChangeEntry[]): Promise<void> {
    if (run !== this.#run || entries.length === 0) return;
    if (!this.loaded) {
      this.#waiting.push(...entries);
      return;
    }
    const me = this.#me!;
    await Promise.all(this.sources.map((source) => this.#reload(run, source, [...new Set(entries.filter((entry) => source.concerns(entry, me)).map((entry) => entry.id))])));
  }

  /** The task as it is now in its place; undefined takes it away. An answer older than what is shown changes nothing. */
  #put(source: string, id: string, task: Task | undefined): void {
    const key = taskKey({ source, id });
    const at = this.tasks.findIndex((each) => taskKey(each) === key);
    if (at < 0) {
      if (task) this.tasks = [...this.tasks, task];
      return;
    }
    if (task && task.version < this.tasks[at].version) return;
    this.tasks = task ? this.tasks.map((each, i) => (i === at ? task : each)) : this.tasks.filter((_, i) => i !== at);
  }
}

export const myTasks = new MyTasks();
