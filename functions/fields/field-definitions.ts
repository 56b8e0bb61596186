/**
 * Custom field definitions: one item per field in the tenant's definitions partition of a
 * record type. Versioned like records (every change conditional on the version the client
 * saw). Deleting is soft: the definition is marked and expires by TTL after 30 days; until
 * then a restore brings it, and with it the values the records still hold, back. Once the TTL
 * has removed it, the stream consumer purges its values from the records (purges/field-purge.ts).
 */
import { FIELD_KEY, type CreateFieldBody, type FieldDefinition, type PatchFieldBody } from '../contracts/fields.ts';
import type { Actor } from '../access/actor.ts';
import { NotInTrashError } from '../errors/not-in-trash-error.ts';
import { callStore, conditionFailed, getItem, putItem, queryAll } from '../store/commands.ts';
import { ITEM_KINDS, parseTypePartition } from '../store/item-kinds.ts';
import { StoreError } from '../store/store-error.ts';
import type { RecordTypeInfo } from '../contracts/record-type.ts';
import { RECORD_TYPE_INFOS } from '../contracts/record-types.ts';
import { purgeAfter } from '../contracts/trash-period.ts';
import { keyRetired } from './retired-keys.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';

export class FieldNotFoundError extends DomainError {
  readonly code = 'NotFound';

  constructor(readonly type: string, readonly key: string) {
    super(`${type.toLowerCase()} has no field ${key}`);
    this.name = 'FieldNotFoundError';
  }
}

export class FieldConflictError extends DomainError {
  readonly code = 'VersionConflict';

  constructor(readonly expectedVersion: number, readonly current: FieldDefinition) {
    super(`the field is at version ${current.version}, not ${expectedVersion}: reload and apply the change again`);
    this.name = 'FieldConflictError';
  }

  details(): ErrorDetails {
    return { current: this.current };
  }
}

/** A definition that cannot be made, e.g. a relation to a type that does not exist. */
export class FieldDefinitionError extends DomainError {
  readonly code = 'ValidationFailed';

  constructor(readonly path: string, message: string) {
    super(message);
    this.name = 'FieldDefinitionError';
  }

  details(): ErrorDetails {
    return { issues: [{ path: this.path, message: this.message }] };
  }
}

const definitionsPk = (tenant: string, type: string) => ITEM_KINDS.fields.pk(tenant, type);

/** The tenant of a field definition item's key, if it is one (as the stream sees it). */
export function parseDefinitionPk(pk: string): { tenant: string; type: string } | undefined {
  return parseTypePartition(ITEM_KINDS.fields, pk);
}

/** The type's field definitions, live ones (or those in the trash), in key order. Read consistently: a field just added validates at once. */
export async function fieldDefinitions(tenant: string, type: RecordTypeInfo, options: { deleted?: boolean } = {}): Promise<FieldDefinition[]> {
  // Every page: definitions with long option lists can pass Query's 1 MB.
  const items = await queryAll('read field definitions', { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': definitionsPk(tenant, type.key) }, ConsistentRead: true });
  return items.map(toDefinition).filter((definition) => Boolean(definition.deletedAt) === Boolean(options.deleted));
}

export async function createField(actor: Actor, type: RecordTypeInfo, body: CreateFieldBody): Promise<FieldDefinition> {
  const target = body.target === undefined ? undefined : RECORD_TYPE_INFOS.find((info) => info.name === body.target)?.key;
  if (body.target !== undefined && !target) throw new FieldDefinitionError('target', `there is no record type ${body.target}`);
  const at = new Date().toISOString();
  const base = keyFor(body.label);
  // The key is fixed for the field's life; a label already taken (maybe by a deleted field, or one
  // whose values were purged) gets a suffix.
  for (let attempt = 1; attempt <= 20; attempt++) {
    const key = attempt === 1 ? base : `${base.slice(0, 56)}_${attempt}`;
    const definition: FieldDefinition = {
      ...body,
      target,
      key,
      recordType: type.key,
      version: 1,
      createdAt: at,
      createdBy: actor.sub,
      updatedAt: at,
      updatedBy: actor.sub,
    };
    if (await keyRetired(actor.tenant, type.key, key)) continue;
    if (await put(actor.tenant, definition, 'attribute_not_exists(pk)')) return definition;
  }
  throw new FieldDefinitionError('label', 'too many fields share this label; choose another');
}

export async function changeField(actor: Actor, type: RecordTypeInfo, key: string, body: PatchFieldBody): Promise<FieldDefinition> {
  const current = await liveField(actor.tenant, type, key);
  const { version, ...change } = body;
  return save(actor, current, version, { ...current, ...change });
}

export async function deleteField(actor: Actor, type: RecordTypeInfo, key: string, version: number): Promise<void> {
  const current = await liveField(actor.tenant, type, key);
  const at = new Date();
  await save(actor, current, version, { ...current, deletedAt: at.toISOString(), purgeAt: purgeAfter(at).toISOString() });
}

export async function restoreField(actor: Actor, type: RecordTypeInfo, key: string): Promise<FieldDefinition> {
  const current = await readField(actor.tenant, type.key, key);
  if (!current) throw new FieldNotFoundError(type.key, key);
  if (!current.deletedAt) throw new NotInTrashError(`field ${key}`);
  const { deletedAt, purgeAt, ...restored } = current;
  return save(actor, current, current.version, restored);
}

async function liveField(tenant: string, type: RecordTypeInfo, key: string): Promise<FieldDefinition> {
  const current = await readField(tenant, type.key, key);
  if (!current || current.deletedAt) throw new FieldNotFoundError(type.key, key);
  return current;
}

async function readField(tenant: string, type: string, key: string): Promise<FieldDefinition | undefined> {
  // No field has such a key, and one longer than a sort key may be would fail the read itself.
  if (!FIELD_KEY.test(key)) return undefined;
  const result = await callStore('read field definition', () => getItem({ Key: { pk: definitionsPk(tenant, type), sk: key }, ConsistentRead: true }));
  return result.Item ? toDefinition(result.Item) : undefined;
}

async function save(actor: Actor, current: FieldDefinition, expectedVersion: number, next: FieldDefinition): Promise<FieldDefinition> {
  if (current.version !== expectedVersion) throw new FieldConflictError(expectedVersion, current);
  const saved = { ...next, version: current.version + 1, updatedAt: new Date().toISOString(), updatedBy: actor.sub };
  if (await put(actor.tenant, saved, 'version = :expected', { ':expected': expectedVersion })) return saved;
  const now = await readField(actor.tenant, current.recordType, current.key);
  if (!now) throw new FieldNotFoundError(current.recordType, current.key);
  throw new FieldConflictError(expectedVersion, now);
}

/** Puts the definition if the condition holds; false when it does not. */
async function put(tenant: string, definition: FieldDefinition, condition: string, values?: Record<string, unknown>): Promise<boolean> {
  try {
    await putItem({
      Item: {
        ...definition,
        pk: definitionsPk(tenant, definition.recordType),
        sk: definition.key,
        expiresAt: definition.purgeAt ? Math.floor(Date.parse(definition.purgeAt) / 1000) : undefined,
      },
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
    });
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw new StoreError(`could not write field ${definition.key}`, { cause: err });
  }
}

/** `Customer tier` -> `cf_customer_tier`: readable in exports and bulk requests, and never changed by a rename. */
function keyFor(label: string): string {
  const slug = label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 50);
  return `cf_${slug || 'field'}`;
}

function toDefinition({ pk, sk, expiresAt, ...definition }: Record<string, unknown>): FieldDefinition {
  return definition as FieldDefinition;
}
