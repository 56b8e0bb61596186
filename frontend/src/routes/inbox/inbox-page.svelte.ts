/**
 * The Inbox page's controller (the tasks themselves are lib/tasks/my-tasks.svelte.ts's): whether
 * the user supervises a team (lib/pickers/team-names.svelte.ts), the process task opened with its
 * form, kept current as the change feed names it (read again, so one the engine closed shows why
 * even after it left every list), and the supervisor's selection of tasks to reassign.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { Task as HumanTask } from '$contracts/tasks.ts';
import { ApiError, type ApiClient } from '$lib/api/api-client.ts';
import { currentUser } from '$lib/auth/me.svelte.ts';
import { administers } from '$lib/auth/permissions.ts';
import { followChanges } from '$lib/live/change-feed.ts';
import { uiRecordTypeByName } from '$lib/records/record-types.ts';
import { myTasks } from '$lib/tasks/my-tasks.svelte.ts';
import { teamNames } from '$lib/pickers/team-names.svelte.ts';
import { humanTasksApi, inboxTaskOf, isFinished, TASK_FEED_TYPE } from '$lib/tasks/human-tasks.ts';
import type { Task } from '$lib/tasks/task.ts';

export class InboxPage {
  /** The process task open with its form, as last read. */
  opened = $state.raw<HumanTask | null>(null);
  /** Tasks (ids) the supervisor picked to reassign. */
  selected = new SvelteSet<string>();
  /** The tasks being reassigned (the selection when the dialog opened). */
  reassigning = $state.raw<HumanTask[] | null>(null);

  #api: () => ApiClient;

  constructor(api: () => ApiClient) {
    this.#api = api;
    $effect(() => void teamNames.load(this.#api(), { reload: true }));
    // The task open changed (claimed by a teammate, closed by the engine): read again.
    $effect(() => {
      const client = this.#api();
      return followChanges(client, (entries) => {
        const open = this.opened;
        if (open && entries.some((entry) => entry.type === TASK_FEED_TYPE && entry.id === open.id)) void this.#reread(client, open.id);
      });
    });
    // And as the Inbox's lists have it, when newer.
    $effect(() => {
      const open = this.opened;
      const listed = open && myTasks.tasks.find((task) => task.source === TASK_FEED_TYPE && task.id === open.id)?.human;
      if (listed && open && listed.version > open.version) this.opened = listed;
    });
  }

  get teams() {
    return teamNames.teams;
  }

  /** Whether the user supervises a team (or, administering, every team). */
  get supervises(): boolean {
    const me = currentUser.me;
    return !!me && (administers(me) || teamNames.teams.some((team) => team.supervisor === me.sub));
  }

  teamName = (id: string) => teamNames.name(id);

  /** Whether the user may give the task to someone else: they supervise its team, or administer. */
  mayReassign(task: HumanTask): boolean {
    const me = currentUser.me;
    return !!me && !isFinished(task) && (administers(me) || teamNames.teams.some((team) => team.id === task.team && team.supervisor === me.sub));
  }

  recordOf = (task: HumanTask) => ({ typeKey: uiRecordTypeByName(task.subject.type)?.info.key ?? task.subject.type, id: task.subject.id });

  open(task: HumanTask) {
    this.opened = task;
  }

  /** Opens a task by its id (`/inbox?task=<id>`: a notification's link); what went wrong, if anything. */
  async openById(id: string): Promise<string> {
    try {
      this.opened = await humanTasksApi(this.#api()).get(id);
      return '';
    } catch (err) {
      return `Could not open the task: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  close() {
    this.opened = null;
  }

  /** An action on the open task answered (or a refusal said how it is now). */
  acted = (human: HumanTask) => {
    if (this.opened?.id === human.id) this.opened = human;
    myTasks.acted(this.#asListed(human));
  };

  /** Claims a team's task from its row; what happened, to say. */
  async claim(task: Task): Promise<string> {
    try {
      this.acted(await humanTasksApi(this.#api()).claim(task.id));
      return `Claimed “${task.title}”: it is yours.`;
    } catch (err) {
      if (err instanceof ApiError && err.isConflict && err.current) this.acted(err.current as HumanTask);
      return `Could not claim “${task.title}”: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  toggleSelected(id: string) {
    if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
  }

  /** Opens the reassignment of the selected tasks (those still open). */
  reassign() {
    const tasks = this.selectedTasks();
    if (tasks.length) this.reassigning = tasks;
  }

  /** The selected tasks as listed (those still open). */
  selectedTasks(): HumanTask[] {
    return myTasks.tasks.filter((task) => task.source === TASK_FEED_TYPE && this.selected.has(task.id) && task.human && !isFinished(task.human)).map((task) => task.human!);
  }

  async #reread(client: ApiClient, id: string) {
    try {
      const fresh = await humanTasksApi(client).get(id);
      if (this.opened?.id === id && fresh.version >= this.opened.version) this.opened = fresh;
    } catch {
      // Out of the user's sight now (reassigned away): it stays as last seen.
    }
  }

  /** The task as the lists would hold it now: where it belongs for the user. */
  #asListed(human: HumanTask): Task {
    const me = currentUser.me;
    const before = myTasks.tasks.find((task) => task.source === TASK_FEED_TYPE && task.id === human.id);
    const holder = human.assignee === me?.sub || isFinished(human) ? 'me' : human.assignee === null && human.team && me?.teams.includes(human.team) ? 'team' : 'other';
    return inboxTaskOf(human, { holder, supervised: (before?.supervised ?? false) && !isFinished(human) });
  }
}
