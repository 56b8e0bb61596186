/**
 * Where running instances are, by step: a sparse index the monitor counts on. A running
 * instance is in gsi1 under `T#<tenant>#PROCESS#AT#<process>`, sort key
 * `<version, 6 digits>#<step, URI-encoded>#<due or ~>#<id>`; an ended one is not in it. So the
 * instances of a version at a step are one key range, those past due the first part of it, and
 * the monitor's counts over 10,000 instances are a few COUNT queries (read in DynamoDB, never
 * sent), not a read of the items and never ListExecutions.
 *
 * The key is derived from the item as it is after each write (processes/instances.ts): the
 * writer that changed the instance last sets it, conditional on the item's `writes` (one more at
 * every write) being what it read, so a slower writer with an older view never sets a stale key;
 * a repeated write finds the key right and writes nothing. At least once, in any order, it stays
 * right.
 */
import type { StepCount } from '../contracts/processes.ts';
import { callStore, conditionFailed, countAll, queryItems, updateItem, type Item } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';

const kind = ITEM_KINDS.processes;
export const STEP_INDEX = 'gsi1';

/** A process's running instances, by version, step and due time. */
export const stepIndexPk = (tenant: string, process: string) => kind.pk(tenant, 'AT', process);

/** The part of the sort key that names a version's step: `000003#Fulfil`. */
export const stepPrefix = (version: number, step: string) => `${String(version).padStart(6, '0')}#${encodeURIComponent(step)}`;

/** A due time as it sorts: ISO in UTC to the millisecond, so that `< now` is a key range. */
const dueKey = (due: unknown) => {
  const time = typeof due === 'string' ? Date.parse(due) : NaN;
  return Number.isNaN(time) ? '~' : new Date(time).toISOString();
};

/** The index keys the instance item should have: while it runs, its version's step; else none. */
function wantedKeys(tenant: string, item: Item): { pk: string; sk: string } | undefined {
  if (item.status !== 'running') return undefined;
  const version = typeof item.version === 'number' ? item.version : 0;
  const step = typeof item.step === 'string' ? item.step : '';
  return { pk: stepIndexPk(tenant, item.process as string), sk: `${stepPrefix(version, step)}#${dueKey(item.due)}#${item.id}` };
}

/** Sets (or removes) the item's step index keys to what it is now, unless another write came after the one that read it. */
export async function keepStepIndex(tenant: string, item: Item): Promise<void> {
  const wanted = wantedKeys(tenant, item);
  if (wanted?.pk === item.gsi1pk && wanted?.sk === item.gsi1sk) return;
  if (!wanted && item.gsi1pk === undefined) return;
  try {
    await callStore('keep the step index of a process instance', () =>
      updateItem({
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: wanted ? 'SET gsi1pk = :pk, gsi1sk = :sk' : 'REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#writes = :writes',
        ExpressionAttributeNames: { '#writes': 'writes' },
        ExpressionAttributeValues: { ':writes': item.writes, ...(wanted ? { ':pk': wanted.pk, ':sk': wanted.sk } : {}) },
      }),
    );
  } catch (err) {
    // A later write changed the instance: it sets the keys from what it saw.
    if (!conditionFailed(err)) throw err;
  }
}

/** The (version, step) prefixes that hold a running instance, found by skipping from one to the next (one item read each). */
async function occupiedSteps(tenant: string, process: string): Promise<string[]> {
  const prefixes: string[] = [];
  for (let after: string | undefined; ; ) {
    const page = await callStore('find the steps of running instances', () =>
      queryItems({
        IndexName: STEP_INDEX,
        KeyConditionExpression: after === undefined ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND gsi1sk > :after',
        ExpressionAttributeValues: { ':pk': stepIndexPk(tenant, process), ...(after === undefined ? {} : { ':after': after }) },
        ProjectionExpression: 'gsi1sk',
        Limit: 1,
      }),
    );
    const sk = page.Items?.[0]?.gsi1sk as string | undefined;
    if (sk === undefined) return prefixes;
    const prefix = sk.split('#', 2).join('#');
    prefixes.push(prefix);
    // `$` sorts right after `#`: past every key of this step, before any other step's.
    after = `${prefix}$`;
  }
}

/** Per version and step: the running instances of the process, and those past their due time at `now`. */
export async function stepCounts(tenant: string, process: string, now: Date): Promise<StepCount[]> {
  const prefixes = await occupiedSteps(tenant, process);
  const range = (condition: string, values: Record<string, string>) => ({
    IndexName: STEP_INDEX,
    KeyConditionExpression: `gsi1pk = :pk AND ${condition}`,
    ExpressionAttributeValues: { ':pk': stepIndexPk(tenant, process), ...values },
  });
  return Promise.all(
    prefixes.map(async (prefix) => {
      const [version, step] = prefix.split('#');
      const [running, overdue] = await Promise.all([
        countAll('count the instances at a step', range('begins_with(gsi1sk, :prefix)', { ':prefix': `${prefix}#` })),
        countAll('count the overdue instances at a step', range('gsi1sk BETWEEN :from AND :to', { ':from': `${prefix}#`, ':to': `${prefix}#${now.toISOString()}` })),
      ]);
      return { version: Number(version), step: decodeURIComponent(step), running, overdue };
    }),
  );
}
