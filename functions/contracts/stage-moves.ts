/**
 * A deal's stage history, exact: every move of a deal into a stage (its creation in one, every
 * change of its stage or pipeline) is a `StageMove` item written in the same transaction as the
 * deal's change (functions/deals/stage-moves.ts), so time in stage, conversion and velocity are
 * counted from what happened, never guessed from the current state. Trashing or restoring a deal
 * is no move. Moves are kept per tenant in time order (`queryStageMoves`).
 */
import { z } from 'zod';
import { MAX_LOSS_COMMENT } from './deal-stages.ts';

/** What made a move: a creation, a PATCH, a paste or bulk change, a board drag, an import, a process step, a stage merge. */
export const STAGE_MOVE_SOURCES = ['create', 'update', 'bulk', 'board', 'import', 'process', 'merge'] as const;
export const StageMoveSource = z.enum(STAGE_MOVE_SOURCES);
export type StageMoveSource = z.infer<typeof StageMoveSource>;

export const StageMove = z.object({
  /** The deal's id. */
  deal: z.string(),
  /** The pipeline the deal moved in (its key). */
  pipeline: z.string(),
  /** The pipeline it came from when the move changed pipeline (`from` is that pipeline's stage). */
  fromPipeline: z.string().optional(),
  /** The stage it left (its key, or the value it held if that named none); null: the deal was created in `to`. */
  from: z.string().nullable(),
  to: z.string(),
  /** When (ISO 8601, UTC): the change's time, or the imported move's own. */
  at: z.string(),
  /** Who moved it (a user's sub). */
  by: z.string(),
  /** The deal's amount at the move, in its currency's major units (`currency`); null without one. */
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  /** The percent the deal was likely to close at, on entering `to` (contracts/deal-stages.ts dealProbability). */
  probability: z.number().nullable(),
  /** The deal's owner at the move. */
  owner: z.string().nullable(),
  /** Entering a lost stage: the pipeline's reason (key) and the comment. */
  lossReason: z.string().optional(),
  lossComment: z.string().max(MAX_LOSS_COMMENT).optional(),
  /** The deal's version this move made (imported moves: the version of the import's change, shared by its moves). */
  dealVersion: z.number().int(),
  source: StageMoveSource,
  /** The process the move started (the stage's `onEnter`), when it starts one: not for imported or merged moves. */
  process: z.string().optional(),
});
export type StageMove = z.infer<typeof StageMove>;

/**
 * The columns of a stage history file (`POST /api/imports?type=stage-moves`), one move a row:
 * the deal (its id, or its name when one deal has it), its pipeline (key or label; the deal's
 * own when empty), from (empty: the first move, the deal's creation), to, at (ISO date or date
 * and time), by (a user's e-mail or sub; the importer when empty), amount (a number in the
 * deal's currency), lossReason (key or label; required into a lost stage). A deal's moves
 * are taken in the order of `at`; the deal ends in the stage of its last one.
 */
export const STAGE_MOVE_COLUMNS = ['deal', 'pipeline', 'from', 'to', 'at', 'by', 'amount', 'lossReason', 'lossComment'] as const;
export type StageMoveColumn = (typeof STAGE_MOVE_COLUMNS)[number];

/**
 * Rows a stage history file may have (the body's bytes are the gateway's limit, as a records
 * import's inline file): imported before the answer, a deal's moves and its change in one
 * transaction, as many deals as a request's work budget allows (the rest answered `later`: the
 * file is sent again). A larger history goes in several files, each deal's moves in one of them.
 */
export const MAX_STAGE_MOVE_ROWS = 5_000;
/** Moves one deal may have in a file: they are written in one transaction with the deal (100 items). */
export const MAX_MOVES_PER_DEAL = 90;

/** The answer of a stage history import: moves written, deals changed, and each refused row with why (a deal with one is not imported). */
export const StageMoveImport = z.object({
  moves: z.number().int(),
  deals: z.number().int(),
  /** Moves of the file already imported (a file sent again): not written twice. */
  known: z.number().int(),
  refused: z.array(z.object({ line: z.number().int(), path: z.string(), message: z.string() })),
  /**
   * Deals of the file this request did not get to (its work budget, records/work-budget.ts):
   * send the same file again, until none are left; what is written is known, not written twice.
   */
  later: z.number().int(),
});
export type StageMoveImport = z.infer<typeof StageMoveImport>;

/**
 * The query of a record's PATCH: `source=board` when the change is a drag on the board, so that
 * a move it makes says so (the grid's and the API's are `update`).
 */
export const RecordPatchQuery = z.strictObject({ source: z.enum(['board']).optional() });

/** A page of one deal's moves, oldest first (`GET /api/deals/{id}/stage-moves`, the deal card's timeline). */
export const MAX_STAGE_MOVE_PAGE = 500;
export const StageMoveQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_STAGE_MOVE_PAGE).optional(),
  /** The `nextCursor` of the page before. */
  after: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9A-Z]{26}#\d{10}$/, 'must be the nextCursor of a page before').optional(),
});
export type StageMoveQuery = z.infer<typeof StageMoveQuery>;
export const StageMovePage = z.object({ items: z.array(StageMove), nextCursor: z.string().optional() });
export type StageMovePage = z.infer<typeof StageMovePage>;
