/**
 * The tenant's deal pipelines as stored (`T#<tenant>#PIPELINES`): one item per pipeline (sort key
 * its key) and their set (`#SET`: the keys in order, and a version that every write of a pipeline
 * moves). A tenant that never saved one has DEFAULT_PIPELINE at version 0; its first write keeps
 * the seed as it is (version 0) beside what it writes, so the seed's keys stay what old deals hold.
 *
 * Every write is one transaction of the pipeline's item (conditional on the version seen), the set
 * where it changes (conditional on the count: 1..MAX_PIPELINES holds under concurrent creations
 * and deletions) and the audit entry: a write that meets another is decided again on what is
 * there, or refused with the pipeline as it is now. What may be written (processes, fields, deals in a dropped stage) is
 * pipelines/pipeline-admin.ts's to check; this module only stores.
 */
import { DEFAULT_PIPELINE, MAX_PIPELINES, type Pipeline, type PipelineFields } from '../contracts/deal-stages.ts';
import { auditPut, type AuditActor, type AuditEvent } from '../audit/audit-log.ts';
import { cancellationCodes, queryAll, tableName, transactWriteItems, type Item, type TransactItem } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { TenantItemConflictError, TenantItemExistsError, TenantItemNotFoundError } from '../tenant-items/tenant-items.ts';

/** The set's sort key: `#` sorts before any pipeline key (they begin with a letter). */
export const SET_SK = '#SET';

/** The tenant's pipelines as stored, with the set's version (0: never written: the seed). */
interface Stored {
  pipelines: Pipeline[];
  setVersion: number;
}

async function readStored(tenant: string): Promise<Stored> {
  const items = await queryAll('read pipelines', { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ITEM_KINDS.pipelines.pk(tenant) }, ConsistentRead: true });
  const set = items.find((item) => item.sk === SET_SK);
  if (!set) return { pipelines: [DEFAULT_PIPELINE], setVersion: 0 };
  const byKey = new Map(items.filter((item) => item.sk !== SET_SK).map((item) => [item.sk as string, strip(item)]));
  return { pipelines: (set.keys as string[]).flatMap((key) => byKey.get(key) ?? []), setVersion: set.version as number };
}

/** The tenant's pipelines in their order (the first is where a deal without one is). */
export async function tenantPipelines(tenant: string): Promise<Pipeline[]> {
  return (await readStored(tenant)).pipelines;
}

/** The tenant's pipeline with `key`, or NotFound. */
export async function tenantPipeline(tenant: string, key: string): Promise<Pipeline> {
  const pipeline = (await tenantPipelines(tenant)).find((p) => p.key === key);
  if (!pipeline) throw new TenantItemNotFoundError('pipeline', key);
  return pipeline;
}

/**
 * A write of the pipelines, decided on them as they were read: a pipeline added, one replaced
 * (at the version read), or one removed (at the version and the place in the set read).
 */
type PipelineWrite = ({ add: Pipeline } | { replace: Pipeline; expected: number } | { remove: string; expected: number }) & { event: AuditEvent };

/**
 * Writes what `decide` makes of the pipelines as they are, in one transaction: the pipeline's
 * item (conditional on its version, or on its absence), the set (an added key appended while
 * there are fewer than MAX_PIPELINES and it is not there; a removed one taken out at the place
 * read, while more than one is left) and the audit entry. When a condition fails (another
 * administrator's write came first) or DynamoDB cancels it for a concurrent one, `decide` runs
 * again on what is there now, and may refuse. A tenant's first write stores the set and the seed
 * (at its version 0, unless the seed is what is written), both on their absence.
 */
async function writePipelines(actor: AuditActor, decide: (pipelines: Pipeline[]) => PipelineWrite): Promise<void> {
  const pk = ITEM_KINDS.pipelines.pk(actor.tenant);
  for (let attempt = 1; ; attempt++) {
    const stored = await readStored(actor.tenant);
    const write = decide(stored.pipelines);
    const keys = stored.pipelines.map((p) => p.key);
    const items: TransactItem[] = [];
    if (stored.setVersion === 0) {
      // The seed's set: written whole, once.
      const next = 'add' in write ? [...keys, write.add.key] : 'remove' in write ? keys.filter((key) => key !== write.remove) : keys;
      items.push({ Put: { TableName: tableName(), Item: { pk, sk: SET_SK, keys: next, version: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } });
      const seedWritten = ('replace' in write && write.replace.key === DEFAULT_PIPELINE.key) || ('remove' in write && write.remove === DEFAULT_PIPELINE.key);
      if (!seedWritten) items.push({ Put: { TableName: tableName(), Item: { ...DEFAULT_PIPELINE, pk, sk: DEFAULT_PIPELINE.key }, ConditionExpression: 'attribute_not_exists(pk)' } });
    } else if ('add' in write) {
      items.push({
        Update: {
          TableName: tableName(),
          Key: { pk, sk: SET_SK },
          UpdateExpression: 'SET #keys = list_append(#keys, :added), version = version + :one',
          ConditionExpression: 'size(#keys) < :max AND NOT contains(#keys, :key)',
          ExpressionAttributeNames: { '#keys': 'keys' },
          ExpressionAttributeValues: { ':added': [write.add.key], ':key': write.add.key, ':one': 1, ':max': MAX_PIPELINES },
        },
      });
    } else if ('remove' in write) {
      const at = keys.indexOf(write.remove);
      items.push({
        Update: {
          TableName: tableName(),
          Key: { pk, sk: SET_SK },
          UpdateExpression: `REMOVE #keys[${at}] SET version = version + :one`,
          ConditionExpression: `#keys[${at}] = :key AND size(#keys) > :one`,
          ExpressionAttributeNames: { '#keys': 'keys' },
          ExpressionAttributeValues: { ':key': write.remove, ':one': 1 },
        },
      });
    }
    if ('add' in write) items.push({ Put: { TableName: tableName(), Item: { ...write.add, pk, sk: write.add.key }, ConditionExpression: 'attribute_not_exists(pk)' } });
    if ('replace' in write) {
      const stays = stored.setVersion === 0 ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': write.expected } };
      items.push({ Put: { TableName: tableName(), Item: { ...write.replace, pk, sk: write.replace.key }, ...stays } });
    }
    if ('remove' in write) items.push({ Delete: { TableName: tableName(), Key: { pk, sk: write.remove }, ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': write.expected } } });
    items.push(auditPut(actor, write.event));
    try {
      await transactWriteItems(items);
      return;
    } catch (err) {
      const codes = cancellationCodes(err);
      // Another write of the tenant's pipelines came first, or ran at once: decide again on what is there now.
      if (!codes || attempt >= WRITE_ATTEMPTS || !(codes.includes('ConditionalCheckFailed') || codes.includes('TransactionConflict'))) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/** How often a write is decided again when others of the tenant's pipelines came first. */
const WRITE_ATTEMPTS = 8;

/** Adds a pipeline (version 1) after the others; refused when its key is taken or the tenant has MAX_PIPELINES. */
export async function createPipeline(actor: AuditActor, fields: PipelineFields): Promise<Pipeline> {
  const pipeline: Pipeline = { ...fields, version: 1, updatedAt: new Date().toISOString(), updatedBy: actor.sub };
  await writePipelines(actor, (pipelines) => {
    if (pipelines.some((p) => p.key === fields.key)) throw new TenantItemExistsError('pipeline', fields.key);
    if (pipelines.length >= MAX_PIPELINES) throw new FieldValidationError([{ path: 'key', message: `cannot be added: the tenant has ${pipelines.length} pipelines, at most ${MAX_PIPELINES}` }]);
    return { add: pipeline, event: { action: 'pipeline.create', target: `pipeline:${fields.key}`, details: { version: 1 } } };
  });
  return pipeline;
}

/**
 * Replaces the pipeline over the version the administrator saw (409 with the pipeline as it is
 * otherwise); `check` sees the pipeline as it is and may refuse (a dropped stage in use).
 */
export async function replacePipeline(actor: AuditActor, key: string, version: number, fields: PipelineFields, check: (current: Pipeline) => void = () => {}): Promise<Pipeline> {
  const next: Pipeline = { ...fields, version: version + 1, updatedAt: new Date().toISOString(), updatedBy: actor.sub };
  await writePipelines(actor, (pipelines) => {
    check(atVersion(pipelines, key, version));
    return { replace: next, expected: version, event: { action: 'pipeline.change', target: `pipeline:${key}`, details: { version: next.version } } };
  });
  return next;
}

/** Deletes the pipeline at the version seen; never the tenant's last one. `check` may refuse (deals in it). */
export async function removePipeline(actor: AuditActor, key: string, version: number, check: (current: Pipeline) => void = () => {}): Promise<void> {
  await writePipelines(actor, (pipelines) => {
    const current = atVersion(pipelines, key, version);
    if (pipelines.length === 1) throw new FieldValidationError([{ path: 'key', message: 'is the tenant\'s only pipeline: a tenant has at least one', value: key }]);
    check(current);
    return { remove: key, expected: version, event: { action: 'pipeline.delete', target: `pipeline:${key}`, details: { version } } };
  });
}

function atVersion(pipelines: readonly Pipeline[], key: string, version: number): Pipeline {
  const current = pipelines.find((p) => p.key === key);
  if (!current) throw new TenantItemNotFoundError('pipeline', key);
  if (current.version !== version) throw new TenantItemConflictError(version, current);
  return current;
}

function strip({ pk: _pk, sk: _sk, ...item }: Item): Pipeline {
  return item as Pipeline;
}
