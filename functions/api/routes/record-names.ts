import { RecordNamesQuery, type RecordNamesResponse } from '../../contracts/record-names.ts';
import { recordNames } from '../../records/record-names.ts';
import type { RecordTypeSpec } from '../../records/record-types.ts';
import { json, readQuery } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';
import { actorOf } from './records.ts';

/**
 * GET /api/{plural}/names?ids=: the names behind relation cells. Open to any user: a contact's
 * companies are shown to someone who may not read those companies, as hidden records (left out
 * of the answer), not as a refused request.
 */
export function recordNamesRoute(type: RecordTypeSpec): Route {
  return {
    method: 'GET',
    path: `/api/${type.plural}/names`,
    access: access.signedIn('only records the role reads and has in scope; the rest are left out'),
    handle: async (request) => {
      const { ids } = readQuery(request.event, RecordNamesQuery);
      return json(200, { items: await recordNames(actorOf(request), type, ids) } satisfies RecordNamesResponse);
    },
  };
}
