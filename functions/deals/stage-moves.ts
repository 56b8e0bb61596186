/**
 * Stage moves as items (`T#<tenant>#STAGEMOVES` / `<at>#<deal>#<dealVersion, 10 digits>`): one
 * partition per tenant in time order, so a report reads a period as one key range, oldest first;
 * and a deal's own on gsi1 (`T#<tenant>#STAGEMOVES#<deal>`, same sort key), for its timeline.
 * A move is put in the transaction of the deal's change that made it (deal-stage.ts plans it),
 * on the condition that it is new: a move never overwrites another.
 */
import type { StageMove, StageMovePage } from '../contracts/stage-moves.ts';
import { callStore, queryAll, queryItems, tableName, type Item, type TransactItem } from '../store/commands.ts';
import { ITEM_KINDS, parsePartitionKey } from '../store/item-kinds.ts';

/** A move's sort key: its time, its deal and the deal's version it made (unique per move: one change of a deal moves it at most once). */
export const stageMoveSk = (move: Pick<StageMove, 'at' | 'deal' | 'dealVersion'>) => `${move.at}#${move.deal}#${String(move.dealVersion).padStart(10, '0')}`;

/** The write of a move, for the deal's transaction. */
export function stageMovePut(tenant: string, move: StageMove): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { pk: ITEM_KINDS.stageMoves.pk(tenant), sk: stageMoveSk(move), gsi1pk: ITEM_KINDS.stageMoves.pk(tenant, move.deal), gsi1sk: stageMoveSk(move), tenant, ...move },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** A stage move item (as stored, or a stream image) as its contract. */
export function stageMoveOf({ pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, tenant: _tenant, ...move }: Item): StageMove {
  return move as StageMove;
}

/** The key of a deal's move (to delete the creation's when an imported history replaces it). */
export const stageMoveKey = (tenant: string, move: Pick<StageMove, 'at' | 'deal' | 'dealVersion'>) => ({ pk: ITEM_KINDS.stageMoves.pk(tenant), sk: stageMoveSk(move) });

/** A deal's moves, oldest first (gsi1: eventually consistent in AWS, as a list is), every one. */
export async function dealStageMoves(tenant: string, deal: string): Promise<StageMove[]> {
  const items = await queryAll('read a deal\'s stage moves', { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': ITEM_KINDS.stageMoves.pk(tenant, deal) } });
  return items.map(stageMoveOf);
}

/** A page of a deal's moves, oldest first, after the cursor (the deal card's timeline). */
export const dealStageMovePage = (tenant: string, deal: string, page: { limit: number; after?: string }): Promise<StageMovePage> => stageMovePage(tenant, page, deal);

/**
 * A page of the tenant's moves (or, with `deal`, of that deal's, gsi1), oldest first, after the
 * cursor: a move's sort key, the start key rebuilt with the tenant and deal asked for.
 */
export async function stageMovePage(tenant: string, page: { limit: number; after?: string }, deal?: string): Promise<StageMovePage> {
  const pk = ITEM_KINDS.stageMoves.pk(tenant);
  const gsi1pk = deal === undefined ? undefined : ITEM_KINDS.stageMoves.pk(tenant, deal);
  const result = await callStore('read stage moves', () =>
    queryItems({
      ...(gsi1pk ? { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': gsi1pk } } : { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
      Limit: page.limit,
      ExclusiveStartKey: page.after ? { pk, sk: page.after, ...(gsi1pk ? { gsi1pk, gsi1sk: page.after } : {}) } : undefined,
    }),
  );
  const items = (result.Items ?? []).map(stageMoveOf);
  return { items, ...(result.LastEvaluatedKey && items.length ? { nextCursor: stageMoveSk(items.at(-1)!) } : {}) };
}

/** The tenant of a stage move's partition key; undefined for any other item's. */
export function stageMoveTenant(pk: string, sk: string): string | undefined {
  const key = parsePartitionKey(pk);
  return key?.word === ITEM_KINDS.stageMoves.word && key.parts.length === 0 && sk.includes('#') ? key.tenant : undefined;
}

/**
 * The tenant's stage moves with `from` <= at < `to` (ISO times; a date alone is its midnight UTC),
 * every one, oldest first, a page (up to 1 MB read) at a time. For the reports (analytics).
 */
export async function* queryStageMoves(tenant: string, range: { from?: string; to?: string } = {}): AsyncGenerator<StageMove[]> {
  const from = range.from && instant(range.from);
  const to = range.to && instant(range.to);
  const names: string[] = ['pk = :pk'];
  const values: Record<string, string> = { ':pk': ITEM_KINDS.stageMoves.pk(tenant) };
  // Sort keys begin with the time, and `#` sorts before every character of a time, so `<from>`
  // is before every move at `from` and `<to>` before every move at `to`.
  if (from && to) {
    names.push('sk BETWEEN :from AND :to');
    Object.assign(values, { ':from': from, ':to': to });
  } else if (from) {
    names.push('sk >= :from');
    values[':from'] = from;
  } else if (to) {
    names.push('sk < :to');
    values[':to'] = to;
  }
  let start: Item | undefined;
  do {
    const page = await callStore('read stage moves', () =>
      queryItems({ KeyConditionExpression: names.join(' AND '), ExpressionAttributeValues: values, ExclusiveStartKey: start }),
    );
    // BETWEEN takes `to` itself: a move exactly at `to` would sort after `<to>` (`<to>#...` > `<to>`), so it is never in range.
    const moves = (page.Items ?? []).map(stageMoveOf);
    if (moves.length) yield moves;
    start = page.LastEvaluatedKey;
  } while (start);
}

/** A time as moves store theirs (`toISOString`, milliseconds and `Z`), so that keys compare as times. */
function instant(time: string): string {
  const parsed = new Date(/^\d{4}-\d{2}-\d{2}$/.test(time) ? `${time}T00:00:00Z` : time);
  if (Number.isNaN(parsed.getTime())) throw new RangeError(`not a time: ${time}`);
  return parsed.toISOString();
}
