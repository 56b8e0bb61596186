/**
 * A user's notifications: what the bell lists and the e-mail tells. Items of the user's partition
 * `T#<tenant>#NOTICES#<sub>`:
 *   `N#<id>`   a notification; `gsi1` (same partition key, `<createdAt>#<id>`) lists them newest
 *              first; `gsi2` (`NOTICES#<sub>#UNREAD`) holds it while unread, so the unread are
 *              counted and marked without reading the read ones
 *   `KEPT`     how many the user has (`kept`), moved in the transaction of every put and drop
 *   `PREFERENCES`  which kinds are e-mailed too (notification-preferences.ts)
 *
 * At least once in, exactly once kept: a notification's id is derived from what it tells (the
 * task's change, the reminder's time) and is put only where none has that id, so the same change
 * delivered twice by the stream, or a sweep run twice, makes one. A user keeps at most
 * MAX_KEPT_NOTIFICATIONS; a put past it drops the oldest, each drop conditional on the count
 * being over the most still, so droppers at once never drop one too many.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../access/permissions.ts';
import { MAX_KEPT_NOTIFICATIONS, type MarkReadBody, type MarkReadResult, type Notification, type NotificationListQuery, type NotificationPage } from '../contracts/notifications.ts';
import { inParallel } from '../in-parallel.ts';
import { callStore, cancellationCodes, conditionFailed, getItem, queryAll, queryItems, tableName, transactRetryingConflicts, updateItem, type Item } from '../store/commands.ts';
import { ITEM_KINDS, parsePartitionKey } from '../store/item-kinds.ts';
import { StoreError } from '../store/store-error.ts';

const kind = ITEM_KINDS.notifications;
const PREFIX = 'N#';
const KEPT_SK = 'KEPT';
/** How many items are written at once when many are marked read or dropped. */
const WRITES_AT_ONCE = 16;

const userPk = (tenant: string, sub: string) => kind.pk(tenant, sub);
const unreadPk = (tenant: string, sub: string) => kind.pk(tenant, sub, 'UNREAD');
const keyOf = (tenant: string, sub: string, id: string) => ({ pk: userPk(tenant, sub), sk: `${PREFIX}${id}` });
const orderKey = (notification: Pick<Notification, 'createdAt' | 'id'>) => `${notification.createdAt}#${notification.id}`;

/** A notification's id from what it tells: the same parts, the same id. */
export const notificationIdOf = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

/** A notification for one user of a tenant, not yet kept. */
export interface NewNotification {
  tenant: string;
  recipient: string;
  notification: Omit<Notification, 'readAt'>;
}

/** The item that keeps a notification (exported for tests that start from a user who has many). */
export function notificationItem({ tenant, recipient, notification }: NewNotification): Item {
  return {
    ...keyOf(tenant, recipient, notification.id),
    ...notification,
    tenant,
    recipient,
    gsi1pk: userPk(tenant, recipient),
    gsi1sk: orderKey(notification),
    gsi2pk: unreadPk(tenant, recipient),
    gsi2sk: orderKey(notification),
  };
}

function notificationOf(item: Item): Notification {
  const { id, kind: noticeKind, title, process, link, due, createdAt, readAt } = item;
  return { id, kind: noticeKind, title, process, link, due: due ?? null, createdAt, readAt: readAt ?? null } as Notification;
}

/** Whether the keys are a notification's (the stream's consumer that e-mails it). */
export function isNotificationItem({ pk, sk }: { pk: string; sk: string }): boolean {
  return sk.startsWith(PREFIX) && parsePartitionKey(pk)?.word === kind.word;
}

/** The tenant, recipient and notification of a notification's item (as the stream hands it over). */
export function storedNotificationOf(item: Item): { tenant: string; recipient: string; notification: Notification; mailed: boolean } {
  return { tenant: item.tenant as string, recipient: item.recipient as string, notification: notificationOf(item), mailed: item.mailedAt !== undefined };
}

/**
 * Keeps the notification unless one with its id is there already; true when it is new. The
 * user's count moves in the same transaction; past the most kept, the oldest are dropped.
 */
export async function notify(notice: NewNotification): Promise<boolean> {
  const { tenant, recipient } = notice;
  try {
    await transactRetryingConflicts([
      { Put: { TableName: tableName(), Item: notificationItem(notice), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Update: { TableName: tableName(), Key: { pk: userPk(tenant, recipient), sk: KEPT_SK }, UpdateExpression: 'ADD kept :one', ExpressionAttributeValues: { ':one': 1 } } },
    ]);
  } catch (err) {
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return false;
    throw new StoreError('could not keep a notification', { cause: err });
  }
  await dropOldest(tenant, recipient);
  return true;
}

/** Drops the oldest notifications past the most a user keeps (each drop and the count in one transaction, so two droppers never count one twice). */
async function dropOldest(tenant: string, recipient: string): Promise<void> {
  const { Item: counter } = await callStore('read the notification count', () => getItem({ Key: { pk: userPk(tenant, recipient), sk: KEPT_SK }, ConsistentRead: true }));
  const over = ((counter?.kept as number | undefined) ?? 0) - MAX_KEPT_NOTIFICATIONS;
  if (over <= 0) return;
  const { Items: oldest = [] } = await callStore('list the oldest notifications', () =>
    queryItems({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': userPk(tenant, recipient) }, Limit: over, ScanIndexForward: true }),
  );
  await inParallel(oldest, WRITES_AT_ONCE, async (item) => {
    try {
      await transactRetryingConflicts([
        { Delete: { TableName: tableName(), Key: { pk: item.pk, sk: item.sk }, ConditionExpression: 'attribute_exists(pk)' } },
        // Only while still over: droppers at once each see the count from before the others' drops.
        { Update: { TableName: tableName(), Key: { pk: userPk(tenant, recipient), sk: KEPT_SK }, UpdateExpression: 'ADD kept :less', ConditionExpression: 'kept > :most', ExpressionAttributeValues: { ':less': -1, ':most': MAX_KEPT_NOTIFICATIONS } } },
      ]);
    } catch (err) {
      // Another dropper had it, or the count is down to the most already: it is left, and counted once.
      if (!cancellationCodes(err)?.includes('ConditionalCheckFailed')) throw new StoreError('could not drop a notification', { cause: err });
    }
  });
}

/** How many of the user's notifications are unread. */
async function unreadCount(tenant: string, sub: string): Promise<number> {
  let count = 0;
  let after: Record<string, unknown> | undefined;
  do {
    const page = await callStore('count unread notifications', () =>
      queryItems({ IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': unreadPk(tenant, sub) }, Select: 'COUNT', ExclusiveStartKey: after }),
    );
    count += page.Count ?? 0;
    after = page.LastEvaluatedKey;
  } while (after);
  return count;
}

/** One page of the caller's notifications, newest first, and how many are unread. */
export async function listNotifications(principal: Principal, query: NotificationListQuery): Promise<NotificationPage> {
  const limit = query.limit ?? 20;
  const [page, unread] = await Promise.all([
    callStore('list notifications', () =>
      queryItems({
        IndexName: 'gsi1',
        KeyConditionExpression: query.cursor ? 'gsi1pk = :pk AND gsi1sk < :before' : 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': userPk(principal.tenant, principal.sub), ...(query.cursor ? { ':before': query.cursor } : {}) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    ),
    unreadCount(principal.tenant, principal.sub),
  ]);
  const items = (page.Items ?? []).map(notificationOf);
  return { items, unread, ...(page.LastEvaluatedKey && items.length ? { nextCursor: orderKey(items.at(-1)!) } : {}) };
}

/** Marks one of the user's notifications read (it leaves the unread list); false when it was read already or is not theirs. */
async function markOne(tenant: string, sub: string, id: string, at: string): Promise<boolean> {
  try {
    await callStore('mark a notification read', () =>
      updateItem({
        Key: keyOf(tenant, sub, id),
        UpdateExpression: 'SET readAt = :at REMOVE gsi2pk, gsi2sk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(readAt)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

/** Marks the caller's notifications read: these ids, or every unread one. Another user's id marks nothing. */
export async function markRead(principal: Principal, body: MarkReadBody): Promise<MarkReadResult> {
  const { tenant, sub } = principal;
  const at = new Date().toISOString();
  const ids = body.ids
    ? [...new Set(body.ids)]
    : (await queryAll('list unread notifications', { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': unreadPk(tenant, sub) } })).map((item) => item.id as string);
  let marked = 0;
  await inParallel(ids, WRITES_AT_ONCE, async (id) => void ((await markOne(tenant, sub, id, at)) && marked++));
  return { marked, unread: await unreadCount(tenant, sub) };
}

/** Records that the notification was e-mailed (or why not), once: false when that was recorded already. */
export async function recordMailed(tenant: string, recipient: string, id: string, outcome: string): Promise<boolean> {
  try {
    await callStore('record a notification e-mailed', () =>
      updateItem({ Key: keyOf(tenant, recipient, id), UpdateExpression: 'SET mailedAt = :at, mailOutcome = :outcome', ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(mailedAt)', ExpressionAttributeValues: { ':at': new Date().toISOString(), ':outcome': outcome } }),
    );
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw err;
  }
}

/** The notification as it is now (strongly consistent), or undefined once dropped. */
export async function storedNotification(tenant: string, recipient: string, id: string) {
  const { Item: item } = await callStore('read a notification', () => getItem({ Key: keyOf(tenant, recipient, id), ConsistentRead: true }));
  return item && storedNotificationOf(item);
}
