import { SearchQuery, type SearchResponse } from '../../contracts/search.ts';
import { searchRecords } from '../../search/search-records.ts';
import { RECORD_TYPES, recordTypeNamed } from '../../records/record-types.ts';
import { HttpError, json, readQuery } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';
import { can } from '../../access/permissions.ts';

/** GET /api/search?q=: records whose name, e-mail, phone or domain starts with `q`. */
export const searchRoute: Route = {
  method: 'GET',
  path: '/api/search',
  access: access.signedIn('only types the role reads, only records in its scope'),
  handle: async ({ event, principal }) => {
    const query = readQuery(event, SearchQuery);
    const named = query.types === undefined ? RECORD_TYPES : query.types.split(',').map((name) => recordTypeNamed(name.trim()) ?? unknownType(name));
    const types = named.filter((type) => can(principal, 'read', type.name));
    return json(200, { items: await searchRecords(principal, query.q, types, query.limit ?? 20) } satisfies SearchResponse);
  },
};

function unknownType(name: string): never {
  throw new HttpError(400, 'ValidationFailed', `there is no record type ${name}`, { issues: [{ path: 'query.types', message: `has no record type ${name}` }] });
}
