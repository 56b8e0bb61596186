import { z } from 'zod';
import { RecordId } from './values.ts';

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
 * The names of the records the caller may see, in the order asked. An id the caller may not see
 * (outside their scope, a type their role does not read, trashed, or no record at all) is left
 * out, so the answer never tells those apart; the UI shows such an id as a hidden record.
 */
export const RecordNamesResponse = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });
export type RecordNamesResponse = z.infer<typeof RecordNamesResponse>;
