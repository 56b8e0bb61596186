import { RestoreBody, TrashBody } from '../../contracts/trash.ts';
import { restoreRecords, trashRecords, type RecordAt } from '../../records/trash.ts';
import type { Principal } from '../../access/permissions.ts';
import { json, readBody } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';
import { answerOncePerKey } from '../idempotent-answer.ts';
import { recordsOnce } from '../records-once.ts';

/** A POST of up to 1,000 records (of any types), one result per record, in order: 200 even when some are refused. */
const manyRecordsRoute = (path: string, body: typeof TrashBody, move: (principal: Principal, items: RecordAt[], request?: string) => Promise<object[]>): Route => ({
  method: 'POST',
  path,
  access: access.signedIn('records of types the role may not delete are refused one by one, records outside its scope do not exist'),
  handle: async (request) => {
    const parsed = readBody(request.event, body);
    // With an idempotency key, the first answer is the answer to every copy.
    return answerOncePerKey(request, parsed, async () => json(200, recordsOnce(await move(request.principal, parsed.items, parsed.idempotencyKey))));
  },
});

/**
 * POST /api/trash: records to the trash, each as `DELETE /api/{plural}/{id}` would (TrashResponse).
 * A record of a type the role may not delete is `forbidden`; one outside the caller's scope, or
 * of no type at all, is `notFound`, as a record that does not exist.
 */
export const trashRoute = manyRecordsRoute('/api/trash', TrashBody, trashRecords);

/** POST /api/trash/restore: records back, each as `POST /api/{plural}/{id}/restore?version=` would (RestoreResponse). */
export const restoreRoute = manyRecordsRoute('/api/trash/restore', RestoreBody, restoreRecords);
