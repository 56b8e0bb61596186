/**
 * A user's notification preferences: which kinds are e-mailed too (every kind unless turned off).
 * One item in the user's notification partition (`PREFERENCES`), versioned: a change is over the
 * version the user saw (409 with the current ones otherwise).
 */
import type { Principal } from '../access/permissions.ts';
import { NOTIFICATION_KINDS, type NotificationPreferences, type PutNotificationPreferencesBody } from '../contracts/notifications.ts';
import { callStore, conditionFailed, getItem, putItem } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { TenantItemConflictError } from '../tenant-items/tenant-items.ts';

const SK = 'PREFERENCES';
const keyOf = (tenant: string, sub: string) => ({ pk: ITEM_KINDS.notifications.pk(tenant, sub), sk: SK });
const ALL_ON = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, true])) as NotificationPreferences['email'];

export async function preferencesOf(tenant: string, sub: string): Promise<NotificationPreferences> {
  const { Item: item } = await callStore('read notification preferences', () => getItem({ Key: keyOf(tenant, sub), ConsistentRead: true }));
  return { email: { ...ALL_ON, ...(item?.email as NotificationPreferences['email'] | undefined) }, version: (item?.version as number | undefined) ?? 0 };
}

/** Changes the caller's preferences (the kinds named; the others keep theirs) over the version they saw. */
export async function changePreferences(principal: Principal, body: PutNotificationPreferencesBody): Promise<NotificationPreferences> {
  const current = await preferencesOf(principal.tenant, principal.sub);
  if (current.version !== body.version) throw new TenantItemConflictError(body.version, current);
  const next: NotificationPreferences = { email: { ...current.email, ...body.email }, version: body.version + 1 };
  try {
    await callStore('change notification preferences', () =>
      putItem({
        Item: { ...keyOf(principal.tenant, principal.sub), ...next },
        ConditionExpression: body.version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
        ...(body.version === 0 ? {} : { ExpressionAttributeValues: { ':version': body.version } }),
      }),
    );
  } catch (err) {
    if (conditionFailed(err)) throw new TenantItemConflictError(body.version, await preferencesOf(principal.tenant, principal.sub));
    throw err;
  }
  return next;
}
