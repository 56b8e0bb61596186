import { IdsByNameBody, MAX_RECORDS_PER_NAME, RecordNamesBody, RecordNamesQuery, type IdsByNameResponse, type RecordNamesResponse } from '../../contracts/record-names.ts';
import { recordNames } from '../../records/record-names.ts';
import type { RecordTypeSpec } from '../../records/record-types.ts';
import { recordsByName } from '../../views/records-by-name.ts';
import { json, readBody, readQuery } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { access } from '../route-access.ts';
import { actorOf } from './records.ts';

/** Open to any user; what the caller may not see is left out, not refused. */
const NAMES_ACCESS = access.signedIn('only records the role reads and has in scope; the rest are left out');

/**
 * The names behind relation cells. Open to any user: a contact's companies are shown to someone
 * who may not read those companies, as hidden records (left out of the answer), not as a refused
 * request. GET /api/{plural}/names?ids= for the cells on screen; POST with `{ids}` in the body for
 * the names of a whole column (a view sorted, filtered, grouped or searched by it).
 * POST /api/{plural}/ids-by-name `{names}` the other way, for names pasted into relation cells:
 * the records in the caller's scope each name matches (a name matching nothing tells nothing of
 * records out of scope).
 */
export function recordNamesRoutes(type: RecordTypeSpec): Route[] {
  const path = `/api/${type.plural}/names`;
  const names = async (request: ApiRequest, ids: readonly string[]) => json(200, { items: await recordNames(actorOf(request), type, ids) } satisfies RecordNamesResponse);
  return [
    {
      method: 'GET',
      path,
      access: NAMES_ACCESS,
      handle: async (request) => names(request, readQuery(request.event, RecordNamesQuery).ids),
    },
    {
      method: 'POST',
      path,
      access: NAMES_ACCESS,
      handle: async (request) => names(request, readBody(request.event, RecordNamesBody).ids),
    },
    {
      method: 'POST',
      path: `/api/${type.plural}/ids-by-name`,
      access: NAMES_ACCESS,
      handle: async (request) => {
        const { names: asked } = readBody(request.event, IdsByNameBody);
        const named = await recordsByName(actorOf(request), type.key);
        const items = asked.map((name) => {
          const records = named(name);
          return { name, records: records.slice(0, MAX_RECORDS_PER_NAME).map(({ id, name }) => ({ id, name })), count: records.length };
        });
        return json(200, { items } satisfies IdsByNameResponse);
      },
    },
  ];
}
