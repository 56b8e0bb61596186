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
    const { items, cursor, more } = await changesAfter(principal.tenant, query.after, query.limit ?? 200);
    // A type the role cannot read has no owner in scope; the cursor moves past entries left
    // out, so a poller never asks for them again.
    // A record handed out of the caller's scope is reported to them too, so their grid drops it.
    const seen = (entry: (typeof items)[number]) => inScope(principal, entry.type, entry) || (entry.previousOwner !== undefined && inScope(principal, entry.type, { owner: entry.previousOwner }));
    return json(200, { items: items.filter(seen), cursor, more } satisfies ChangesResponse);
  },
};
