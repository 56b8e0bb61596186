/**
 * Stage histories written in the past: an imported history's moves carry their own, earlier
 * times, and an import removes the move of a deal's creation it replaces. The reports' log of
 * moves (stage-move-log.ts) catches up by time, from just before its previous catch-up, so it
 * would never see those. The table's stream hands every move written or removed here; one
 * removed, or imported with a time more than the log's margin before it was written, marks its
 * deal (`T#<tenant>#MOVEREWRITES`, sort key the time of the mark, then the deal), and each
 * catch-up of the log reads the marks since its previous one and reads those deals' moves again.
 * Marks expire after a day: a log not caught up for that long is loaded afresh anyway.
 *
 * A mark is written when the stream gets to the move, so an imported history shows in the
 * reports a moment after the import, not in the import's own answer.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { stageMoveOf } from '../deals/stage-moves.ts';
import { callStore, putItem, queryAll } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { itemOfImage } from '../store/stream-images.ts';
import { MARGIN_MS } from '../views/type-snapshot.ts';

const EXPIRES_AFTER_S = 24 * 3600;

/** The stream consumer's step: marks the deal of a move removed, or written in the past. */
export async function historyRewriteStep(record: DynamoDBRecord, now = Date.now()): Promise<void> {
  const image = record.eventName === 'REMOVE' ? record.dynamodb?.OldImage : record.eventName === 'INSERT' ? record.dynamodb?.NewImage : undefined;
  if (!image) return;
  const item = itemOfImage(image);
  const move = stageMoveOf(item);
  const written = (record.dynamodb?.ApproximateCreationDateTime ?? now / 1000) * 1000;
  // Only an import writes moves of its own times; any other writer stamps its moves as it writes them.
  if (record.eventName === 'INSERT' && (move.source !== 'import' || Date.parse(move.at) >= written - MARGIN_MS)) return;
  // Keyed by when it is marked, so a log catching up from its margin finds it; a record delivered again marks the deal again (read twice, no harm).
  await callStore('mark a rewritten stage history', () =>
    putItem({ Item: { pk: ITEM_KINDS.historyRewrites.pk(item.tenant as string), sk: `${new Date(now).toISOString()}#${move.deal}`, deal: move.deal, expiresAt: Math.floor(now / 1000) + EXPIRES_AFTER_S } }),
  );
}

/** The deals marked at or after `since` (an ISO time). */
export async function rewrittenDeals(tenant: string, since: string): Promise<Set<string>> {
  const items = await queryAll('read rewritten stage histories', { KeyConditionExpression: 'pk = :pk AND sk >= :since', ExpressionAttributeValues: { ':pk': ITEM_KINDS.historyRewrites.pk(tenant), ':since': since }, ProjectionExpression: 'deal' });
  return new Set(items.map((item) => item.deal as string));
}
