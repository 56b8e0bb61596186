/**
 * Tasks from a record type that assigns its records (its contract's `assignees`: an activity's
 * `assignee`). Of the user: those assigned to them, and those they own that are assigned to no one
 * (a call they noted for themselves); one they own but gave to someone else is that person's.
 *
 * Loaded as views of the type (`POST /api/views/{type}/rows`, filtered on the server to the user's
 * open ones and their latest done ones, in their scope), then each record is judged here again, by
 * its values: the server's filter compares text, this compares ids. Kept current by the change
 * feed, whose entries name the owner and assignees before and after, so only the changes that
 * concern the user read a record again.
 */
import type { ChangeEntry } from '$contracts/record.ts';
import type { Me } from '$contracts/auth.ts';
import { choiceLabel } from '$contracts/choices.ts';
import type { ViewFields, ViewFilter } from '$contracts/views.ts';
import { ApiError, type ApiClient } from '../api/api-client.ts';
import { viewsApi } from '../api/records.ts';
import { can } from '../auth/permissions.ts';
import { loadViewRows } from '../views/load-view-rows.ts';
import type { UiRecordType } from '../records/record-types.ts';
import { CardRecord, cardRecordsApi } from '../record-card/card-record.ts';
import { DONE_SHOWN, type Task, type TaskSource } from './task.ts';

/** The type's fields that make a task of a record. */
export interface RecordTaskFields {
  title: string;
  /** A date-time. */
  due: string;
  /** A checkbox. */
  done: string;
  /** A choice (the type's `choices`) shown by its label as the task's sort (`call`: Call). */
  kind?: string;
}

type Values = Record<string, unknown>;

export function recordTasks(type: UiRecordType, fields: RecordTaskFields): TaskSource {
  const { info } = type;
  // A type that assigns no records gives no one tasks (and breaks no page for it).
  const assignee = info.assignees?.[0] ?? '';
  // Relations of the record itself (not inside its values): what the task is about.
  const relations = info.relations.filter((relation) => !relation.path.includes('.'));
  const columns = [...new Set([fields.title, fields.due, fields.done, ...(fields.kind ? [fields.kind] : []), assignee, 'owner', 'updatedAt', ...relations.map((r) => r.path)])];

  // A kind as the type's choices label it (`call`: Call), as the grid shows it.
  const kinds = (fields.kind && info.choices?.[fields.kind]) || [];

  const isMine = (record: Values, me: Me) => record[assignee] === me.sub || (isEmpty(record[assignee]) && record.owner === me.sub);

  const taskOf = (record: Values & { id: string; version: number }): Task => ({
    source: info.name,
    id: record.id,
    version: record.version,
    title: typeof record[fields.title] === 'string' ? (record[fields.title] as string) : '',
    kind: fields.kind && typeof record[fields.kind] === 'string' ? String(choiceLabel(kinds, record[fields.kind])) : undefined,
    dueAt: typeof record[fields.due] === 'string' ? (record[fields.due] as string) : undefined,
    done: record[fields.done] === true,
    changedAt: typeof record.updatedAt === 'string' ? record.updatedAt : '',
    record: { typeKey: info.key, id: record.id },
    about: relations.flatMap((relation) => idsIn(record[relation.path]).map((id) => ({ typeKey: relation.target, id }))),
  });

  /** The rows of a view as records (`[id, version, ...values of the columns]`). */
  const recordsOf = (rows: unknown[][]) => rows.map((row) => Object.fromEntries([['id', row[0]], ['version', row[1]], ...columns.map((column, i) => [column, row[i + 2]])]) as Values & { id: string; version: number });

  /** Whose tasks, as view filters: assigned to them; or theirs and assigned to no one. */
  const mine = (me: Me): ViewFilter[][] => [
    [{ field: assignee, op: 'eq', value: me.sub }],
    [
      { field: 'owner', op: 'eq', value: me.sub },
      { field: assignee, op: 'empty' },
    ],
  ];

  async function open(api: ApiClient, filters: ViewFilter[]): Promise<unknown[][]> {
    let all: unknown[][] = [];
    const view: Omit<ViewFields, 'name'> = { columns, filters: [...filters, { field: fields.done, op: 'neq', value: true }], sort: [{ field: fields.due }] };
    await loadViewRows(api, info.name, { fields: view }, (rows) => (all = rows));
    return all;
  }

  async function done(api: ApiClient, filters: ViewFilter[]): Promise<unknown[][]> {
    const view = { columns, filters: [...filters, { field: fields.done, op: 'eq' as const, value: true }], sort: [{ field: 'updatedAt', direction: 'desc' as const }] };
    // Asked once the open ones are in: the type's records are ready on the server by then.
    return (await viewsApi(api, info.name).unsavedRows(view, 0, DONE_SHOWN)).rows;
  }

  async function write(api: ApiClient, task: Task, done: boolean, version: number, tries: number): Promise<Task> {
    try {
      return taskOf(await cardRecordsApi(api, type).update(task.id, version, { [fields.done]: done }));
    } catch (err) {
      // Changed meanwhile by someone else: still the user's call to mark it, on the version it is now.
      const current = err instanceof ApiError && err.isConflict ? CardRecord.safeParse(err.current).data : undefined;
      if (!current || tries === 0) throw err;
      return current[fields.done] === done ? taskOf(current) : write(api, task, done, current.version, tries - 1);
    }
  }

  return {
    key: info.name,
    available: (me) => assignee !== '' && can(me, 'read', info.name),
    async load(api, me) {
      const clauses = mine(me);
      const openRows = await Promise.all(clauses.map((filters) => open(api, filters)));
      const doneRows = await Promise.all(clauses.map((filters) => done(api, filters)));
      const tasks = [...openRows, ...doneRows].flatMap((rows) => recordsOf(rows).filter((record) => isMine(record, me)).map(taskOf));
      const latestDone = tasks.filter((task) => task.done).sort((a, b) => b.changedAt.localeCompare(a.changedAt)).slice(0, DONE_SHOWN);
      return [...tasks.filter((task) => !task.done), ...latestDone];
    },
    concerns: (entry: ChangeEntry, me) => (entry.type === info.key || entry.type === info.name) && [entry.owner, entry.previousOwner, ...(entry.assignees ?? []), ...(entry.previousAssignees ?? [])].includes(me.sub),
    async reload(api, me, id) {
      try {
        const record = await cardRecordsApi(api, type).get(id);
        return isMine(record, me) ? taskOf(record) : undefined;
      } catch (err) {
        // Trashed, or out of the user's scope now (reassigned): not theirs.
        if (err instanceof ApiError && err.status === 404) return undefined;
        throw err;
      }
    },
    setDone: (api, _me, task, done) => write(api, task, done, task.version, 1),
  };
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';
const idsIn = (value: unknown): string[] => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : []);
