/**
 * Building a stored snapshot (stored-snapshot.ts) off the request path. Reading every record of
 * a 100,000-record type takes seconds on a quiet machine and over API Gateway's 29 s under load,
 * so no request does it: a read that finds no stored snapshot of a large type asks for a build
 * (so does an import when it finishes) and answers that one is under way. The same builds a
 * tenant's stage moves (analytics/stage-move-log.ts): a subject is built from its source (which
 * reads its items in pages, in a stable order, and how they are chunked); the stream consumer
 * (stream/consumers.ts) gives each build its subject's.
 *
 * A build is an item (`pk = T#<tenant>#SNAPSHOT#<SUBJECT>`, `sk = BUILD`) whose every write is a
 * stream event, and the stream consumer runs the next step on it (as it purges a field,
 * purges/field-purge.ts): a step reads up to the source's `perStep` items from the build's
 * position, writes them as a part of the new set, and moves the build on; the last one writes
 * the head and ends the build in one transaction. So any number of records is
 * read in steps that each fit a stream invocation, and a reader sees the build's progress.
 *
 * Crash-safe and idempotent: a step moves the build on only from the step it read (conditional),
 * and its chunks are a part of their own (a step run twice leaves an unused part, expired by
 * TTL, never a chunk counted twice or overwritten); the head names only counted chunks and is
 * written last. A redelivered event finds the build moved on and does nothing. A build whose
 * steps stopped (retries exhausted) goes stale and the next read starts it afresh.
 *
 * Correct while records change: the set's `since` is the build's start less the catch-up margin
 * (type-snapshot.ts), so whatever changed during the build (a record read before its change, one
 * created after its place was read) is caught up with by the reader, by version (moves: by key).
 */
import { ulid } from 'ulid';
import type { RecordType } from '../records/keys.ts';
import type { StoredRecord } from '../records/errors.ts';
import { listRecordsUnscoped } from '../records/repository.ts';
import { callStore, cancellationCodes, conditionFailed, getItem, putItem, tableName, transactWriteItems } from '../store/commands.ts';
import { ITEM_KINDS, parseTypePartition } from '../store/item-kinds.ts';
import { StoreError } from '../store/store-error.ts';
import { EXPIRES_AFTER_S, JSON_CHUNKS, snapshotHeadPut, snapshotPk, writeSnapshotPart, type ChunkCodec } from './stored-snapshot.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';

/** Records read per step (Query pages of at most PAGE): a few seconds, well inside a stream invocation. */
const STEP_RECORDS = 10_000;
const PAGE = 5_000;
/** Overrides every source's `perStep` (tests set a few items, so that a build takes several steps). */
const STEP_VARIABLE = 'SNAPSHOT_BUILD_STEP_RECORDS';

/** Where a subject's build reads its items, and how it stores them. */
export interface SnapshotSource<T> {
  /** The word of the keys the snapshot is of (a record type's key, or an item kind's). */
  subject: string;
  /** Items a step reads. */
  perStep: number;
  /** Up to `limit` items after the cursor (none: the first), in an order that stays; the cursor after the last, if more may follow. */
  page(tenant: string, page: { limit: number; after?: string }): Promise<{ items: T[]; nextCursor?: string }>;
  codec: ChunkCodec<T>;
}

/** A type's live records (gsi1), as JSON. */
export const recordSnapshotSource = (type: RecordType): SnapshotSource<StoredRecord> => ({
  subject: type,
  perStep: STEP_RECORDS,
  page: (tenant, { limit, after }) => listRecordsUnscoped(tenant, type, { limit: Math.min(PAGE, limit), after }),
  codec: JSON_CHUNKS,
});
/** A running build not moved on for this long has stopped (its stream retries ran out): it is started afresh. */
export const STALE_AFTER_MS = 5 * 60_000;
/** A build finished this recently is current: a reader that asked before its head was written starts no other. */
const CURRENT_FOR_MS = 60_000;

export interface SnapshotBuild {
  tenant: string;
  /** The subject (SnapshotSource): a record type's key, or an item kind's word. */
  type: string;
  /** The set being written (its chunks' keys start with it). */
  set: string;
  state: 'running' | 'done';
  /** Steps taken; a step moves the build on only from the step it read. */
  step: number;
  /** The source's cursor after the last item read ('' before the first step). */
  after: string;
  /** The chunks written so far, in order. */
  chunkKeys: string[];
  /** Records read so far: the progress a reader shows. */
  records: number;
  /** The catch-up after the set starts here: the build's start less the catch-up margin. */
  since: string;
  startedAt: string;
  updatedAt: string;
}

/** What a reader answers while a build runs (a view's rows asked for by id, or exported): ask again in a few seconds. */
export class SnapshotBuildingError extends DomainError {
  readonly code = 'Preparing';

  constructor(readonly build: Pick<SnapshotBuild, 'records' | 'startedAt'>) {
    super(`the view's records are being prepared (${build.records} read so far)`);
    this.name = 'SnapshotBuildingError';
  }

  details(): ErrorDetails {
    return { headers: { 'retry-after': '5' } };
  }
}

const buildKey = (tenant: string, subject: string) => ({ pk: snapshotPk(tenant, subject), sk: 'BUILD' });

/** The subject's latest build, if any. */
export async function readSnapshotBuild(tenant: string, type: string): Promise<SnapshotBuild | undefined> {
  const item = (await callStore('read snapshot build', () => getItem({ Key: buildKey(tenant, type), ConsistentRead: true }))).Item;
  return item ? buildOf(item) : undefined;
}

/** Whether the build is under way (running and not stale). */
export function isRunning(build: SnapshotBuild, now = Date.now()): boolean {
  return build.state === 'running' && now - Date.parse(build.updatedAt) < STALE_AFTER_MS;
}

/**
 * Starts a build unless one is running or has just finished; answers the build that is now
 * current. Any number of readers may ask at once: one build starts.
 */
export async function requestSnapshotBuild(tenant: string, type: string, marginMs: number, now = Date.now()): Promise<SnapshotBuild> {
  const at = new Date(now).toISOString();
  const build: SnapshotBuild = { tenant, type, set: ulid(now), state: 'running', step: 0, after: '', chunkKeys: [], records: 0, since: new Date(now - marginMs).toISOString(), startedAt: at, updatedAt: at };
  try {
    await putItem({
      Item: { ...buildKey(tenant, type), ...build, expiresAt: Math.floor(now / 1000) + EXPIRES_AFTER_S },
      ConditionExpression: 'attribute_not_exists(pk) OR updatedAt < :stale OR (#state = :done AND updatedAt < :current)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':stale': new Date(now - STALE_AFTER_MS).toISOString(), ':done': 'done', ':current': new Date(now - CURRENT_FOR_MS).toISOString() },
    });
    return build;
  } catch (err) {
    if (!conditionFailed(err)) throw new StoreError('could not start a snapshot build', { cause: err });
    // Someone else's build is current; it may end at any moment, so it is read again.
    return (await readSnapshotBuild(tenant, type)) ?? build;
  }
}

/** The tenant and subject (`type`) of a build item's key, if it is one. */
export function parseBuildKey(pk: string, sk: string): { tenant: string; type: string } | undefined {
  return sk === 'BUILD' ? parseTypePartition(ITEM_KINDS.snapshot, pk) : undefined;
}

/**
 * One step of the build as the stream delivered it: nothing if the build has moved on since (a
 * redelivered event) or is no longer running.
 */
export async function continueSnapshotBuild<T>(delivered: SnapshotBuild, source: SnapshotSource<T>, now = Date.now()): Promise<void> {
  const build = await readSnapshotBuild(delivered.tenant, delivered.type);
  // A stale build is not resumed by a late event: the next read starts a fresh one (it may have already).
  if (!build || !isRunning(build, now) || build.set !== delivered.set || build.step !== delivered.step) return;
  const records: T[] = [];
  let after: string | undefined = build.after || undefined;
  const wanted = Number(process.env[STEP_VARIABLE] ?? source.perStep);
  do {
    const page = await source.page(build.tenant, { limit: wanted - records.length, after });
    for (const item of page.items) records.push(item);
    after = page.nextCursor;
  } while (after && records.length < wanted);
  const chunkKeys = records.length ? await writeSnapshotPart(build.tenant, build.type, build.set, records, now, source.codec) : [];
  const next: SnapshotBuild = {
    ...build,
    step: build.step + 1,
    after: after ?? build.after,
    chunkKeys: [...build.chunkKeys, ...chunkKeys],
    records: build.records + records.length,
    state: after ? 'running' : 'done',
    updatedAt: new Date(now).toISOString(),
  };
  const moveOn = {
    TableName: tableName(),
    Item: { ...buildKey(build.tenant, build.type), ...next, expiresAt: Math.floor(now / 1000) + EXPIRES_AFTER_S },
    ConditionExpression: '#set = :set AND #step = :step',
    ExpressionAttributeNames: { '#set': 'set', '#step': 'step' },
    ExpressionAttributeValues: { ':set': build.set, ':step': build.step },
  };
  if (after) return movedOn(() => putItem(moveOn));
  const head = snapshotHeadPut(build.tenant, build.type, { set: build.set, chunkKeys: next.chunkKeys, since: build.since, records: next.records }, now);
  try {
    await transactWriteItems([{ Put: moveOn }, { Put: head }]);
  } catch (err) {
    const reasons = cancellationCodes(err) ?? [];
    // A set taken later is already the latest (a request stored a small type meanwhile): it stays, and this build ends.
    if (reasons[0] === 'None' && reasons[1] === 'ConditionalCheckFailed') return movedOn(() => putItem(moveOn));
    // The build moved on without this step (it ran twice): nothing to do.
    if (reasons[0] === 'ConditionalCheckFailed') return;
    throw new StoreError('could not finish a snapshot build', { cause: err });
  }
}

/** A conditional move that finds the build already moved on did nothing, as it should. */
async function movedOn(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (conditionFailed(err)) return;
    throw new StoreError('could not move a snapshot build on', { cause: err });
  }
}

/** A build from its item (or the stream's image of it). */
export function buildOf(item: Record<string, unknown>): SnapshotBuild {
  const { pk: _pk, sk: _sk, expiresAt: _expires, ...build } = item;
  return build as unknown as SnapshotBuild;
}
