import { BulkBody, type BulkResponse } from '../../contracts/bulk.ts';
import { applyCellChanges } from '../../bulk/apply-cell-changes.ts';
import { json, readBody } from '../http.ts';
import type { Route } from '../router.ts';
import { actorOf } from './records.ts';

/** POST /api/bulk: up to 1,000 cell changes, one transaction per record, one result per cell (200 even when some are refused). */
export const bulkRoute: Route = {
  method: 'POST',
  path: '/api/bulk',
  handle: async (request) => {
    const { changes, idempotencyKey } = readBody(request.event, BulkBody);
    return json(200, { results: await applyCellChanges(actorOf(request), changes, idempotencyKey) } satisfies BulkResponse);
  },
};
