/**
 * The Processes grid: instances as rows of the app's grid (RecordGrid, read-only), sorted,
 * filtered, searched and grouped in the browser by the same view code as the record grids
 * (apply-view.ts, group-rows.ts), exported as the grid shows them, and live: asked again when
 * the change feed names an instance's change (only those the user sees). What is loaded is what the URL names (a process, a step of
 * a version, overdue ones, a status: the monitor links here), up to 1,000 instances.
 */
import Papa from 'papaparse';
import { z } from 'zod';
import { INSTANCE_FEED_TYPE, PROCESS_INFOS, type ProcessInstance } from '$contracts/processes.ts';
import type { ApiClient } from '$lib/api/api-client.ts';
import { download } from '$lib/imports/downloads.ts';
import { displayNames } from '$lib/pickers/display-names.svelte.ts';
import { UI_RECORD_TYPES } from '$lib/records/record-types.ts';
import { shownNames, textOf, type GridField } from '$lib/records/grid-fields.ts';
import type { GridRow } from '$lib/grid/cell-writes.ts';
import { applyView, EMPTY_VIEW_STATE, type SortState, type ViewState } from '$lib/views/apply-view.ts';
import { isGroupRow, withGroupCollapsed, withGroupRows, type GroupRow } from '$lib/views/group-rows.ts';
import { processesApi, type InstanceFilter } from '$lib/processes/processes-api.ts';
import { refreshOnChanges } from '$lib/live/refresh-on-changes.ts';

const field = (key: string, label: string, kind: GridField['kind'] = 'text'): GridField => ({ key, label, kind, editable: false, schema: z.unknown() });

/** The grid's columns, in order. */
export const INSTANCE_FIELDS: GridField[] = [
  field('process', 'Process'),
  field('subject', 'Record'),
  field('status', 'Status'),
  field('step', 'Step'),
  field('assignee', 'Assignee'),
  field('due', 'Due', 'datetime'),
  field('overdue', 'Overdue', 'checkbox'),
  field('version', 'Version', 'number'),
  field('startedBy', 'Started by', 'user'),
  field('startedAt', 'Started', 'datetime'),
  field('endedAt', 'Ended', 'datetime'),
  field('outcome', 'Outcome'),
];
const KEYS = INSTANCE_FIELDS.map((f) => f.key);

/** Columns a user may group by. */
export const GROUPABLE = ['process', 'status', 'step', 'version', 'assignee'] as const;

const processLabel = new Map<string, string>(PROCESS_INFOS.map((info) => [info.name, info.label]));
const typeOf = new Map(UI_RECORD_TYPES.map((type) => [type.info.name, type]));

export class InstancesPage {
  instances = $state<ProcessInstance[]>([]);
  more = $state(false);
  loaded = $state(false);
  loadError = $state('');
  view = $state<ViewState>({ ...EMPTY_VIEW_STATE });
  #teams = $state(new Map<string, string>());
  readonly #processes;
  /** Every change of an instance the user sees reaches the grid from now on (tests wait on it). */
  listening = $state(false);

  constructor(
    api: ApiClient,
    readonly filter: InstanceFilter,
  ) {
    this.#processes = processesApi(api);
    this.#api = api;
  }

  readonly #api: ApiClient;

  /** Rows as the grid reads them: `[id, version, ...values]`, the version moving with each change. */
  readonly rows = $derived.by((): GridRow[] => {
    void displayNames.revision;
    const now = Date.now();
    return this.instances.map((instance) => [instance.id, Date.parse(instance.updatedAt), ...this.#values(instance, now)]);
  });

  readonly shown = $derived.by(() => {
    const applied = applyView(this.rows, KEYS, this.view, shownNames(INSTANCE_FIELDS));
    // Group rows are objects among the row arrays: the grid tells them apart (isGroupRow).
    return withGroupRows(applied, this.view.groupBy, this.view.collapsed) as ReadonlyArray<GridRow>;
  });

  #values(instance: ProcessInstance, now: number): unknown[] {
    const type = typeOf.get(instance.subject.type);
    const assignee = instance.assignee && ('user' in instance.assignee ? displayNames.userLabel(instance.assignee.user) : `Team ${this.#teams.get(instance.assignee.team) ?? instance.assignee.team}`);
    const outcome = instance.outcome && [instance.outcome.result, instance.outcome.error, instance.outcome.cause].filter(Boolean).join(': ');
    const values: Record<string, unknown> = {
      process: processLabel.get(instance.process) ?? instance.process,
      subject: type ? `${type.one[0].toUpperCase()}${type.one.slice(1)}: ${displayNames.recordName(type.info.key, instance.subject.id)}` : instance.subject.id,
      status: instance.status,
      step: instance.step,
      assignee,
      due: instance.due,
      overdue: instance.status === 'running' && instance.due !== null && Date.parse(instance.due) < now,
      version: instance.version,
      startedBy: instance.startedBy,
      startedAt: instance.startedAt,
      endedAt: instance.endedAt,
      outcome,
    };
    return KEYS.map((key) => values[key] ?? null);
  }

  /** An instance as a link names it: its record, and where it is. */
  describe(instance: ProcessInstance): string {
    const [, subject, status, step] = this.#values(instance, Date.now());
    return `${subject} (${step ?? status})`;
  }

  async load(): Promise<void> {
    try {
      const [{ items, more }] = await Promise.all([this.#processes.instances(this.filter), displayNames.loadUsers(), this.#loadTeams()]);
      this.instances = items;
      this.more = more;
      this.loadError = '';
    } catch (err) {
      this.loadError = err instanceof Error ? err.message : String(err);
    } finally {
      this.loaded = true;
    }
  }

  async #loadTeams() {
    if (this.#teams.size) return;
    const teams = await this.#api.request('GET', '/api/teams', z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }));
    this.#teams = new Map(teams.items.map((team) => [team.id, team.name]));
  }

  /** Loads now and again when the change feed names an instance's change (the server tells only those the user sees); the returned function stops it. */
  follow(): () => void {
    void this.load();
    return refreshOnChanges(this.#api, { concerns: (entry) => entry.type === INSTANCE_FEED_TYPE, refresh: () => this.load(), onListening: () => (this.listening = true) });
  }

  /** A header clicked: sorts by it (again: the other way; Shift: adds it as a further key). */
  sortBy(key: string, addKey: boolean) {
    const current = this.view.sort.find((s) => s.field === key);
    const next: SortState = { field: key, direction: current?.direction === 'asc' ? 'desc' : 'asc' };
    const others = addKey ? this.view.sort.filter((s) => s.field !== key) : [];
    this.view = { ...this.view, sort: [...others, next] };
  }

  groupBy(key: string) {
    this.view = { ...this.view, groupBy: key || undefined, collapsed: undefined };
  }

  toggleGroup(group: GroupRow, collapsed: boolean) {
    this.view = withGroupCollapsed(this.view, group.key, collapsed);
  }

  search(text: string) {
    this.view = { ...this.view, search: text };
  }

  /** Only instances of a status (or all): a filter of the loaded rows, with the server's meaning. */
  status(value: string) {
    this.view = { ...this.view, filters: value ? [{ field: 'status', op: 'eq', value }] : [] };
  }

  /** The rows shown, as a CSV file: the columns' texts as the grid shows them. */
  export() {
    const rows = this.shown.filter((row) => !isGroupRow(row));
    const byId = new Map(this.instances.map((instance) => [instance.id, instance]));
    const guard = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
    const csv = Papa.unparse([INSTANCE_FIELDS.map((f) => f.label), ...rows.map((row) => INSTANCE_FIELDS.map((f, i) => guard(textOf(f, row[i + 2]))))]);
    download(new Blob([`\ufeff${csv}\r\n`], { type: 'text/csv;charset=utf-8' }), `process-instances-${byId.size}.csv`);
  }
}
