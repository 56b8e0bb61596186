/**
 * A type snapshot written to the table, so that a container that has none (a cold start, a new
 * one under load) starts from it instead of reading every record: a few large items instead of
 * 100,000 small ones, then the usual catch-up by change time from the moment it was taken.
 *
 * Items: a head (`pk = T#<tenant>#SNAPSHOT#<TYPE>`, `sk = HEAD`: the set's id, its chunk count,
 * `since`) and the chunks of the set (`sk = CHUNK#<set>#<n>`: gzipped JSON arrays of records,
 * each well under the 400 KB item limit). A new set never overwrites an old one: its chunks are
 * written first and the head last, so a reader sees a whole set or the previous one. Sets expire
 * by TTL after a day, long before a trashed record's TTL (30 days) could remove it from the
 * table unseen by a catch-up; a head older than MAX_AGE_MS is not used.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { StoredRecord } from '../records/errors.ts';
import type { RecordType } from '../records/keys.ts';
import { callStore } from '../records/repository.ts';
import { documentClient, tableName } from '../table.ts';

/** A stored snapshot older than this is not started from (the catch-up would be most of a load). */
export const MAX_AGE_MS = 12 * 3600_000;
const EXPIRES_AFTER_S = 24 * 3600;
/** Records per chunk: ~0.4 KB of JSON each, gzipped to a small part of the 400 KB item limit. */
const RECORDS_PER_CHUNK = 2_000;
const MAX_CHUNK_BYTES = 350_000;

const pkOf = (tenant: string, type: RecordType) => `T#${tenant}#SNAPSHOT#${type}`;
const chunkSk = (set: string, n: number) => `CHUNK#${set}#${String(n).padStart(5, '0')}`;

export interface StoredSnapshot {
  records: StoredRecord[];
  /** The catch-up after it starts here (as TypeSnapshot's own `since`). */
  since: string;
}

/** The latest stored snapshot of the type, if there is a whole one younger than MAX_AGE_MS. */
export async function readStoredSnapshot(tenant: string, type: RecordType, now = Date.now()): Promise<StoredSnapshot | undefined> {
  const pk = pkOf(tenant, type);
  const head = (await callStore('read snapshot', () => documentClient.send(new GetCommand({ TableName: tableName(), Key: { pk, sk: 'HEAD' }, ConsistentRead: true })))).Item;
  if (!head || now - Date.parse(head.since as string) > MAX_AGE_MS) return undefined;
  const keys = Array.from({ length: head.chunks as number }, (_, n) => ({ pk, sk: chunkSk(head.set as string, n) }));
  const chunks = new Map<string, Uint8Array>();
  for (let start = 0; start < keys.length; start += 25) {
    // 25 chunks of at most 350 KB stay under BatchGetItem's 16 MB.
    let request: Record<string, { Keys: Array<Record<string, unknown>>; ConsistentRead: boolean }> | undefined = {
      [tableName()]: { Keys: keys.slice(start, start + 25), ConsistentRead: true },
    };
    while (request && Object.keys(request).length > 0) {
      const result = await callStore('read snapshot', () => documentClient.send(new BatchGetCommand({ RequestItems: request })));
      for (const item of result.Responses?.[tableName()] ?? []) chunks.set(item.sk as string, item.data as Uint8Array);
      request = result.UnprocessedKeys as typeof request;
    }
  }
  // A chunk gone (expired) means the set is not whole: better no snapshot than part of one.
  if (chunks.size !== keys.length) return undefined;
  const records = keys.flatMap((key) => JSON.parse(gunzipSync(chunks.get(key.sk)!).toString('utf8')) as StoredRecord[]);
  return { records, since: head.since as string };
}

/** Writes the records as a new set and makes it the latest. */
export async function writeStoredSnapshot(tenant: string, type: RecordType, snapshot: StoredSnapshot, now = Date.now()): Promise<void> {
  const pk = pkOf(tenant, type);
  const set = ulid(now);
  const expiresAt = Math.floor(now / 1000) + EXPIRES_AFTER_S;
  const data = chunksOf(snapshot.records);
  const items = data.map((chunk, n) => ({ pk, sk: chunkSk(set, n), data: chunk, expiresAt }));
  for (let start = 0; start < items.length; start += 25) {
    let request: Record<string, unknown[]> | undefined = { [tableName()]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) };
    while (request && Object.keys(request).length > 0) {
      const result = await callStore('write snapshot', () => documentClient.send(new BatchWriteCommand({ RequestItems: request as never })));
      request = result.UnprocessedItems as typeof request;
    }
  }
  await callStore('write snapshot', () =>
    documentClient.send(new PutCommand({ TableName: tableName(), Item: { pk, sk: 'HEAD', set, chunks: data.length, since: snapshot.since, records: snapshot.records.length, expiresAt } })),
  );
}

/** Gzipped JSON of the records, RECORDS_PER_CHUNK at a time, halved where one would be too large. */
function chunksOf(records: StoredRecord[], size = RECORDS_PER_CHUNK): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < records.length; start += size) {
    const part = records.slice(start, start + size);
    const data = gzipSync(JSON.stringify(part));
    if (data.byteLength <= MAX_CHUNK_BYTES || part.length === 1) chunks.push(data);
    else chunks.push(...chunksOf(part, Math.ceil(part.length / 2)));
  }
  return chunks;
}
