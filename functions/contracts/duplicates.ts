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

/** Ids named per duplicate group: a domain shared by every company of a large tenant is one group of them all. */
export const MAX_GROUP_IDS = 1_000;

/** GET /api/{plural}/duplicates: groups of records sharing a key. */
export const DuplicateGroupsResponse = z.object({
  /** Each group's first 1,000 ids (MAX_GROUP_IDS); `count`: how many records share the key. */
  items: z.array(z.object({ key: DuplicateKey, ids: z.array(z.string()), count: z.number().int() })),
  /** More groups than one answer holds (4 MiB): merge some and ask again. */
  more: z.boolean().optional(),
});
export type DuplicateGroupsResponse = z.infer<typeof DuplicateGroupsResponse>;

/** Records named in a merge's answer: a company with 100,000 contacts moves them all, and the answer would name each. */
export const MAX_MOVED_LISTED = 100;

export const MergeResponse = z.object({
  record: z.object({ id: z.string(), version: z.number() }).catchall(z.unknown()),
  mergedId: z.string(),
  /** The records whose relations now point at the survivor, of those the caller may see: the first 100 (MAX_MOVED_LISTED) of them. */
  moved: z.array(z.object({ type: z.string(), id: z.string() })),
  /** How many records the caller may see the merge moved, listed or not. */
  movedCount: z.number().int(),
  /** How many records the caller may not see were moved too (never named). */
  movedHidden: z.number().int().min(0),
});
export type MergeResponse = z.infer<typeof MergeResponse>;
