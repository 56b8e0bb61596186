/**
 * A change of the tenant's pipelines in the change feed (changes/feed.ts), from the table's
 * stream: the boards, grids and cards open in every member's tabs read the pipelines again when
 * an administrator added, changed or removed one, instead of offering stages that are no more
 * until the page is reloaded. Everyone in the tenant hears of it (everyone reads the pipelines).
 * One entry per pipeline item written (the set of keys, `#SET`, is no pipeline: a pipeline added
 * or removed writes its own item too). Keyed by the stream record, as every feed entry, so a
 * redelivery writes nothing twice. A stream consumer (stream/consumers.ts).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { PIPELINE_FEED_TYPE } from '../contracts/deal-stages.ts';
import { feedPlace, recordChange, STREAM_CHANGE } from '../changes/feed.ts';
import { ITEM_KINDS, parsePartitionKey } from '../store/item-kinds.ts';
import { SET_SK } from './pipelines.ts';

/** The tenant of a pipeline's item (not the set's); undefined for any other item. */
export function pipelineItemTenant({ pk, sk }: { pk: string; sk: string }): string | undefined {
  const key = parsePartitionKey(pk);
  return key?.word === ITEM_KINDS.pipelines.word && key.parts.length === 0 && sk !== SET_SK ? key.tenant : undefined;
}

export async function pipelineFeedEntryFor(record: DynamoDBRecord): Promise<void> {
  const keys = { pk: record.dynamodb?.Keys?.pk?.S ?? '', sk: record.dynamodb?.Keys?.sk?.S ?? '' };
  const tenant = pipelineItemTenant(keys);
  const change = record.eventName && STREAM_CHANGE[record.eventName];
  if (!tenant || !change) return;
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  await recordChange(tenant, {
    ...feedPlace(record),
    type: PIPELINE_FEED_TYPE,
    id: keys.sk,
    change,
    version: Number(image?.version?.N ?? 0),
    audience: { users: [], teams: [], everyone: true },
  });
}
