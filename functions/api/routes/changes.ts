import { ChangesQuery, type ChangesResponse } from '../../contracts/record.ts';
import { changesAfter } from '../../changes/feed.ts';
import { json, readQuery } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';
import { inScope } from '../../records/repository.ts';

/** GET /api/changes?after=CURSOR: what grids poll to stay current. */
export const changesRoute: Route = {
  method: 'GET',
  path: '/api/changes',
  access: access.signedIn('entries of types the role cannot read, or of records outside its scope, are left out'),
  handle: async ({ event, principal }) => {
    const query = readQuery(event, ChangesQuery);
    const { items, cursor } = await changesAfter(principal.tenant, query.after, query.limit ?? 200);
    // A type the role cannot read has no owner in scope; the cursor moves past entries left
    // out, so a poller never asks for them again.
    return json(200, { items: items.filter((entry) => inScope(principal, entry.type, entry)), cursor } satisfies ChangesResponse);
  },
};
