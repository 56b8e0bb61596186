/**
 * The stored copy of a tenant's stage moves: what a new container's log (stage-move-log.ts)
 * starts from instead of reading every move, 500,000 of them in a few large items. It is a
 * stored snapshot like a type's (views/stored-snapshot.ts: chunks, a head written last, TTL),
 * of the subject `STAGEMOVES` (the moves' own key word, so no record type can share its
 * partition), built off the request path by the same steps (views/snapshot-build.ts) from the
 * moves' partition in key order, with this module's source and encoding.
 *
 * A chunk holds its moves as columns of indices into a table of the values they hold (every deal
 * id, stage, user, time once), gzipped: a tenth of the moves' JSON, and the strings come out
 * shared, as the log keeps them.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { StageMove } from '../contracts/stage-moves.ts';
import { stageMovePage } from '../deals/stage-moves.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import type { ChunkCodec } from '../views/stored-snapshot.ts';
import type { SnapshotSource } from '../views/snapshot-build.ts';

/** A move as kept: what the reports read (no comment, no process). */
export type KeptMove = Omit<StageMove, 'lossComment' | 'process'>;

/** Moves per chunk: ~50 bytes each gzipped (a time and a deal id of their own, the rest shared), a chunk ~250 KB of the 400 KB item limit. */
const MOVES_PER_CHUNK = 5_000;
/** Moves a build step reads: ~7 Query pages, a few seconds. */
const MOVES_PER_STEP = 20_000;

/** The fields a kept move has, as the contract names them (a field added to it is stored too). */
const FIELDS = (Object.keys(StageMove.shape) as Array<keyof StageMove>).filter((field): field is keyof KeptMove => field !== 'lossComment' && field !== 'process');

const unshared = (text: string) => text;

/** The move as kept: no comment, strings passed through `share` (the log's, so that its moves hold one copy of each; a time is nearly always its move's own). */
export function keptMove({ lossComment: _comment, process: _process, ...move }: StageMove, share: (text: string) => string = unshared): KeptMove {
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

/** A chunk: the fields, the values once each, and per move and field the index of its value (-1: none). */
interface MovesChunk {
  fields: string[];
  values: Array<string | number | null>;
  cells: number[];
}

/** Kept moves in chunks; decoded strings passed through `share`. */
export function keptMovesCodec(share: (text: string) => string = unshared): ChunkCodec<KeptMove> {
  return {
    perChunk: MOVES_PER_CHUNK,
    encode(moves) {
      const values: MovesChunk['values'] = [];
      const indexOf = new Map<unknown, number>();
      const cells: number[] = [];
      for (const move of moves) {
        for (const field of FIELDS) {
          const value = move[field];
          if (value === undefined) {
            cells.push(-1);
            continue;
          }
          let index = indexOf.get(value);
          if (index === undefined) {
            index = values.push(value) - 1;
            indexOf.set(value, index);
          }
          cells.push(index);
        }
      }
      return gzipSync(JSON.stringify({ fields: FIELDS, values, cells } satisfies MovesChunk));
    },
    decode(data) {
      const { fields, values, cells } = JSON.parse(gunzipSync(data).toString('utf8')) as MovesChunk;
      // Shared as a value is first used, and never a time (nearly every move's is its own: sharing them cost more than all else).
      const shared = new Array<string | number | null | undefined>(values.length);
      const sharedValue = (index: number) => {
        let held = shared[index];
        if (held === undefined) {
          const value = values[index];
          held = shared[index] = typeof value === 'string' ? share(value) : value;
        }
        return held;
      };
      const width = fields.length;
      const column = (field: keyof KeptMove) => fields.indexOf(field);
      const [deal, pipeline, fromPipeline, from, to, at, by, amount, currency, probability, owner, lossReason, dealVersion, source] = (
        ['deal', 'pipeline', 'fromPipeline', 'from', 'to', 'at', 'by', 'amount', 'currency', 'probability', 'owner', 'lossReason', 'dealVersion', 'source'] as const
      ).map(column);
      const moves: KeptMove[] = [];
      for (let start = 0; start < cells.length; start += width) {
        const value = (n: number): any => (n < 0 || cells[start + n] < 0 ? undefined : sharedValue(cells[start + n]));
        // One literal, so every move has the same shape (built field by field from the chunk's names, 500,000 took seconds more).
        const move: KeptMove = { deal: value(deal), pipeline: value(pipeline), from: value(from), to: value(to), at: values[cells[start + at]] as string, by: value(by), amount: value(amount), currency: value(currency), probability: value(probability), owner: value(owner), dealVersion: value(dealVersion), source: value(source) };
        if (value(fromPipeline) !== undefined) move.fromPipeline = value(fromPipeline);
        if (value(lossReason) !== undefined) move.lossReason = value(lossReason);
        moves.push(move);
      }
      return moves;
    },
  };
}

/** The build's source: the tenant's moves in key order (time, deal, version), kept. */
export const STORED_MOVES: SnapshotSource<KeptMove> = {
  subject: ITEM_KINDS.stageMoves.word,
  perStep: MOVES_PER_STEP,
  async page(tenant, page) {
    const { items, nextCursor } = await stageMovePage(tenant, page);
    return { items: items.map((move) => keptMove(move)), ...(nextCursor ? { nextCursor } : {}) };
  },
  codec: keptMovesCodec(),
};
