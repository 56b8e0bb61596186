/**
 * Saved grid views: one item per view in the tenant's views partition of a record type,
 * versioned like records. A view is its owner's; a shared one is visible to the whole tenant
 * but still changed only by its owner (to anyone else it is read-only, and a private view of
 * someone else does not exist).
 */
import { ulid } from 'ulid';
import type { View, ViewFields } from '../contracts/views.ts';
import { callStore, conditionFailed, deleteItem, getItem, putItem, queryAll } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { FieldValidationError, type FieldIssue } from '../errors/field-validation-error.ts';
import { isMeta } from '../records/repository.ts';
import type { Actor } from '../access/actor.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';

export class ViewNotFoundError extends DomainError {
  readonly code = 'NotFound';

  constructor(readonly id: string) {
    super(`no view ${id}`);
    this.name = 'ViewNotFoundError';
  }
}

export class ViewConflictError extends DomainError {
  readonly code = 'VersionConflict';

  constructor(readonly expectedVersion: number, readonly current: View) {
    super(`the view is at version ${current.version}, not ${expectedVersion}: reload and apply the change again`);
    this.name = 'ViewConflictError';
  }

  details(): ErrorDetails {
    return { current: this.current };
  }
}

const viewsPk = (tenant: string, type: string) => ITEM_KINDS.views.pk(tenant, type);

/** The views the caller sees: their own and the shared ones (every page: a large tenant's views of a type pass 1 MB). */
export async function visibleViews(actor: Actor, type: string): Promise<View[]> {
  const items = await queryAll('read views', { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': viewsPk(actor.tenant, type) } });
  return items.map(toView).filter((view) => view.shared || view.owner === actor.sub);
}

export async function visibleView(actor: Actor, type: string, id: string): Promise<View> {
  const view = await readView(actor.tenant, type, id);
  if (!view || !(view.shared || view.owner === actor.sub)) throw new ViewNotFoundError(id);
  return view;
}

async function readView(tenant: string, type: string, id: string): Promise<View | undefined> {
  const result = await callStore('read view', () => getItem({ Key: { pk: viewsPk(tenant, type), sk: id }, ConsistentRead: true }));
  return result.Item && toView(result.Item);
}

export async function createView(actor: Actor, schema: RecordSchema, fields: ViewFields): Promise<View> {
  assertFieldsExist(schema, fields);
  const at = new Date().toISOString();
  const view: View = { ...fields, id: ulid(), recordType: schema.type.key, owner: actor.sub, version: 1, createdAt: at, updatedAt: at };
  await put(actor.tenant, view, 'attribute_not_exists(pk)');
  return view;
}

export async function changeView(actor: Actor, schema: RecordSchema, id: string, version: number, fields: Partial<ViewFields>): Promise<View> {
  const current = await ownView(actor, schema.type.key, id, version);
  const next: View = { ...current, ...fields, version: current.version + 1, updatedAt: new Date().toISOString() };
  assertFieldsExist(schema, next);
  await put(actor.tenant, next, 'version = :expected', { ':expected': version });
  return next;
}

export async function deleteView(actor: Actor, type: string, id: string, version: number): Promise<void> {
  await ownView(actor, type, id, version);
  await write(actor.tenant, type, id, version, () =>
    deleteItem({ Key: { pk: viewsPk(actor.tenant, type), sk: id }, ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': version } }),
  );
}

async function ownView(actor: Actor, type: string, id: string, version: number): Promise<View> {
  const current = await visibleView(actor, type, id);
  if (current.owner !== actor.sub) throw new ViewNotFoundError(id);
  if (current.version !== version) throw new ViewConflictError(version, current);
  return current;
}

async function put(tenant: string, view: View, condition: string, values?: Record<string, unknown>): Promise<void> {
  await write(tenant, view.recordType, view.id, view.version - 1, () =>
    putItem({ Item: { ...view, pk: viewsPk(tenant, view.recordType), sk: view.id }, ConditionExpression: condition, ExpressionAttributeValues: values }),
  );
}

/** A write whose condition failed lost to another writer: the caller gets the view as it is now. */
async function write(tenant: string, type: string, id: string, expectedVersion: number, send: () => Promise<unknown>): Promise<void> {
  try {
    await callStore('write view', send);
  } catch (err) {
    if (conditionFailed(err)) {
      const now = await readView(tenant, type, id);
      if (!now) throw new ViewNotFoundError(id);
      throw new ViewConflictError(expectedVersion, now);
    }
    throw err;
  }
}

/** Every field a view names must be one of the type's (its custom fields and record metadata included). */
export function assertFieldsExist(schema: RecordSchema, view: Partial<ViewFields>): void {
  const known = (field: string) => Object.hasOwn(schema.fields.shape, field) || isMeta(field);
  const named: Array<[string, string]> = [
    ...(view.columns ?? []).map((field, i): [string, string] => [`columns.${i}`, field]),
    ...(view.filters ?? []).map((filter, i): [string, string] => [`filters.${i}.field`, filter.field]),
    ...(view.sort ?? []).map((sort, i): [string, string] => [`sort.${i}.field`, sort.field]),
    ...(view.groupBy ? [['groupBy', view.groupBy] as [string, string]] : []),
    ...Object.keys(view.widths ?? {}).map((field): [string, string] => [`widths.${field}`, field]),
    ...(view.pinned ?? []).map((field, i): [string, string] => [`pinned.${i}`, field]),
  ];
  const issues: FieldIssue[] = named.filter(([, field]) => !known(field)).map(([path, field]) => ({ path, message: `${schema.type.name} has no field ${field}`, value: field }));
  if (issues.length > 0) throw new FieldValidationError(issues);
}

function toView({ pk, sk, ...view }: Record<string, unknown>): View {
  return view as View;
}
