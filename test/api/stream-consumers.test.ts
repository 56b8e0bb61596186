/**
 * Which consumer of the table's stream takes which items (stream/consumers.ts): each takes the
 * changes of its own kind of item, and none takes the feed's own entries or a record's history,
 * so the change feed never feeds itself.
 */
import { describe, expect, it } from 'vitest';
import { STREAM_CONSUMERS } from '../../functions/stream/consumers.ts';
import { feedPk } from '../../functions/changes/feed.ts';

const takers = (pk: string, sk: string) => STREAM_CONSUMERS.filter((consumer) => consumer.takes({ pk, sk })).map((consumer) => consumer.name);

describe('the stream consumers', () => {
  it('each take the changes of their own items', () => {
    expect(takers('T#acme#COMPANY#01J8Y0000000000000000000AA', 'RECORD')).toEqual(['change feed']);
    expect(takers('T#acme#FIELDS#COMPANY', 'cf_region')).toEqual(['field purge']);
    expect(takers('T#acme#FIELDPURGE#COMPANY', 'cf_region')).toEqual(['field purge']);
    expect(takers('T#acme#SNAPSHOT#COMPANY', 'BUILD')).toEqual(['snapshot build']);
    expect(takers('T#acme#TASK#0123456789abcdef0123456789abcdef', 'TASK')).toEqual(['task answers', 'task changes', 'task notices']);
    expect(takers('T#acme#NOTICES#user-1', 'N#0123456789abcdef0123456789abcdef')).toEqual(['notification changes', 'notification mail']);
    expect(takers('T#acme#PROCESS#0123456789abcdef0123456789abcdef', 'INSTANCE')).toEqual(['instance changes']);
    expect(takers('T#acme#PIPELINES', 'renewals')).toEqual(['pipeline changes']);
    expect(takers('T#acme#STAGEMOVES', '2026-12-07T09:00:00.000Z#01J8Y0000000000000000000AA#0000000002')).toEqual(['stage entry', 'stage history rewrites']);
  });

  it('leave the feed itself, history and other items alone', () => {
    expect(takers(feedPk('acme'), '1733400000#900000000000000000001')).toEqual([]);
    expect(takers('T#acme#COMPANY#01J8Y0000000000000000000AA', 'HISTORY#0000000002')).toEqual([]);
    expect(takers('T#acme#SNAPSHOT#COMPANY', 'HEAD')).toEqual([]);
    expect(takers('T#acme#MOVEREWRITES', '2026-12-07T09:00:00.000Z#01J8Y0000000000000000000AA')).toEqual([]);
    expect(takers('T#acme#IMPORT#01J8Y0000000000000000000AA', 'JOB')).toEqual([]);
    // A user's notification count and preferences are no notifications; a reminder is the sweep's.
    expect(takers('T#acme#NOTICES#user-1', 'KEPT')).toEqual([]);
    expect(takers('T#acme#NOTICES#user-1', 'PREFERENCES')).toEqual([]);
    expect(takers('T#acme#REMINDER#0123456789abcdef0123456789abcdef', '2026-12-07T09:00:00.000Z')).toEqual([]);
    // The pipelines are no moves; their set of keys is no pipeline.
    expect(takers('T#acme#PIPELINES', '#SET')).toEqual([]);
  });
});
