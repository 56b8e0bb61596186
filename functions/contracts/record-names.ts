import { z } from 'zod';
import { RecordId } from './values.ts';

/** How a related record the caller may not see (or that is gone) is shown: never its name, never its id. */
export const HIDDEN_RECORD = 'Hidden record';

/** At most this many ids per request: one screenful of relation cells, two BatchGetItems. */
export const MAX_NAME_IDS = 200;

/** GET /api/{plural}/names?ids=a,b,c */
export const RecordNamesQuery = z.strictObject({
  ids: z
    .string()
    .min(1, 'is required')
    .transform((ids) => ids.split(','))
    .pipe(z.array(RecordId).min(1).max(MAX_NAME_IDS, `at most ${MAX_NAME_IDS} ids`)),
});

/**
 * At most this many ids per POST: a view sorted or searched by a relation column needs the names
 * of every id in it (20,000 distinct ids are 20 requests), and ten BatchGetItems stay well
 * within a request's time.
 */
export const MAX_NAME_IDS_PER_POST = 1_000;

/** POST /api/{plural}/names `{ids}`: the same answer as the GET, for many ids at once. */
export const RecordNamesBody = z.strictObject({
  ids: z.array(RecordId).min(1, 'is required').max(MAX_NAME_IDS_PER_POST, `at most ${MAX_NAME_IDS_PER_POST} ids`),
});
export type RecordNamesBody = z.infer<typeof RecordNamesBody>;

/**
 * The names of the records the caller may see, in the order asked. An id the caller may not see
 * (outside their scope, a type their role does not read, trashed, or no record at all) is left
 * out, so the answer never tells those apart; the UI shows such an id as a hidden record.
 */
export const RecordNamesResponse = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });
export type RecordNamesResponse = z.infer<typeof RecordNamesResponse>;

/**
 * At most this many names per lookup: a paste of a column of names from a spreadsheet, each
 * distinct unknown name once (the grid sends more in several requests).
 */
export const MAX_LOOKUP_NAMES = 1_000;

/** POST /api/{plural}/ids-by-name `{names}`: the records these names stand for, as a paste reads them. */
export const IdsByNameBody = z.strictObject({
  names: z
    .array(z.string().trim().min(1, 'is empty').max(1_000, 'at most 1000 characters'))
    .min(1, 'is required')
    .max(MAX_LOOKUP_NAMES, `at most ${MAX_LOOKUP_NAMES} names`),
});
export type IdsByNameBody = z.infer<typeof IdsByNameBody>;

/**
 * Records named per name in an answer: a paste needs one, or to know there are several; 1,000
 * names each matching every record of a tenant of 100,000 namesakes would answer them all 1,000 times.
 */
export const MAX_RECORDS_PER_NAME = 10;

/**
 * Per name asked, in order: the records of the type the caller may see whose name it is (exactly,
 * case, accents and runs of spaces aside), none, one or several (the first 10, MAX_RECORDS_PER_NAME;
 * `count` says how many); with their names as stored, so the cell shows them at once. Records
 * out of the caller's scope are never among them, nor counted.
 */
export const IdsByNameResponse = z.object({
  items: z.array(z.object({ name: z.string(), records: z.array(z.object({ id: z.string(), name: z.string() })), count: z.number().int() })),
});
export type IdsByNameResponse = z.infer<typeof IdsByNameResponse>;
