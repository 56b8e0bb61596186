/**
 * A tenant's live records of one type, kept in the API Lambda's memory between invocations (as a
 * warm container keeps its clients), so that reading a 100,000-row view does not read 100,000
 * items every time. The first read of a type in a container loads it (from the snapshot stored
 * in the table, stored-snapshot.ts, or else, for a type of at most INLINE_RECORDS, from gsi1; a
 * larger one is built in the background, snapshot-build.ts, and the read answers
 * SnapshotBuildingError with its progress meanwhile); every later read first catches up with
 * the records changed since (gsi5, by change time), so a read never shows less than the table
 * did when the read began: a write acknowledged before a read is in that read.
 *
 * Why a margin: a writer stamps `updatedAt` before its transaction commits, so a change can
 * become visible after a reader has already asked for that time. Each catch-up therefore asks
 * again from MARGIN_MS before the previous one began. An API write commits within its
 * function's 29 s timeout of stamping; an import stamps each batch of 1,000 rows just before
 * writing it (seconds); writers' clocks differ far less than that.
 * Records seen again at a version already held cost a little reading and change nothing.
 *
 * Memory: at most MAX_RECORDS records over all snapshots of the container (least recently read
 * snapshot dropped first); a type larger than that is still answered, from a snapshot built
 * for the request and not kept.
 */
import type { StoredRecord } from '../records/errors.ts';
import type { RecordType } from '../records/keys.ts';
import { listChangedSinceUnscoped, listRecordsUnscoped } from '../records/repository.ts';
import { readStoredSnapshot, REFRESH_AFTER_MS, writeStoredSnapshot } from './stored-snapshot.ts';
import { isRunning, readSnapshotBuild, requestSnapshotBuild, SnapshotBuildingError } from './snapshot-build.ts';
import { tableName } from '../store/commands.ts';
import { CatchUps } from './catch-ups.ts';

/** How far behind the previous catch-up's start the next one asks again (see above). */
export const MARGIN_MS = 30_000;
/** Records kept over all snapshots of one container (~0.7 KB of heap each for a contact: ~175 MB at most, of the function's 1,024 MB). */
export const MAX_RECORDS = 250_000;
/**
 * A snapshot not read for this long is loaded again rather than caught up: it keeps the
 * tombstones of trashed records from piling up, and a long catch-up costs as much as a load.
 */
const RELOAD_AFTER_MS = 6 * 3600_000;
/**
 * The most records a request reads from the table: a type without a usable stored snapshot that
 * has more is built in the background. One Query page: ~0.4 s on a quiet machine; 20,000 took
 * 17 s at load 22 on 2 CPUs (bench/records-view).
 */
export const INLINE_RECORDS = 5_000;
/** Overrides INLINE_RECORDS (tests set a few, so that a small type takes the background path). */
const INLINE_VARIABLE = 'SNAPSHOT_INLINE_RECORDS';
const inlineRecords = () => Number(process.env[INLINE_VARIABLE] ?? INLINE_RECORDS);
/** Generations whose changed ids are remembered, so that a view's order can be patched, not redone. */
const CHANGE_LOG_GENERATIONS = 32;

export class TypeSnapshot {
  /** The live records by id; replaced in place as changes arrive. */
  readonly records = new Map<string, StoredRecord>();
  /** Bumped by every catch-up that changed something; views cache their order per generation. */
  generation = 0;
  /** Versions of records that left (trashed): a late, older read of one must not bring it back. */
  private readonly gone = new Map<string, number>();
  /** Ids changed in each recent generation, newest last. */
  private readonly changeLog: Array<{ generation: number; ids: string[] }> = [];
  private since: string | undefined;
  private lastRead = 0;
  private readonly catchUps = new CatchUps(() => this.read());

  constructor(
    readonly tenant: string,
    readonly type: RecordType,
  ) {}

  /** Resolves once the snapshot holds every change committed before this call (catch-ups.ts). */
  catchUp(): Promise<void> {
    return this.catchUps.next();
  }

  /** Ids changed after `generation`, or undefined when the log no longer reaches back that far. */
  changedSince(generation: number): Set<string> | undefined {
    if (generation === this.generation) return new Set();
    const first = this.changeLog[0];
    if (!first || first.generation > generation + 1) return undefined;
    return new Set(this.changeLog.filter((entry) => entry.generation > generation).flatMap((entry) => entry.ids));
  }

  private async read(): Promise<void> {
    const startedAt = Date.now();
    if (this.since === undefined || startedAt - this.lastRead > RELOAD_AFTER_MS) await this.load(startedAt);
    else this.apply(await listChangedSinceUnscoped(this.tenant, this.type, this.since));
    this.since = new Date(startedAt - MARGIN_MS).toISOString();
    this.lastRead = startedAt;
  }

  /**
   * From the stored snapshot and what changed since it was taken, or else, for a small type,
   * every live record (gsi1), then stored for the next container. A large type is never read
   * whole in a request (it took over the gateway's 29 s under load): its stored snapshot is
   * built in the background (snapshot-build.ts) and the read answers how far that has come.
   * Either way, a change committed during the load is caught up with by the next read.
   */
  private async load(startedAt: number): Promise<void> {
    const inline = inlineRecords();
    const stored = await readStoredSnapshot(this.tenant, this.type, startedAt);
    // Changes after the set was taken (its `since` is that less the margin): more than a request
    // may read, and the set is too stale to start from. The margin's own changes are read too,
    // but not counted: a set built just after a large import would count them all its life.
    const taken = stored && new Date(Date.parse(stored.since) + MARGIN_MS).toISOString();
    const later = taken && (await listChangedSinceUnscoped(this.tenant, this.type, taken, inline));
    if (stored && later && later.length <= inline) {
      this.replace(stored.records);
      this.apply(await listChangedSinceUnscoped(this.tenant, this.type, stored.since));
      // Catching up that much again in every new container would cost most of a load; an old set soon cannot be used at all.
      if (later.length > this.records.size / 5 || startedAt - Date.parse(stored.since) > REFRESH_AFTER_MS) await this.refresh();
      return;
    }
    const build = await readSnapshotBuild(this.tenant, this.type);
    if (build && isRunning(build, startedAt)) throw new SnapshotBuildingError(build);
    // Built before, and large then: not worth reading a part of again.
    if (build && build.records > inline) throw new SnapshotBuildingError(await requestSnapshotBuild(this.tenant, this.type, MARGIN_MS, startedAt));
    const records: StoredRecord[] = [];
    let after: string | undefined;
    do {
      const page = await listRecordsUnscoped(this.tenant, this.type, { limit: Math.min(5000, inline + 1 - records.length), after });
      records.push(...page.items);
      after = page.nextCursor;
    } while (after && records.length <= inline);
    if (records.length > inline) throw new SnapshotBuildingError(await requestSnapshotBuild(this.tenant, this.type, MARGIN_MS, startedAt));
    this.replace(records);
    await this.store(startedAt);
  }

  /** Asks for a new stored set, built in the background; a failure costs a later container a longer catch-up, not this read. */
  private async refresh(): Promise<void> {
    await snapshotAfterWrites(this.tenant, this.type, Infinity);
  }

  private replace(records: StoredRecord[]): void {
    this.records.clear();
    this.gone.clear();
    this.changeLog.length = 0;
    for (const record of records) this.records.set(record.id, record);
    this.generation++;
  }

  /** Stores the snapshot as read from `startedAt` on; a failure costs the next container a full load, not this read. */
  private async store(startedAt: number): Promise<void> {
    try {
      await writeStoredSnapshot(this.tenant, this.type, { records: [...this.records.values()], since: new Date(startedAt - MARGIN_MS).toISOString() });
    } catch (err) {
      warn('could not store the type snapshot', this, err);
    }
  }

  private apply(changed: StoredRecord[]): void {
    const ids: string[] = [];
    for (const record of changed) {
      const held = this.records.get(record.id)?.version ?? this.gone.get(record.id) ?? 0;
      if (record.version <= held) continue;
      if (record.deletedAt) {
        this.gone.set(record.id, record.version);
        if (!this.records.delete(record.id)) continue;
      } else {
        this.gone.delete(record.id);
        this.records.set(record.id, record);
      }
      ids.push(record.id);
    }
    if (ids.length === 0) return;
    this.generation++;
    this.changeLog.push({ generation: this.generation, ids });
    if (this.changeLog.length > CHANGE_LOG_GENERATIONS) this.changeLog.shift();
  }
}

function warn(message: string, snapshot: { tenant: string; type: RecordType }, err: unknown): void {
  console.warn(JSON.stringify({ level: 'warn', message, tenant: snapshot.tenant, type: snapshot.type, error: String((err as Error).cause ?? err) }));
}

/** Snapshots by table and tenant and type, least recently read first (a Map keeps insertion order). */
const snapshots = new Map<string, TypeSnapshot>();

/**
 * The tenant's records of the type, caught up with every change committed before the call.
 * The key names the table's endpoint too: tests start several local clouds in one process.
 */
export async function typeSnapshot(tenant: string, type: RecordType): Promise<TypeSnapshot> {
  const key = [process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', tableName(), tenant, type].join('|');
  const snapshot = snapshots.get(key) ?? new TypeSnapshot(tenant, type);
  snapshots.delete(key);
  snapshots.set(key, snapshot);
  try {
    await snapshot.catchUp();
  } catch (err) {
    // A failed first load leaves nothing worth keeping.
    if (snapshot.generation === 0) snapshots.delete(key);
    throw err;
  }
  evictBeyond(MAX_RECORDS);
  return snapshot;
}

/**
 * After many records were written at once (an import), a container without the type in memory
 * would catch up with all of them, or find them too many and wait for a build: the build starts
 * now instead, so the grid's first read finds it done or under way. Never fails the writer.
 */
export async function snapshotAfterWrites(tenant: string, type: RecordType, written: number): Promise<void> {
  if (written <= inlineRecords() / 4) return;
  try {
    await requestSnapshotBuild(tenant, type, MARGIN_MS);
  } catch (err) {
    warn('could not start a snapshot build', { tenant, type }, err);
  }
}

/** Drops least recently read snapshots until the records kept are at most `cap`. */
function evictBeyond(cap: number): void {
  let kept = 0;
  for (const snapshot of snapshots.values()) kept += snapshot.records.size;
  for (const [key, snapshot] of snapshots) {
    if (kept <= cap) break;
    snapshots.delete(key);
    kept -= snapshot.records.size;
  }
}

/** How many snapshots and records the container holds (benchmarks report it). */
export function snapshotStats(): { snapshots: number; records: number } {
  let records = 0;
  for (const snapshot of snapshots.values()) records += snapshot.records.size;
  return { snapshots: snapshots.size, records };
}

/** Drops every snapshot, as a new container starts (the benchmark of a container's first read). */
export function forgetTypeSnapshots(): void {
  snapshots.clear();
}
