/**
 * A tenant's stage moves, kept in the API Lambda's memory between invocations, as the views keep
 * a type's records (views/type-snapshot.ts): reading 500,000 moves per report would take tens of
 * seconds. The first read in a container loads every move (oldest first, deals/stage-moves.ts
 * `queryStageMoves`); every later read first catches up with the moves from MARGIN_MS before the
 * previous catch-up began, by their time (a move's key begins with it), one catch-up at a time
 * (views/catch-ups.ts). So a move committed before a report was asked for is in it: a move is
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
import { tableName } from '../store/commands.ts';
import { CatchUps } from '../views/catch-ups.ts';
import { MARGIN_MS } from '../views/type-snapshot.ts';

/** Moves kept over every tenant's log in one container. */
export const MAX_MOVES = 1_500_000;
/** Deals whose moves a catch-up reads again one by one (a Query each); more, and the log is loaded again. */
export const MAX_REREAD_DEALS = 200;
const RELOAD_AFTER_MS = 6 * 3600_000;

/** A move as kept: what the reports read. */
export type KeptMove = Omit<StageMove, 'lossComment' | 'process'>;

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
  private readonly strings = new Map<string, string>();
  private readonly catchUps = new CatchUps(() => this.read());

  constructor(readonly tenant: string) {}

  catchUp(): Promise<void> {
    return this.catchUps.next();
  }

  private async read(): Promise<void> {
    const startedAt = Date.now();
    const rewritten = this.since === undefined ? new Set<string>() : await rewrittenDeals(this.tenant, this.since);
    const reload = this.since === undefined || startedAt - this.lastRead > RELOAD_AFTER_MS || rewritten.size > MAX_REREAD_DEALS;
    // A reload reads into a new list: a report computing meanwhile (between this read's pages) keeps the whole old one.
    let moves = reload ? [] : this.moves;
    if (reload) {
      this.recent.clear();
      this.strings.clear();
    }
    const since = new Date(startedAt - MARGIN_MS).toISOString();
    let changed = reload;
    let unordered = false;
    const add = (move: StageMove) => {
      const kept = this.kept(move);
      const key = keyOf(kept);
      if (this.recent.has(key)) return;
      if (key >= since) this.recent.add(key);
      const last = moves.at(-1);
      if (last && byKey(last, kept) > 0) unordered = true;
      moves.push(kept);
      changed = true;
    };
    for await (const page of queryStageMoves(this.tenant, reload ? {} : { from: this.since })) page.forEach(add);
    if (!reload && rewritten.size > 0) {
      const again = await Promise.all([...rewritten].map((deal) => dealStageMoves(this.tenant, deal)));
      moves = moves.filter((move) => !rewritten.has(move.deal));
      for (const key of this.recent) if (rewritten.has(key.split('#')[1])) this.recent.delete(key);
      again.flat().forEach(add);
      unordered = changed = true;
    }
    // A move committed late with an earlier stamp arrives after later ones: put it in its place.
    if (unordered) moves.sort(byKey);
    this.moves = moves;
    for (const key of this.recent) if (key < since) this.recent.delete(key);
    if (changed) this.generation++;
    this.since = since;
    this.lastRead = startedAt;
  }

  /** The move as kept: no comment, strings shared with the log's other moves. */
  private kept({ lossComment: _comment, process: _process, ...move }: StageMove): KeptMove {
    const share = (text: string) => {
      const held = this.strings.get(text);
      if (held !== undefined) return held;
      this.strings.set(text, text);
      return text;
    };
    const shareOrNull = (text: string | null) => (text === null ? null : share(text));
    return {
      ...move,
      deal: share(move.deal),
      pipeline: share(move.pipeline),
      ...(move.fromPipeline !== undefined ? { fromPipeline: share(move.fromPipeline) } : {}),
      from: shareOrNull(move.from),
      to: share(move.to),
      by: share(move.by),
      currency: shareOrNull(move.currency),
      owner: shareOrNull(move.owner),
      ...(move.lossReason !== undefined ? { lossReason: share(move.lossReason) } : {}),
    };
  }
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
    if (log.generation === 0) logs.delete(key);
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
