/**
 * A tenant's stage moves, kept in the API Lambda's memory between invocations, as the views keep
 * a type's records (views/type-snapshot.ts): reading 500,000 moves per report would take tens of
 * seconds. A container's first read starts from the stored copy of the moves (stored-moves.ts:
 * a few seconds at 500,000) and catches up from the time it was taken, as below. Without a copy
 * to start from (none yet, older than MAX_AGE_MS, or more deals rewritten since it than
 * MAX_REREAD_DEALS) it asks for one to be built in the background (by the stream's steps,
 * views/snapshot-build.ts) and loads every move meanwhile (oldest first, deals/stage-moves.ts
 * `queryStageMoves`), 10 s of reading per request at most (a request past it answers 503
 * Preparing, the next goes on where it stopped, or starts from the copy once it is built). A
 * copy older than REFRESH_AFTER_MS, or one a fifth behind, is built again for the containers to
 * come. Every later read first catches up with the
 * moves from MARGIN_MS before the previous catch-up began, by their time (a move's key begins
 * with it), one catch-up at a time (views/catch-ups.ts). So a move committed before a report was asked for is in it: a move is
 * stamped before its transaction commits, within the writer's 29 s timeout, which the margin
 * covers. Moves seen again are known by their key and not added twice.
 *
 * An imported history (moves with past times, a creation's move removed) lands behind the
 * catch-up's window: its deals are marked (history-rewrites.ts), and a catch-up reads the moves
 * of the deals marked since the previous one again, each deal's at once; more than
 * MAX_REREAD_DEALS of them, the whole log. A log not read for RELOAD_AFTER_MS is loaded again.
 *
 * Memory: a move is kept without its comment, its strings shared (deal ids, stages, users), some
 * 200 bytes; at most MAX_MOVES over every tenant of the container, the log read longest ago
 * dropped first.
 */
import type { StageMove } from '../contracts/stage-moves.ts';
import { dealStageMoves, queryStageMoves } from '../deals/stage-moves.ts';
import { rewrittenDeals } from './history-rewrites.ts';
import { keptMove, keptMovesCodec, STORED_MOVES, type KeptMove } from './stored-moves.ts';
import { tableName } from '../store/commands.ts';
import { CatchUps } from '../views/catch-ups.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';
import { MARGIN_MS } from '../views/type-snapshot.ts';
import { readStoredSnapshot, REFRESH_AFTER_MS } from '../views/stored-snapshot.ts';
import { requestSnapshotBuild } from '../views/snapshot-build.ts';

/** Moves kept over every tenant's log in one container. */
export const MAX_MOVES = 1_500_000;
/** Deals whose moves a catch-up reads again one by one (a Query each); more, and the log is loaded again. */
export const MAX_REREAD_DEALS = 200;
const RELOAD_AFTER_MS = 6 * 3600_000;

export type { KeptMove } from './stored-moves.ts';

/** A load of every move under way: the moves read so far, from which instant to go on, the keys read at it. */
interface Loading {
  moves: KeptMove[];
  startedAt: number;
  from: string | undefined;
  atFrom: Set<string>;
}

/**
 * How long a request may read moves for a load: a third of the gateway's 29 s, so it still has
 * the rest of its work. STAGE_MOVES_LOAD_BUDGET_MS overrides it (tests: 0 reads one page a request).
 */
const LOAD_BUDGET_MS = 10_000;
const loadBudget = () => Number(process.env.STAGE_MOVES_LOAD_BUDGET_MS ?? LOAD_BUDGET_MS);

/** What a report answers while a tenant's moves are being read for the first time in the container: ask again in a moment. */
export class MovesLoadingError extends DomainError {
  readonly code = 'Preparing';

  constructor(readonly moves: number, readonly startedAt: string) {
    super(`the deals' stage moves are being read (${moves} so far)`);
    this.name = 'MovesLoadingError';
  }

  details(): ErrorDetails {
    return { headers: { 'retry-after': '1' } };
  }
}

/** A move's key (deals/stage-moves.ts stageMoveSk): time, deal, the deal's version. */
const keyOf = (move: KeptMove) => `${move.at}#${move.deal}#${String(move.dealVersion).padStart(10, '0')}`;
/** The order of moves' keys, without making them. */
const byKey = (a: KeptMove, b: KeptMove) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.deal !== b.deal ? (a.deal < b.deal ? -1 : 1) : a.dealVersion - b.dealVersion);

export class StageMoveLog {
  /** Oldest first. */
  moves: KeptMove[] = [];
  /** Bumped by every catch-up that added a move: what is computed from the log is kept per generation. */
  generation = 0;
  /** Keys of the moves at or after `since`: the only ones a catch-up can read again. */
  private recent = new Set<string>();
  private since: string | undefined;
  private lastRead = 0;
  /** A load under way, over requests (`load`). */
  private loading: Loading | undefined;
  /** The `since` of a stored copy found with too many deals rewritten after it. */
  private refusedCopy: string | undefined;
  private strings = new Map<string, string>();
  private readonly catchUps = new CatchUps(() => this.read());

  constructor(readonly tenant: string) {}

  catchUp(): Promise<void> {
    return this.catchUps.next();
  }

  private async read(): Promise<void> {
    const startedAt = Date.now();
    if (this.since !== undefined && startedAt - this.lastRead <= RELOAD_AFTER_MS) {
      const rewritten = await rewrittenDeals(this.tenant, this.since);
      if (rewritten.size <= MAX_REREAD_DEALS) return this.catchUpSince(this.since, startedAt, rewritten);
    }
    if (await this.fromStored(startedAt)) return;
    const loaded = await this.load(startedAt);
    // Moves written while the load went on (over several requests, maybe) are read by time from its start.
    await this.catchUpSince(new Date(loaded.startedAt - MARGIN_MS).toISOString(), startedAt, new Set(), loaded.moves);
  }

  /**
   * Starts from the stored copy and catches up from when it was taken, if there is one to start
   * from (a load under way from the table is dropped for it); else asks for one to be built, and
   * answers false. A build asked for is never this read's failure: the load goes on without it.
   */
  private async fromStored(startedAt: number): Promise<boolean> {
    const strings = new Map<string, string>();
    let rewritten = new Set<string>();
    // A copy refused once is not read again by the load's next request (it is only built anew).
    const usable = async (since: string) => {
      if (since === this.refusedCopy) return false;
      rewritten = await rewrittenDeals(this.tenant, since);
      if (rewritten.size <= MAX_REREAD_DEALS) return true;
      this.refusedCopy = since;
      return false;
    };
    const stored = await readStoredSnapshot(this.tenant, STORED_MOVES.subject, startedAt, keptMovesCodec((text) => shared(strings, text)), usable);
    if (!stored) {
      if (!this.loading) await this.requestCopy(startedAt);
      return false;
    }
    this.loading = undefined;
    this.strings = strings;
    await this.catchUpSince(stored.since, startedAt, rewritten, stored.records);
    // Catching up that much in every new container would cost most of a load; an old copy soon cannot be used at all.
    if (this.moves.length - stored.records.length > stored.records.length / 5 || startedAt - Date.parse(stored.since) > REFRESH_AFTER_MS) await this.requestCopy(startedAt);
    return true;
  }

  private async requestCopy(startedAt: number): Promise<void> {
    try {
      await requestSnapshotBuild(this.tenant, STORED_MOVES.subject, MARGIN_MS, startedAt);
    } catch (err) {
      console.warn(JSON.stringify({ level: 'warn', message: 'could not start a build of the stored stage moves', tenant: this.tenant, error: String((err as Error).cause ?? err) }));
    }
  }

  /**
   * Every move, oldest first, in steps of at most loadBudget() each: a step past its budget ends
   * the request with MovesLoadingError, and the next request goes on from the last move read (the
   * moves of its instant known by their keys), so no request runs into the gateway's 29 s.
   */
  private async load(startedAt: number): Promise<Loading> {
    if (!this.loading) {
      this.loading = { moves: [], startedAt, from: undefined, atFrom: new Set() };
      this.strings.clear();
    }
    const loading = this.loading;
    const deadline = Date.now() + loadBudget();
    for await (const page of queryStageMoves(this.tenant, loading.from === undefined ? {} : { from: loading.from })) {
      const before = loading.moves.length;
      for (const move of page) {
        const kept = this.kept(move);
        const key = keyOf(kept);
        if (loading.atFrom.has(key)) continue;
        if (kept.at !== loading.from) loading.atFrom.clear();
        loading.from = kept.at;
        loading.atFrom.add(key);
        loading.moves.push(kept);
      }
      // Only a page that read something new ends a step: the moves read again at the instant it goes on from are no progress.
      if (loading.moves.length > before && Date.now() > deadline) throw new MovesLoadingError(loading.moves.length, new Date(loading.startedAt).toISOString());
    }
    this.loading = undefined;
    return loading;
  }

  /**
   * The moves from `since` on (by time), and every move of the deals `rewritten` again; onto
   * `base` (a new load's moves) or the moves held.
   */
  private async catchUpSince(since: string, startedAt: number, rewritten: ReadonlySet<string>, base?: KeptMove[]): Promise<void> {
    const next = new Date(startedAt - MARGIN_MS).toISOString();
    let moves = base ?? this.moves;
    if (base) {
      this.recent.clear();
      for (let i = base.length - 1; i >= 0 && base[i].at >= since; i--) this.recent.add(keyOf(base[i]));
    }
    let changed = base !== undefined;
    let unordered = false;
    const add = (move: StageMove) => {
      const kept = this.kept(move);
      const key = keyOf(kept);
      if (this.recent.has(key)) return;
      if (key >= next) this.recent.add(key);
      const last = moves.at(-1);
      if (last && byKey(last, kept) > 0) unordered = true;
      moves.push(kept);
      changed = true;
    };
    for await (const page of queryStageMoves(this.tenant, { from: since })) page.forEach(add);
    if (rewritten.size > 0) {
      const again = await Promise.all([...rewritten].map((deal) => dealStageMoves(this.tenant, deal)));
      moves = moves.filter((move) => !rewritten.has(move.deal));
      for (const key of this.recent) if (rewritten.has(key.split('#')[1])) this.recent.delete(key);
      again.flat().forEach(add);
      unordered = changed = true;
    }
    // A move committed late with an earlier stamp arrives after later ones: put it in its place.
    if (unordered) moves.sort(byKey);
    for (const key of this.recent) if (key < next) this.recent.delete(key);
    this.moves = moves;
    if (changed) this.generation++;
    this.since = next;
    this.lastRead = startedAt;
  }

  /** The move as kept: no comment, strings shared with the log's other moves. */
  private kept(move: StageMove): KeptMove {
    return keptMove(move, (text) => shared(this.strings, text));
  }
}

/** The one copy of `text` in `strings`. */
function shared(strings: Map<string, string>, text: string): string {
  const held = strings.get(text);
  if (held !== undefined) return held;
  strings.set(text, text);
  return text;
}

/** Logs by table and tenant, the one read longest ago first (a Map keeps insertion order). */
const logs = new Map<string, StageMoveLog>();
const logKey = (tenant: string) => [process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', tableName(), tenant].join('|');

/** The tenant's stage moves, caught up with every move committed before the call. */
export async function stageMoveLog(tenant: string): Promise<StageMoveLog> {
  const key = logKey(tenant);
  const log = logs.get(key) ?? new StageMoveLog(tenant);
  logs.delete(key);
  logs.set(key, log);
  try {
    await log.catchUp();
  } catch (err) {
    // A load under way keeps what it read for the next request; a failed first read leaves nothing worth keeping.
    if (log.generation === 0 && !(err instanceof MovesLoadingError)) logs.delete(key);
    throw err;
  }
  let kept = 0;
  for (const held of logs.values()) kept += held.moves.length;
  for (const [other, held] of logs) {
    if (kept <= MAX_MOVES || other === key) break;
    logs.delete(other);
    kept -= held.moves.length;
  }
  return log;
}

/** Drops every log, as a new container starts (the benchmark and tests of a container's first read). */
export function forgetStageMoveLogs(): void {
  logs.clear();
}
