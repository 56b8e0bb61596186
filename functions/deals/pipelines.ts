/**
 * The tenant's deal pipelines as stored (`T#<tenant>#PIPELINES`): one item per pipeline (sort key
 * its key) and their set (`#SET`: the keys in order, and a version that every write of a pipeline
 * moves). A tenant that never saved one has DEFAULT_PIPELINE at version 0; its first write keeps
 * the seed as it is (version 0) beside what it writes, so the seed's keys stay what old deals hold.
 *
 * Every write is one transaction of the set (conditional on its version), the pipeline's item and
 * the audit entry: two administrators' writes never interleave (one is tried again on the new
 * set, or refused with the pipeline as it is now), and the count (1..MAX_PIPELINES) holds under
 * concurrent creations. What may be written (processes, fields, deals in a dropped stage) is
 * pipelines/pipeline-admin.ts's to check; this module only stores.
 */
import { DEFAULT_PIPELINE, MAX_PIPELINES, type Pipeline, type PipelineFields } from '../contracts/deal-stages.ts';
import { auditPut, type AuditActor, type AuditEvent } from '../audit/audit-log.ts';
import { cancellationCodes, queryAll, tableName, transactWriteItems, type Item, type TransactItem } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { TenantItemConflictError, TenantItemExistsError, TenantItemNotFoundError } from '../tenant-items/tenant-items.ts';

/** The set's sort key: `#` sorts before any pipeline key (they begin with a letter). */
const SET_SK = '#SET';

/** The tenant's pipelines as stored, with the set's version (0: never written). */
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

/** A write of the pipelines: the set after it, the pipeline to put (or delete), and its audit event. */
interface PipelineWrite {
  keys: string[];
  put?: Pipeline;
  remove?: string;
  event: AuditEvent;
}

/**
 * Writes what `decide` makes of the pipelines as they are, in one transaction conditional on the
 * set's version; when another write came first, `decide` runs again on what is there now (and may
 * refuse). A tenant's first write also stores the seed (at its version 0) unless it is the seed
 * that is written.
 */
async function writePipelines(actor: AuditActor, decide: (stored: Stored) => PipelineWrite): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const stored = await readStored(actor.tenant);
    const write = decide(stored);
    const pk = ITEM_KINDS.pipelines.pk(actor.tenant);
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName(),
          Item: { pk, sk: SET_SK, keys: write.keys, version: stored.setVersion + 1 },
          ...(stored.setVersion === 0 ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'version = :seen', ExpressionAttributeValues: { ':seen': stored.setVersion } }),
        },
      },
      ...(write.put ? [{ Put: { TableName: tableName(), Item: { ...write.put, pk, sk: write.put.key } } }] : []),
      ...(write.remove ? [{ Delete: { TableName: tableName(), Key: { pk, sk: write.remove } } }] : []),
      ...(stored.setVersion === 0 && write.put?.key !== DEFAULT_PIPELINE.key && write.remove !== DEFAULT_PIPELINE.key
        ? [{ Put: { TableName: tableName(), Item: { ...DEFAULT_PIPELINE, pk, sk: DEFAULT_PIPELINE.key } } }]
        : []),
      auditPut(actor, write.event),
    ];
    try {
      await transactWriteItems(items);
      return;
    } catch (err) {
      const codes = cancellationCodes(err);
      // Another write of the tenant's pipelines came first (or ran at once): decide again on what is there now.
      if (!codes || attempt >= WRITE_ATTEMPTS || !(codes[0] === 'ConditionalCheckFailed' || codes.includes('TransactionConflict'))) throw err;
    }
  }
}

/** How often a write is decided again when others of the tenant's pipelines came first. */
const WRITE_ATTEMPTS = 5;

/** Adds a pipeline (version 1) after the others; refused when its key is taken or the tenant has MAX_PIPELINES. */
export async function createPipeline(actor: AuditActor, fields: PipelineFields): Promise<Pipeline> {
  const pipeline: Pipeline = { ...fields, version: 1, updatedAt: new Date().toISOString(), updatedBy: actor.sub };
  await writePipelines(actor, ({ pipelines }) => {
    if (pipelines.some((p) => p.key === fields.key)) throw new TenantItemExistsError('pipeline', fields.key);
    if (pipelines.length >= MAX_PIPELINES) throw new FieldValidationError([{ path: 'key', message: `cannot be added: the tenant has ${pipelines.length} pipelines, at most ${MAX_PIPELINES}` }]);
    return { keys: [...pipelines.map((p) => p.key), fields.key], put: pipeline, event: { action: 'pipeline.create', target: `pipeline:${fields.key}`, details: { version: 1 } } };
  });
  return pipeline;
}

/**
 * Replaces the pipeline over the version the administrator saw (409 with the pipeline as it is
 * otherwise); `check` sees the pipeline as it is and may refuse (a dropped stage in use).
 */
export async function replacePipeline(actor: AuditActor, key: string, version: number, fields: PipelineFields, check: (current: Pipeline) => void = () => {}): Promise<Pipeline> {
  let next: Pipeline | undefined;
  await writePipelines(actor, ({ pipelines }) => {
    const current = atVersion(pipelines, key, version);
    check(current);
    next = { ...fields, version: version + 1, updatedAt: new Date().toISOString(), updatedBy: actor.sub };
    return { keys: pipelines.map((p) => p.key), put: next, event: { action: 'pipeline.change', target: `pipeline:${key}`, details: { version: next.version } } };
  });
  return next!;
}

/** Deletes the pipeline at the version seen; never the tenant's last one. `check` may refuse (deals in it). */
export async function removePipeline(actor: AuditActor, key: string, version: number, check: (current: Pipeline) => void = () => {}): Promise<void> {
  await writePipelines(actor, ({ pipelines }) => {
    const current = atVersion(pipelines, key, version);
    if (pipelines.length === 1) throw new FieldValidationError([{ path: 'key', message: 'is the tenant\'s only pipeline: a tenant has at least one', value: key }]);
    check(current);
    return { keys: pipelines.filter((p) => p.key !== key).map((p) => p.key), remove: key, event: { action: 'pipeline.delete', target: `pipeline:${key}`, details: { version } } };
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
