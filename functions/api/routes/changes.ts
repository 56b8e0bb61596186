import { ChangesQuery, type ChangesResponse } from '../../contracts/record.ts';
import { changesAfter } from '../../changes/feed.ts';
import { json, readQuery } from '../http.ts';
import type { Route } from '../router.ts';

/** GET /api/changes?after=CURSOR: what grids poll to stay current. */
export const changesRoute: Route = {
  method: 'GET',
  path: '/api/changes',
  handle: async ({ event, caller }) => {
    const query = readQuery(event, ChangesQuery);
    return json(200, (await changesAfter(caller.tenant, query.after, query.limit ?? 200)) satisfies ChangesResponse);
  },
};
