/**
 * POST /api/trash: many records moved to the trash at once (rows deleted in the grid). Each
 * record names the version the client saw and gets its own result; the same move as
 * `DELETE /api/{plural}/{id}` (restorable for 30 days). POST /api/trash/restore brings many back
 * the same way, each at its trashed version (Undo of a deletion, the trash's Restore selected).
 */
import { z } from 'zod';
import { RecordId } from './values.ts';
import { IdempotencyKey } from './bulk.ts';
import { RecordsById } from './record.ts';

export const MAX_TRASH_ITEMS = 1000;

export const TrashItem = z.strictObject({
  /** The record type, singular: `company`. */
  type: z.string().min(1).max(50),
  id: RecordId,
  /** The version of the record the client saw. */
  version: z.number().int().positive(),
});
export type TrashItem = z.infer<typeof TrashItem>;

export const TrashBody = z.strictObject({
  /** With it, a retry (or a concurrent copy) of this request gets exactly the first answer. */
  idempotencyKey: IdempotencyKey.optional(),
  items: z.array(TrashItem).min(1, 'must hold at least one record').max(MAX_TRASH_ITEMS, `must hold at most ${MAX_TRASH_ITEMS} records`),
});
export type TrashBody = z.infer<typeof TrashBody>;

export const TrashResult = z.discriminatedUnion('status', [
  /** In the trash; `version` is the trashed record's (a restore may name it). */
  z.object({ status: z.literal('ok'), version: z.number().int().positive() }),
  /** Not moved: the record is at another version than the one sent, `version`; `records[id]` is it now. */
  z.object({ status: z.literal('conflict'), version: z.number().int().positive() }),
  /** Not moved: the caller's role may not delete records of the type; `reason` says so. */
  z.object({ status: z.literal('forbidden'), reason: z.string() }),
  /** No such live record (in the trash already, never was, or outside the caller's scope). */
  z.object({ status: z.literal('notFound') }),
  /** Not tried: the request's work budget (records of 8 MiB or 10 s, functions/records/work-budget.ts) went to the items before it; send it again. */
  z.object({ status: z.literal('later') }),
]);
export type TrashResult = z.infer<typeof TrashResult>;

/** One result per item, in the order of the items; the records of conflicts once each. */
export const TrashResponse = z.object({ results: z.array(TrashResult), records: RecordsById });
export type TrashResponse = z.infer<typeof TrashResponse>;

/** Restoring many: the same body, each `version` the trashed record's (what `POST /api/trash` answered). */
export const RestoreBody = TrashBody;
export type RestoreBody = TrashBody;

export const RestoreResult = z.discriminatedUnion('status', [
  /** Back from the trash at `version`; `records[id]` is it now (as a GET shows it). */
  z.object({ status: z.literal('ok'), version: z.number().int().positive() }),
  /** Not restored: the record is in the trash at another version, `version`; `records[id]` is it. */
  z.object({ status: z.literal('conflict'), version: z.number().int().positive() }),
  /** Not restored: the record is live at `version` (someone restored it meanwhile); `records[id]` is it. */
  z.object({ status: z.literal('notInTrash'), version: z.number().int().positive() }),
  /** Not restored: the caller's role may not delete (nor so restore) records of the type; `reason` says so. */
  z.object({ status: z.literal('forbidden'), reason: z.string() }),
  /** No such record (purged, never was, outside the caller's scope, or no such type). */
  z.object({ status: z.literal('notFound') }),
  /** Not tried: the request's work budget (records of 8 MiB or 10 s, functions/records/work-budget.ts) went to the items before it; send it again. */
  z.object({ status: z.literal('later') }),
]);
export type RestoreResult = z.infer<typeof RestoreResult>;

/** One result per item, in the order of the items; the records restored or in the way once each. */
export const RestoreResponse = z.object({ results: z.array(RestoreResult), records: RecordsById });
export type RestoreResponse = z.infer<typeof RestoreResponse>;
