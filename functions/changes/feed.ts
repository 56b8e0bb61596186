/**
 * The per-tenant change feed: one short-lived item per change of a record, written by the
 * stream handler and polled by grids to stay current without re-reading everything.
 *
 * Entries sort by the stream's approximate creation time, then by sequence number, and are
 * keyed by them, so a redelivered stream record lands on the same item (idempotent). The time
 * is approximate: a poller should re-read a little behind its cursor if it must see every entry
 * (see functions/README.md).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { conditionFailed, putItem, queryItems } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import type { Actor } from '../access/actor.ts';
import type { InstanceHolders, ProcessPermissions } from '../access/process-access.ts';
import { seesAnyOf } from '../access/record-scope.ts';

/** How long entries live; a grid away longer reloads instead. */
export const FEED_TTL_SECONDS = 24 * 60 * 60;

export interface ChangeEntry {
  cursor: string;
  type: string;
  id: string;
  change: 'created' | 'updated' | 'deleted';
  /** The record's version after the change (for a delete, the last version it had). */
  version: number;
  at: string;
  /** The record's owner, so the feed can keep to each caller's scope. */
  owner?: string;
  /** The owner before, when the change handed the record to someone else. */
  previousOwner?: string;
  /** Whom the record is assigned to (its type's assignee fields): in their scope too. */
  assignees?: string[];
  /** Whom it was assigned to before and is no longer, when the change took it from them. */
  previousAssignees?: string[];
  /**
   * Who sees the entry of an item that is no record (a human task, a notification), instead of a
   * record scope: these users, the members of these teams, and administrators (unless
   * `administrators: false`). Never answered to a caller.
   */
  audience?: FeedAudience;
  /** A process instance's entry: the record it works on (answered, for a card to know it is its own). */
  subject?: { type: string; id: string };
  /** And who holds it, for the role's process scope and the subject's record scope. Never answered to a caller. */
  instance?: InstanceHolders & {
    /** The subject's record type (its key), and its owner and assignees as the entry was written. */
    subjectType: string;
    holders: string[];
  };
}

export interface FeedAudience {
  users: string[];
  teams: string[];
  /** False: administrators are not told either (a user's own notifications). */
  administrators?: boolean;
  /** Every member of the tenant (what everyone reads: its pipelines). */
  everyone?: boolean;
}

/** Who reads the feed: their record scope, their process scope, and for other items their teams and whether they administer. */
export interface FeedReader extends Actor {
  teams: readonly string[];
  role?: { administer?: boolean };
  processes?: Pick<ProcessPermissions, 'seesInstance'>;
}

/** A cursor before every entry (a key condition value may not be empty). */
export const FEED_START = '0';

export const feedPk = (tenant: string) => ITEM_KINDS.changes.pk(tenant);

/** The feed position of a stream record: its time, then its sequence number (fixed width). */
export function feedCursor(approximateCreationSeconds: number, sequenceNumber: string): string {
  const at = new Date(Math.floor(approximateCreationSeconds) * 1000).toISOString();
  return `${at}#${sequenceNumber.padStart(40, '0')}`;
}

/** The change a stream record's event is. */
export const STREAM_CHANGE = { INSERT: 'created', MODIFY: 'updated', REMOVE: 'deleted' } as const satisfies Record<string, ChangeEntry['change']>;

/** Where a stream record's entry goes in the feed (its cursor), and when the change was made. */
export function feedPlace(record: DynamoDBRecord): Pick<ChangeEntry, 'cursor' | 'at'> {
  const seconds = record.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000;
  return { cursor: feedCursor(seconds, record.dynamodb?.SequenceNumber ?? record.eventID ?? '0'), at: new Date(Math.floor(seconds) * 1000).toISOString() };
}

/** Writes an entry once; a redelivery finds it there and leaves it (and the stream) untouched. */
export async function recordChange(tenant: string, entry: ChangeEntry): Promise<void> {
  const { cursor, ...rest } = entry;
  try {
    await putItem({
      Item: { pk: feedPk(tenant), sk: cursor, ...rest, expiresAt: Math.floor(Date.parse(entry.at) / 1000) + FEED_TTL_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  } catch (err) {
    if (!conditionFailed(err)) throw err;
  }
}

/**
 * Entries after `after`, oldest first, of records in the actor's scope (held by their owner or
 * an assignee the actor's scope names, access/record-scope.ts). Without `after`, no entries but
 * the cursor of the newest one: where a grid that has just loaded starts to watch. An entry of a
 * type the actor's role cannot read, or of a record outside their scope, is left out, but the
 * cursor moves past it, so a poller never asks for it again. A record handed or reassigned out
 * of their scope is reported to them once more (by `previousOwner`, `previousAssignees`), so
 * their grid drops it. An entry of another item (a task, a notification) goes to its `audience`
 * only; an instance's to whoever sees the instance.
 */
export async function changesAfter(actor: FeedReader, after: string | undefined, limit: number): Promise<{ items: ChangeEntry[]; cursor: string; more: boolean }> {
  const { items, cursor, more } = await entriesAfter(actor.tenant, after, limit);
  const seen = ({ audience, instance, ...entry }: ChangeEntry) =>
    audience ? inAudience(actor, audience)
    : instance ? seesInstance(actor, instance)
    : seesAnyOf(actor, entry.type, [entry.owner, ...(entry.assignees ?? []), entry.previousOwner, ...(entry.previousAssignees ?? [])]);
  return { items: items.filter(seen).map(({ audience: _audience, instance: _instance, ...entry }) => entry), cursor, more };
}

const inAudience = (reader: FeedReader, { users, teams, administrators = true, everyone = false }: FeedAudience) =>
  everyone || (administrators && Boolean(reader.role?.administer)) || users.includes(reader.sub) || teams.some((team) => reader.teams.includes(team));

/** An instance is seen as its lists show it (processes/instances.ts): by the role's process scope, and the subject's record scope on top. */
const seesInstance = (reader: FeedReader, { subjectType, holders, ...held }: NonNullable<ChangeEntry['instance']>) =>
  Boolean(reader.processes?.seesInstance(held)) && seesAnyOf(reader, subjectType, holders);

async function entriesAfter(tenant: string, after: string | undefined, limit: number): Promise<{ items: ChangeEntry[]; cursor: string; more: boolean }> {
  if (after === undefined) {
    const newest = await queryItems({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': feedPk(tenant) },
      ScanIndexForward: false,
      Limit: 1,
    });
    return { items: [], cursor: (newest.Items?.[0]?.sk as string | undefined) ?? FEED_START, more: false };
  }
  const result = await queryItems({
    KeyConditionExpression: 'pk = :pk AND sk > :after',
    ExpressionAttributeValues: { ':pk': feedPk(tenant), ':after': after },
    Limit: limit,
  });
  const items = (result.Items ?? []).map(({ pk, sk, expiresAt, ...entry }) => ({ cursor: sk, ...entry }) as ChangeEntry);
  // DynamoDB names a last key when the Limit cut the page (possibly at the very last entry).
  return { items, cursor: items.at(-1)?.cursor ?? after, more: result.LastEvaluatedKey !== undefined };
}
