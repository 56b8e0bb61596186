/**
 * The tenant's administrative items of one kind (users, teams, custom roles): one partition per
 * kind (`T#<tenant>#<KIND>`), one item per id, versioned like records. Every write is
 * conditional (on absence for a creation, on the version the administrator saw for a change)
 * and goes in one transaction with its audit entry, so nothing is overwritten unseen and no
 * administrative change is missing from the log.
 */
import { callStore, cancellationCodes, getItem, queryAll, tableName, transactRetryingConflicts, type TransactItem } from '../store/commands.ts';
import type { ItemKind } from '../store/item-kinds.ts';
import { auditPut, type AuditActor, type AuditEvent } from '../audit/audit-log.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';

export class TenantItemNotFoundError extends DomainError {
  readonly code = 'NotFound';

  constructor(readonly kind: string, readonly id: string) {
    super(`no ${kind} ${id}`);
    this.name = 'TenantItemNotFoundError';
  }
}

export class TenantItemExistsError extends DomainError {
  readonly code = 'AlreadyExists';

  constructor(readonly kind: string, readonly id: string) {
    super(`${kind} ${id} exists already`);
    this.name = 'TenantItemExistsError';
  }
}

export class TenantItemConflictError extends DomainError {
  readonly code = 'VersionConflict';

  constructor(readonly expectedVersion: number, readonly current: unknown) {
    super(`it is at another version than ${expectedVersion}: reload and apply the change again`);
    this.name = 'TenantItemConflictError';
  }

  details(): ErrorDetails {
    return { current: this.current };
  }
}

export interface Versioned {
  version: number;
}

export interface TenantItemsOptions {
  /** Written in the transaction of every change of an item: the directory's version, for users and roles (directory-version.ts). */
  alongEveryWrite?: (tenant: string) => TransactItem;
}

export class TenantItems<T extends Versioned> {
  constructor(
    /** Singular, lower case: how errors and audit targets name it. */
    readonly kind: string,
    /** Its partition, one per tenant (store/item-kinds.ts). */
    private readonly items: ItemKind<[]>,
    private readonly keyOf: (item: T) => string,
    private readonly options: TenantItemsOptions = {},
  ) {}

  private pk = (tenant: string) => this.items.pk(tenant);

  async list(tenant: string): Promise<T[]> {
    const items = await queryAll(`list ${this.kind}s`, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': this.pk(tenant) }, ConsistentRead: true });
    return items.map(strip<T>);
  }

  async find(tenant: string, id: string): Promise<T | undefined> {
    const result = await callStore(`read ${this.kind}`, () => getItem({ Key: { pk: this.pk(tenant), sk: id }, ConsistentRead: true }));
    return result.Item ? strip<T>(result.Item) : undefined;
  }

  async get(tenant: string, id: string): Promise<T> {
    const item = await this.find(tenant, id);
    if (!item) throw new TenantItemNotFoundError(this.kind, id);
    return item;
  }

  /** Creates `item` (version 1) unless its id exists; with `event`, audited in the same transaction. */
  async create(actor: AuditActor, item: T, event?: AuditEvent): Promise<T> {
    const id = this.keyOf(item);
    await this.write(actor, id, 0, [{ Put: { TableName: tableName(), Item: { ...item, pk: this.pk(actor.tenant), sk: id }, ConditionExpression: 'attribute_not_exists(pk)' } }], event);
    return item;
  }

  /** Replaces the item at `expectedVersion` with `next` (whose version is one more). */
  async replace(actor: AuditActor, expectedVersion: number, next: T, event: AuditEvent): Promise<T> {
    const id = this.keyOf(next);
    await this.write(actor, id, expectedVersion, [
      {
        Put: {
          TableName: tableName(),
          Item: { ...next, pk: this.pk(actor.tenant), sk: id },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
    ], event);
    return next;
  }

  async remove(actor: AuditActor, id: string, expectedVersion: number, event: AuditEvent): Promise<void> {
    await this.write(actor, id, expectedVersion, [
      { Delete: { TableName: tableName(), Key: { pk: this.pk(actor.tenant), sk: id }, ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } } },
    ], event);
  }

  /** The item at `version` (or a conflict naming the one there is). */
  async atVersion(tenant: string, id: string, version: number): Promise<T> {
    const current = await this.get(tenant, id);
    if (current.version !== version) throw new TenantItemConflictError(version, current);
    return current;
  }

  private async write(actor: AuditActor, id: string, expectedVersion: number, items: TransactItem[], event?: AuditEvent): Promise<void> {
    const along = this.options.alongEveryWrite?.(actor.tenant);
    try {
      await transactRetryingConflicts([...items, ...(along ? [along] : []), ...(event ? [auditPut(actor, event)] : [])]);
    } catch (err) {
      if (cancellationCodes(err)?.[0] !== 'ConditionalCheckFailed') throw err;
      // The condition failed: someone else wrote first. Say what is there now.
      const current = await this.find(actor.tenant, id);
      if (expectedVersion === 0) throw new TenantItemExistsError(this.kind, id);
      if (!current) throw new TenantItemNotFoundError(this.kind, id);
      throw new TenantItemConflictError(expectedVersion, current);
    }
  }
}

function strip<T>({ pk, sk, ...item }: Record<string, unknown>): T {
  return item as T;
}
