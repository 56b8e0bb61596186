/**
 * Process instances: one item per execution, written at its start and kept current as it moves
 * (its state machine's steps, and Step Functions' status-change events for the ends it cannot
 * write itself), so that lists, the card and the monitor read items, never ListExecutions.
 *
 * Item `T#<tenant>#PROCESS#<id>` / `INSTANCE`, listed newest first (sort key `<startedAt>#<id>`):
 *   gsi2 `PROCESS#LIST`                      every instance of the tenant
 *   gsi3 `PROCESS#LIST#<process>#<status>`   a process's instances in a status
 *   gsi4 `PROCESS#SUBJECT#<TYPE>#<id>`       a record's instances
 *   gsi1 `PROCESS#AT#<process>`              running instances by version, step and due (step-index.ts)
 * Every write is one UpdateItem of basics (set if absent) and the change, wherever it comes from
 * and in whatever order: a step may run before the start's own write lands, and an event may
 * come twice. Once ended, an instance takes no other change. Each write counts itself (`writes`)
 * and adds whoever the step is offered to (`participants`, a set: a repeat adds nothing), whom
 * a role's process scope reads (access/process-access.ts).
 */
import type { Principal } from '../access/permissions.ts';
import { participantOf } from '../access/process-access.ts';
import type { Assignee, InstanceListQuery, InstancePage, InstanceStatus, ProcessInstance, ProcessName, ProcessSubject, StepCount } from '../contracts/processes.ts';
import { DomainError } from '../errors/domain-error.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import { visibleRecords } from '../records/repository.ts';
import { callStore, conditionFailed, getItem, queryAll, queryItems, updateItem, type Item } from '../store/commands.ts';
import { ITEM_KINDS, parsePartitionKey } from '../store/item-kinds.ts';
import { keepStepIndex, STEP_INDEX, stepIndexPk, stepPrefix } from './step-index.ts';

const SK = 'INSTANCE';
const kind = ITEM_KINDS.processes;

/** What an instance is from its start on, carried in its execution's input. */
export interface InstanceBasics {
  tenant: string;
  id: string;
  process: ProcessName;
  subject: ProcessSubject;
  startedBy: string;
  /** The execution's start (ISO). */
  startedAt: string;
}

/** What a write changes; every field left out stays as it is. */
export interface InstanceChange {
  status?: InstanceStatus;
  version?: number;
  step?: string | null;
  assignee?: Assignee | null;
  due?: string | null;
  outcome?: ProcessInstance['outcome'];
  /** The hash of the start request, kept to tell a retried start from a clash of keys. */
  request?: string;
  /**
   * The execution's run the change is from (its redrive count): an end is taken only from the
   * latest run, and `status: 'running'` (a redrive) only from a newer one than the instance has.
   */
  run?: number;
}

export class InstanceNotFoundError extends DomainError {
  readonly code = 'NotFound';

  constructor(readonly id: string) {
    super(`process instance ${id} does not exist`);
    this.name = 'InstanceNotFoundError';
  }
}

/** Whether the keys are an instance's item (the stream's consumer that tells the feed of its changes); its tenant when they are. */
export function instanceItemTenant({ pk, sk }: { pk: string; sk: string }): string | undefined {
  const key = sk === SK ? parsePartitionKey(pk) : undefined;
  return key?.word === kind.word && key.parts.length === 1 ? key.tenant : undefined;
}

const ENDED: ReadonlySet<InstanceStatus> = new Set(['completed', 'failed', 'timedOut', 'aborted']);
export const hasEnded = (status: InstanceStatus) => ENDED.has(status);

const keyOf = (tenant: string, id: string) => ({ pk: kind.pk(tenant, id), sk: SK });
const listSk = (basics: Pick<InstanceBasics, 'startedAt' | 'id'>) => `${basics.startedAt}#${basics.id}`;
const allPk = (tenant: string) => kind.pk(tenant, 'LIST');
/** A process's instances in a status (gsi3): listed, and counted by the monitor (failed ones). */
export const instanceListPk = (tenant: string, process: string, status: InstanceStatus) => kind.pk(tenant, 'LIST', process, status);
const subjectPk = (tenant: string, subject: ProcessSubject) => kind.pk(tenant, 'SUBJECT', recordTypeNamed(subject.type)?.key ?? subject.type.toUpperCase(), subject.id);

/**
 * Writes the basics (where absent) and the change. A change of step or status is taken only while
 * the instance runs: an ended one keeps how it ended (a late or repeated step or event changes
 * nothing), until a redrive reopens it (`status: 'running'` with the newer `run`; an end of an
 * older run is then not taken). Answers whether the change was taken.
 */
export async function writeInstance(basics: InstanceBasics, change: InstanceChange, at = new Date().toISOString()): Promise<boolean> {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':running': 'running' };
  const sets: string[] = [];
  const ifAbsent = (field: string, value: unknown) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = if_not_exists(#${field}, :${field})`);
  };
  const always = (field: string, value: unknown) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  };
  const { tenant, ...fields } = basics;
  for (const [field, value] of Object.entries(fields)) ifAbsent(field, value);
  ifAbsent('gsi2pk', allPk(tenant));
  ifAbsent('gsi2sk', listSk(basics));
  ifAbsent('gsi3sk', listSk(basics));
  ifAbsent('gsi4pk', subjectPk(tenant, basics.subject));
  ifAbsent('gsi4sk', listSk(basics));
  const ending = change.status !== undefined && change.status !== 'running';
  const reopening = change.status === 'running';
  if (change.run !== undefined) {
    names['#run'] = 'run';
    values[':run'] = change.run;
  }
  if (reopening) {
    // Redriven: running again from where it stopped, no longer ended.
    always('status', 'running');
    always('gsi3pk', instanceListPk(tenant, basics.process, 'running'));
    always('endedAt', null);
    always('outcome', null);
    sets.push('#run = :run');
  } else if (ending) {
    always('status', change.status);
    always('gsi3pk', instanceListPk(tenant, basics.process, change.status!));
    always('endedAt', at);
    always('step', null);
    always('assignee', null);
  } else {
    sets.push('#status = if_not_exists(#status, :running)');
    ifAbsent('gsi3pk', instanceListPk(tenant, basics.process, 'running'));
  }
  for (const field of ['step', 'assignee', 'due', 'outcome'] as const) {
    // An end clears step and assignee: nothing is current once it is over.
    if (change[field] === undefined || (ending && (field === 'step' || field === 'assignee')) || (reopening && field === 'outcome')) continue;
    always(field, change[field]);
  }
  if (change.version !== undefined) ifAbsent('version', change.version);
  if (change.request !== undefined) ifAbsent('request', change.request);
  always('updatedAt', at);
  const adds = ['#writes :one'];
  names['#writes'] = 'writes';
  values[':one'] = 1;
  if (change.assignee) {
    adds.push('#participants :participant');
    names['#participants'] = 'participants';
    values[':participant'] = new Set([participantOf(change.assignee)]);
  }
  // A write of basics alone (a start, the RUNNING event) is always taken; anything that moves the
  // instance only while it runs.
  const moves = change.status !== undefined || change.step !== undefined || change.assignee !== undefined || change.outcome !== undefined;
  const condition = reopening
    ? 'attribute_exists(#status) AND #status <> :running AND (attribute_not_exists(#run) OR #run < :run)'
    : moves
      ? `(attribute_not_exists(#status) OR #status = :running)${change.run !== undefined ? ' AND (attribute_not_exists(#run) OR #run <= :run)' : ''}`
      : undefined;
  try {
    const written = await callStore('write process instance', () =>
      updateItem({
        Key: keyOf(tenant, basics.id),
        UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
        ...(condition ? { ConditionExpression: condition } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    await keepStepIndex(tenant, written.Attributes!);
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

/** What an instance is from its start on, from the instance (to write a change to it). */
export const basicsOf = (tenant: string, instance: ProcessInstance): InstanceBasics => ({
  tenant,
  id: instance.id,
  process: instance.process,
  subject: instance.subject,
  startedBy: instance.startedBy,
  startedAt: instance.startedAt,
});

/** The instance as stored, whoever may see it: for the system's bookkeeping. */
export async function readInstanceUnscoped(tenant: string, id: string): Promise<ProcessInstance | undefined> {
  const { Item: item } = await callStore('read process instance', () => getItem({ Key: keyOf(tenant, id), ConsistentRead: true }));
  return item && instanceOf(item);
}

/** The instance, if the caller's role sees it and its subject is a record they see: otherwise, alike, not found. */
export async function visibleInstance(principal: Principal, id: string): Promise<ProcessInstance> {
  const { Item: item } = await callStore('read process instance', () => getItem({ Key: keyOf(principal.tenant, id), ConsistentRead: true }));
  const [shown] = item ? await inCallersScope(principal, [item]) : [];
  if (!shown) throw new InstanceNotFoundError(id);
  return shown;
}

/**
 * One page of instances, by the index that fits the filters best (a process's running ones at a
 * step, earliest due first; else newest first: a subject's, a process's in a status, or all of
 * the tenant's) with the rest as a filter; `limit` items are read at most, so a page may hold
 * fewer than asked and still have a `nextCursor`. Only instances the caller sees are answered.
 */
export async function listInstances(principal: Principal, query: InstanceListQuery): Promise<InstancePage> {
  const { tenant } = principal;
  const subject = query.subject && { type: query.subject.slice(0, query.subject.indexOf(':')), id: query.subject.slice(query.subject.indexOf(':') + 1) };
  const status = query.step !== undefined ? 'running' : query.status;
  const atStep = query.step !== undefined && query.version !== undefined;
  const index =
    atStep ? { name: STEP_INDEX, pk: stepIndexPk(tenant, query.process!) }
    : subject ? { name: 'gsi4', pk: subjectPk(tenant, subject) }
    : query.process && status ? { name: 'gsi3', pk: instanceListPk(tenant, query.process, status) }
    : { name: 'gsi2', pk: allPk(tenant) };
  const filters: string[] = [];
  const names: Record<string, string> = { '#pk': `${index.name}pk` };
  const values: Record<string, unknown> = { ':pk': index.pk };
  const filter = (field: string, condition: string, value: unknown) => {
    filters.push(condition);
    names[`#${field}`] = field;
    values[`:${field}`] = value;
  };
  if (query.process && index.name !== 'gsi3' && !atStep) filter('process', '#process = :process', query.process);
  if (status && index.name !== 'gsi3' && !atStep) filter('status', '#status = :status', status);
  if (query.step !== undefined && !atStep) filter('step', '#step = :step', query.step);
  if (query.overdue && !atStep) filter('due', '#due < :due', new Date().toISOString());
  // At a version's step: its key range, those past due its first part.
  let keyCondition = '#pk = :pk';
  if (atStep) {
    const prefix = `${stepPrefix(query.version!, query.step!)}#`;
    names['#sk'] = `${index.name}sk`;
    keyCondition += query.overdue ? ' AND #sk BETWEEN :from AND :to' : ' AND begins_with(#sk, :from)';
    values[':from'] = prefix;
    if (query.overdue) values[':to'] = `${prefix}${new Date().toISOString()}`;
  }
  const start = query.cursor && { ...keyOf(tenant, query.cursor.slice(query.cursor.lastIndexOf('#') + 1)), [`${index.name}pk`]: index.pk, [`${index.name}sk`]: query.cursor };
  const page = await callStore('list process instances', () =>
    queryItems({
      IndexName: index.name,
      KeyConditionExpression: keyCondition,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      // Newest first; at a step, earliest due first.
      ScanIndexForward: atStep,
      Limit: query.limit ?? 50,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  const items = await inCallersScope(principal, page.Items ?? []);
  const last = page.LastEvaluatedKey?.[`${index.name}sk`];
  return { items, ...(typeof last === 'string' ? { nextCursor: last } : {}) };
}

/** Running instances read at most to count those a scoped caller sees (the newest first). */
export const MAX_SCOPED_COUNT = 10_000;

/** The newest instances of the process in a status that the caller sees (of the newest MAX_SCOPED_COUNT). */
async function visibleOf(principal: Principal, process: string, status: InstanceStatus): Promise<ProcessInstance[]> {
  const items = await queryAll(
    'read process instances to count',
    { IndexName: 'gsi3', KeyConditionExpression: 'gsi3pk = :pk', ExpressionAttributeValues: { ':pk': instanceListPk(principal.tenant, process, status) }, ScanIndexForward: false },
    MAX_SCOPED_COUNT,
  );
  return inCallersScope(principal, items);
}

/**
 * Per version and step, the running instances of the process that the caller sees (and those past
 * due at `now`), and the failed ones: for a caller who does not see them all, read and filtered as
 * a list is (the newest MAX_SCOPED_COUNT of each); one who sees all counts by the step index
 * instead (step-index.ts).
 */
export async function visibleCounts(principal: Principal, process: string, now: Date): Promise<{ counts: StepCount[]; failed: number }> {
  const [running, failed] = await Promise.all([visibleOf(principal, process, 'running'), visibleOf(principal, process, 'failed')]);
  const counts = new Map<string, StepCount>();
  for (const instance of running) {
    const version = instance.version ?? 0;
    const step = instance.step ?? '';
    const count = counts.get(`${version}#${step}`) ?? { version, step, running: 0, overdue: 0 };
    count.running++;
    if (instance.due !== null && Date.parse(instance.due) < now.getTime()) count.overdue++;
    counts.set(`${version}#${step}`, count);
  }
  return { counts: [...counts.values()].sort((a, b) => a.version - b.version || (a.step < b.step ? -1 : 1)), failed: failed.length };
}

/**
 * The instances the caller sees, in order: those their role's process scope holds
 * (access/process-access.ts) whose subject is a record they see (one read of the subjects).
 */
async function inCallersScope(principal: Principal, items: Item[]): Promise<ProcessInstance[]> {
  const held = items.filter((item) => principal.processes.seesInstance({ process: item.process as string, startedBy: item.startedBy as string, participants: [...((item.participants as Set<string> | undefined) ?? [])] }));
  const instances = held.map(instanceOf);
  const keys = instances.flatMap(({ subject }) => {
    const type = recordTypeNamed(subject.type);
    return type ? [{ type: type.key, id: subject.id }] : [];
  });
  const seen = new Set((await visibleRecords(principal, keys, ['id'])).map((record) => record.id));
  return instances.filter((instance) => seen.has(instance.subject.id));
}

function instanceOf(item: Item): ProcessInstance {
  return {
    id: item.id as string,
    process: item.process as ProcessName,
    version: (item.version as number | undefined) ?? null,
    subject: item.subject as ProcessSubject,
    status: item.status as InstanceStatus,
    step: (item.step as string | undefined) ?? null,
    assignee: (item.assignee as Assignee | undefined) ?? null,
    startedBy: item.startedBy as string,
    startedAt: item.startedAt as string,
    due: (item.due as string | undefined) ?? null,
    endedAt: (item.endedAt as string | undefined) ?? null,
    retries: (item.run as number | undefined) ?? 0,
    outcome: (item.outcome as ProcessInstance['outcome'] | undefined) ?? null,
    updatedAt: item.updatedAt as string,
  };
}
