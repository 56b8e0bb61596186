/** Duplicates and merging: what a client sends and gets back (see functions/duplicates/). */
import { z } from 'zod';
import { RecordId } from './values.ts';

/**
 * POST /api/{plural}/{id}/merge: `{id}` survives, `otherId` goes to the trash. Both versions are
 * the ones the client compared. `pick` says, per field, whose value the survivor keeps; a field
 * not named keeps the survivor's value, or takes the other's where the survivor has none, and
 * lists (e-mails, phones, companies, tags) are joined.
 */
export const MergeBody = z.strictObject({
  otherId: RecordId,
  version: z.number().int().positive(),
  otherVersion: z.number().int().positive(),
  pick: z.record(z.string().min(1).max(100), z.enum(['this', 'other'])).optional(),
});
export type MergeBody = z.infer<typeof MergeBody>;

export const DuplicateKey = z.object({ field: z.string(), value: z.string() });

/** GET /api/{plural}/{id}/duplicates */
export const DuplicatesResponse = z.object({
  items: z.array(z.object({ record: z.object({ id: z.string(), version: z.number() }).catchall(z.unknown()), keys: z.array(DuplicateKey) })),
  /** More duplicates than one answer holds (at most 4 MiB of records): those of the group (GET /api/{plural}/duplicates) name them all. */
  more: z.boolean().optional(),
});

/** GET /api/{plural}/duplicates: groups of records sharing a key. */
export const DuplicateGroupsResponse = z.object({ items: z.array(z.object({ key: DuplicateKey, ids: z.array(z.string()) })) });

export const MergeResponse = z.object({
  record: z.object({ id: z.string(), version: z.number() }).catchall(z.unknown()),
  mergedId: z.string(),
  /** The records whose relations now point at the survivor, of those the caller may see. */
  moved: z.array(z.object({ type: z.string(), id: z.string() })),
  /** How many records the caller may not see were moved too (never named). */
  movedHidden: z.number().int().min(0),
});
export type MergeResponse = z.infer<typeof MergeResponse>;
