/**
 * A snapshot written to the table, so that a container that has none (a cold start, a new one
 * under load) starts from it instead of reading every item: a few large items instead of 100,000
 * small ones, then the usual catch-up by time from the moment it was taken. Its subject is a
 * word of the keys: a record type's (a type's live records, type-snapshot.ts) or an item kind's
 * (a tenant's stage moves, analytics/stage-move-log.ts); words are one namespace
 * (store/item-kinds.ts), so two subjects never share a partition.
 *
 * Items: a head (`pk = T#<tenant>#SNAPSHOT#<SUBJECT>`, `sk = HEAD`: the set's id, the keys of its
 * chunks, `since`) and the chunks (`sk = CHUNK#<set>#<part>#<n>`: gzipped arrays of items in the
 * subject's encoding, JSON unless it has its own, each well under the 400 KB item limit). A set is written in parts (one by a request, one per
 * step of a background build, snapshot-build.ts), each part under its own id, so a step run twice
 * (a redelivered event, a crash and a retry) writes a second part beside the first instead of
 * overwriting chunks the build already counted; only the chunks the head names are read. A new
 * set never overwrites an old one: its chunks are written first and the head last, and the head
 * only replaces one taken earlier (`since`), so a reader sees a whole set, never part of one, and
 * a slow writer never puts back an older set. Sets expire by TTL after a day, long before a
 * trashed record's TTL (30 days) could remove it from the table unseen by a catch-up; a head
 * older than MAX_AGE_MS is not used.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { ulid } from 'ulid';
import { batchGetAll, batchPutAll, callStore, conditionFailed, getItem, putItem, tableName, type TransactItem } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import type { StoredRecord } from '../records/errors.ts';
import { StoreError } from '../store/store-error.ts';

/** A stored snapshot older than this is not started from (the catch-up would be most of a load). */
export const MAX_AGE_MS = 12 * 3600_000;
/** A stored snapshot older than this is built again in the background, well before it is too old to use. */
export const REFRESH_AFTER_MS = MAX_AGE_MS / 2;
/** Chunks (and heads, and builds) expire by TTL after this long. */
export const EXPIRES_AFTER_S = 24 * 3600;
/** A chunk's most bytes: the 400 KB item limit less its keys and room to spare. */
export const MAX_CHUNK_BYTES = 350_000;

/**
 * How a subject's items are kept in chunks: `perChunk` at most in one (a chunk over
 * MAX_CHUNK_BYTES is halved until it fits), as bytes and back.
 */
export interface ChunkCodec<T> {
  perChunk: number;
  encode(items: T[]): Uint8Array;
  decode(data: Uint8Array): T[];
}

/** Records as gzipped JSON: ~0.4 KB of JSON each, 2,000 gzipped to a small part of the item limit. */
export const JSON_CHUNKS: ChunkCodec<never> = {
  perChunk: 2_000,
  encode: (items) => gzipSync(JSON.stringify(items)),
  decode: (data) => JSON.parse(gunzipSync(data).toString('utf8')),
};
const jsonChunks = <T>() => JSON_CHUNKS as unknown as ChunkCodec<T>;

/** The partition of a subject's stored snapshot: its head, its chunks, its build (snapshot-build.ts). */
export const snapshotPk = (tenant: string, subject: string) => ITEM_KINDS.snapshot.pk(tenant, subject);
/** Heads written before sets had parts name their chunks by number. */
const legacyChunkSk = (set: string, n: number) => `CHUNK#${set}#${String(n).padStart(5, '0')}`;

export interface StoredSnapshot<T = StoredRecord> {
  records: T[];
  /** The catch-up after it starts here (as TypeSnapshot's own `since`). */
  since: string;
}

/**
 * The latest stored snapshot of the subject, if there is a whole one younger than MAX_AGE_MS
 * (and `usable`, asked of its `since` before its chunks are read).
 */
export async function readStoredSnapshot<T = StoredRecord>(tenant: string, subject: string, now = Date.now(), codec: ChunkCodec<T> = jsonChunks(), usable: (since: string) => Promise<boolean> = async () => true): Promise<StoredSnapshot<T> | undefined> {
  const pk = snapshotPk(tenant, subject);
  const head = (await callStore('read snapshot', () => getItem({ Key: { pk, sk: 'HEAD' }, ConsistentRead: true }))).Item;
  if (!head || now - Date.parse(head.since as string) > MAX_AGE_MS || !(await usable(head.since as string))) return undefined;
  const sks = (head.chunkKeys as string[] | undefined) ?? Array.from({ length: head.chunks as number }, (_, n) => legacyChunkSk(head.set as string, n));
  const keys = sks.map((sk) => ({ pk, sk }));
  // 25 chunks of at most 350 KB stay under BatchGetItem's 16 MB.
  const chunks = new Map((await batchGetAll('read snapshot', keys, { perRequest: 25 })).map((item) => [item.sk as string, item.data as Uint8Array]));
  // A chunk gone (expired) means the set is not whole: better no snapshot than part of one.
  if (chunks.size !== keys.length) return undefined;
  const records: T[] = [];
  // One chunk at a time: a spread of 500,000 items would pass the engine's most arguments.
  for (const key of keys) for (const item of codec.decode(chunks.get(key.sk)!)) records.push(item);
  return { records, since: head.since as string };
}

/** Writes the records as a new set and makes it the latest (unless a set taken later is there already). */
export async function writeStoredSnapshot<T = StoredRecord>(tenant: string, subject: string, snapshot: StoredSnapshot<T>, now = Date.now(), codec: ChunkCodec<T> = jsonChunks()): Promise<void> {
  const set = ulid(now);
  const chunkKeys = await writeSnapshotPart(tenant, subject, set, snapshot.records, now, codec);
  await publishSnapshot(tenant, subject, { set, chunkKeys, since: snapshot.since, records: snapshot.records.length }, now);
}

/** Writes records as one part of a set, under an id of its own; answers the keys of its chunks. */
export async function writeSnapshotPart<T = StoredRecord>(tenant: string, subject: string, set: string, records: T[], now = Date.now(), codec: ChunkCodec<T> = jsonChunks()): Promise<string[]> {
  const pk = snapshotPk(tenant, subject);
  const part = ulid(now);
  const expiresAt = Math.floor(now / 1000) + EXPIRES_AFTER_S;
  const items = chunksOf(records, codec).map((data, n) => ({ pk, sk: `CHUNK#${set}#${part}#${String(n).padStart(5, '0')}`, data, expiresAt }));
  await callStore('write snapshot', () => batchPutAll(items));
  return items.map((item) => item.sk);
}

export interface SnapshotHead {
  set: string;
  /** Every chunk of the set, in order. */
  chunkKeys: string[];
  since: string;
  records: number;
}

/** The head item that makes a set the latest, written only over a head taken earlier. */
export function snapshotHeadPut(tenant: string, subject: string, head: SnapshotHead, now = Date.now()): NonNullable<TransactItem['Put']> {
  return {
    TableName: tableName(),
    Item: { pk: snapshotPk(tenant, subject), sk: 'HEAD', ...head, expiresAt: Math.floor(now / 1000) + EXPIRES_AFTER_S },
    ConditionExpression: 'attribute_not_exists(pk) OR since < :since',
    ExpressionAttributeValues: { ':since': head.since },
  };
}

/** Makes the set the latest; false when a set taken later is there already (it stays). */
export async function publishSnapshot(tenant: string, subject: string, head: SnapshotHead, now = Date.now()): Promise<boolean> {
  try {
    await putItem(snapshotHeadPut(tenant, subject, head, now));
    return true;
  } catch (err) {
    if (conditionFailed(err)) return false;
    throw new StoreError('could not write snapshot', { cause: err });
  }
}

/**
 * The records encoded, `perChunk` at a time; one too large is cut into as many parts as its bytes
 * need, and one more for records of uneven size. Not halved: every halving encodes the part's
 * records again, and a type of 20 records of 350 KB among 1,000 small ones had its large records
 * encoded 11 times (5 s of gzip in a test of the limits).
 */
export function chunksOf<T>(records: T[], codec: ChunkCodec<T>, size = codec.perChunk): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < records.length; start += size) {
    const part = records.slice(start, start + size);
    const data = codec.encode(part);
    if (data.byteLength <= MAX_CHUNK_BYTES || part.length === 1) chunks.push(data);
    else chunks.push(...chunksOf(part, codec, Math.ceil(part.length / (Math.ceil(data.byteLength / MAX_CHUNK_BYTES) + 1))));
  }
  return chunks;
}
