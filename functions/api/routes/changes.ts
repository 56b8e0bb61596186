import { ChangesQuery, type ChangesResponse } from '../../contracts/record.ts';
import { changesAfter } from '../../changes/feed.ts';
import { json, readQuery } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';

/** GET /api/changes?after=CURSOR: what grids poll to stay current. */
export const changesRoute: Route = {
  method: 'GET',
  path: '/api/changes',
  access: access.signedIn('entries of types the role cannot read, or of records outside its scope, are left out'),
  handle: async ({ event, principal }) => {
    const query = readQuery(event, ChangesQuery);
    return json(200, (await changesAfter(principal, query.after, query.limit ?? 200)) satisfies ChangesResponse);
  },
};
