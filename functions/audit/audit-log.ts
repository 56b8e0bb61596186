/**
 * The audit log of a tenant: administrative actions and sign-ins. An administrative change
 * writes its entry in the same transaction as the change itself (auditPut), so no change is
 * ever missing from the log; a sign-in writes one on its own (recordSignIn).
 *
 * One partition per tenant (`T#<tenant>#AUDIT`), sorted by time: the log is read newest first,
 * a page at a time. Volume is low (people and sign-ins, not record edits).
 */
import { ulid } from 'ulid';
import type { AuditEntry } from '../contracts/audit.ts';
import { callStore, putItem, queryItems, tableName, type TransactItem } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';

/** Who acts, as the audit log records them. */
export interface AuditActor {
  tenant: string;
  sub: string;
  email?: string;
  sourceIp?: string;
}

export interface AuditEvent {
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

const auditPk = (tenant: string) => ITEM_KINDS.audit.pk(tenant);

function auditItem(actor: AuditActor, event: AuditEvent, at: string): Record<string, unknown> {
  return {
    pk: auditPk(actor.tenant),
    // Time first for order; a ULID after it keeps two entries of one millisecond apart.
    sk: `${at}#${ulid()}`,
    at,
    actor: actor.sub,
    actorEmail: actor.email,
    sourceIp: actor.sourceIp,
    ...event,
  };
}

/** The audit entry of an administrative change, to write in the change's own transaction. */
export function auditPut(actor: AuditActor, event: AuditEvent, at = new Date().toISOString()): TransactItem {
  return { Put: { TableName: tableName(), Item: auditItem(actor, event, at), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** An entry on its own, for what changes no item of ours: a sign-in, a password reset. */
export async function recordAuditEvent(actor: AuditActor, event: AuditEvent): Promise<void> {
  const item = auditItem(actor, event, new Date().toISOString());
  await callStore('write audit entry', () => putItem({ Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
}

/** Entries newest first; `before` is the cursor of the last entry seen. */
export async function auditEntries(tenant: string, page: { before?: string; limit: number }): Promise<{ items: AuditEntry[]; nextCursor?: string }> {
  const result = await callStore('read audit log', () =>
    queryItems({
      KeyConditionExpression: page.before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': auditPk(tenant), ...(page.before ? { ':before': page.before } : {}) },
      ScanIndexForward: false,
      Limit: page.limit,
    }),
  );
  const items = (result.Items ?? []).map(({ pk, sk, ...entry }) => ({ ...entry, cursor: sk }) as AuditEntry);
  return { items, nextCursor: result.LastEvaluatedKey ? items.at(-1)?.cursor : undefined };
}
