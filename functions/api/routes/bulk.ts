import { BulkBody, type BulkResponse, type CellAnswer } from '../../contracts/bulk.ts';
import { applyCellChanges } from '../../bulk/apply-cell-changes.ts';
import { assertCan, assertWritable, ForbiddenError } from '../../access/permissions.ts';
import { recordTypeNamed } from '../../records/record-types.ts';
import { json, readBody } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { access } from '../route-access.ts';
import { actorOf } from './records.ts';
import { answerOncePerKey } from '../idempotent-answer.ts';
import { recordsOnce } from '../records-once.ts';

/**
 * POST /api/bulk: up to 1,000 cell changes, one transaction per record, one result per cell
 * (200 even when some are refused). A cell the role may not change (its type, or a read-only
 * field) is refused with the reason; one of a record outside the caller's scope is answered as
 * one of a record that does not exist (the domain reads records as the caller). With an
 * idempotency key, the first answer is the answer to every copy (idempotent-answer.ts).
 */
export const bulkRoute: Route = {
  method: 'POST',
  path: '/api/bulk',
  access: access.signedIn('cells of types or fields the role may not change are refused one by one, records outside its scope do not exist'),
  handle: async (request) => {
    const body = readBody(request.event, BulkBody);
    return answerOncePerKey(request, body, async () => json(200, recordsOnce(await applyPermitted(request, body)) satisfies BulkResponse));
  },
};

/** One result per change: those the role may not make refused here, the rest applied by the domain. */
async function applyPermitted(request: ApiRequest, { changes, idempotencyKey }: BulkBody): Promise<CellAnswer[]> {
  const results: CellAnswer[] = new Array(changes.length);
  const allowed = changes.flatMap((change, index) => {
    // An unknown type is the domain's to answer (`invalid`, no such type).
    if (!recordTypeNamed(change.type)) return [{ change, index }];
    try {
      assertCan(request.principal, 'update', change.type);
      assertWritable(request.principal, change.type, [change.field]);
      return [{ change, index }];
    } catch (err) {
      if (!(err instanceof ForbiddenError)) throw err;
      results[index] = { status: 'invalid', reason: `forbidden: ${err.message}` };
      return [];
    }
  });
  const applied = allowed.length ? await applyCellChanges(actorOf(request), allowed.map(({ change }) => change), idempotencyKey) : [];
  allowed.forEach(({ index }, i) => (results[index] = applied[i]));
  return results;
}
