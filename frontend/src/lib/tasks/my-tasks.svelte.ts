/**
 * The signed-in user's tasks from every source (task-sources.ts), kept for the tab's life: the
 * navigation shows how many are due, the My tasks page lists them. Loaded once per user, then
 * kept current by the change feed (the tab's one poll, lib/live/change-feed.ts): a change that
 * concerns the user's tasks of a source reads that task again, so a task assigned to them
 * appears, one reassigned away or trashed goes, one marked done moves to Done, live. The clock
 * ticks every half minute, so a task becomes overdue when its time passes.
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
    if (!source || !this.#api || !this.#me) throw new Error('tasks are not loaded');
    const next = await source.setDone(this.#api, this.#me, task, done);
    this.#put(task.source, task.id, next);
    return next;
  }

  /** The task's record was changed elsewhere on the page (its card): read it again. */
  async changed(source: string, id: string): Promise<void> {
    const of = this.sources.find((each) => each.key === source);
    if (of && this.#api && this.#me) this.#put(source, id, await of.reload(this.#api, this.#me, id));
  }

  async #onChanges(run: number, entries: ChangeEntry[]): Promise<void> {
    if (run !== this.#run || entries.length === 0) return;
    if (!this.loaded) {
      this.#waiting.push(...entries);
      return;
    }
    const [api, me] = [this.#api!, this.#me!];
    await Promise.all(
      this.sources.map(async (source) => {
        const ids = new Set(entries.filter((entry) => source.concerns(entry, me)).map((entry) => entry.id));
        await Promise.all([...ids].map(async (id) => run === this.#run && this.#put(source.key, id, await source.reload(api, me, id))));
      }),
    );
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
