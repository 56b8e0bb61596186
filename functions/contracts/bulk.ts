/**
 * POST /api/bulk: many cell changes at once (a paste into the grid). Changes of one record are
 * applied together in one transaction; each cell gets its own result.
 */
import { z } from 'zod';
import { RecordId } from './values.ts';
import { RecordsById } from './record.ts';

export const MAX_CELL_CHANGES = 1000;

export const CellChange = z.strictObject({
  /** The record type, singular: `company`. */
  type: z.string().min(1).max(50),
  id: RecordId,
  /** The version of the record the client saw. */
  version: z.number().int().positive(),
  field: z.string().min(1).max(100),
  /** The new value; null clears the field. */
  value: z.unknown(),
});
export type CellChange = z.infer<typeof CellChange>;

/** Names a request so that a retry, or a copy sent at once, gets the first answer (api/idempotent-answer.ts). */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'must be 8 to 100 letters, digits, - or _');

export const BulkBody = z.strictObject({
  /**
   * Names the request: a retry or a concurrent copy gets exactly the first answer, and the key
   * with another body is refused (422). Any unique string per request (a ULID or UUID);
   * optional, since versions alone already stop a double apply.
   */
  idempotencyKey: IdempotencyKey.optional(),
  changes: z.array(CellChange).min(1, 'must hold at least one change').max(MAX_CELL_CHANGES, `must hold at most ${MAX_CELL_CHANGES} changes`),
});
export type BulkBody = z.infer<typeof BulkBody>;

export const CellResult = z.discriminatedUnion('status', [
  /** Applied; `version` is the record's version that holds it. */
  z.object({ status: z.literal('ok'), version: z.number().int().positive() }),
  /** Not applied: the record is at another version than the one sent, `version`; `records[id]` is it now. */
  z.object({ status: z.literal('conflict'), version: z.number().int().positive() }),
  /** Not applied: the value (or the field, type or record) is refused, for `reason`. */
  z.object({ status: z.literal('invalid'), reason: z.string() }),
  /** Not tried: the request's work budget (records of 8 MiB or 10 s, functions/records/work-budget.ts) went to the records before this one; send it again. */
  z.object({ status: z.literal('later') }),
]);
export type CellResult = z.infer<typeof CellResult>;

/** One result per change, in the order of the changes; the records of conflicts once each. */
export const BulkResponse = z.object({ results: z.array(CellResult), records: RecordsById });
export type BulkResponse = z.infer<typeof BulkResponse>;

/** A cell's result with the record of a conflict in it, once the cell was tried: what the grid works with. */
export type CellOutcome = Exclude<CellResult, { status: 'conflict' | 'later' }> | { status: 'conflict'; version: number; current: Record<string, unknown> };
/** What the domain answers per cell: its outcome, or `later` when the request's work budget ran out before its record. */
export type CellAnswer = CellOutcome | Extract<CellResult, { status: 'later' }>;
