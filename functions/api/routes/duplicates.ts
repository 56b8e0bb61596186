/**
 * Duplicates of the types that have duplicate keys (contacts, companies): the likely duplicates
 * of one record, the groups across the tenant, and merging two records into one.
 */
import { MAX_GROUP_IDS, MAX_MOVED_LISTED, MergeBody, type DuplicateGroupsResponse, type MergeResponse } from '../../contracts/duplicates.ts';
import { duplicateGroups, duplicatesOf } from '../../duplicates/find-duplicates.ts';
import { mergeRecords } from '../../duplicates/merge.ts';
import { getRecord } from '../../records/repository.ts';
import { recordSchemaFor } from '../../records/record-schema.ts';
import type { RecordTypeSpec } from '../../records/record-types.ts';
import { json, readBody } from '../http.ts';
import type { Route } from '../router.ts';
import { actorOf, recordId } from './records.ts';
import { access } from '../route-access.ts';
import { withinBudget } from '../records-once.ts';

export function duplicateRoutes(type: RecordTypeSpec): Route[] {
  if (type.duplicates.length === 0) return [];
  const basePath = `/api/${type.plural}`;
  return [
    {
      // Before the record routes: `duplicates` is not a record id.
      method: 'GET',
      path: `${basePath}/duplicates`,
      access: access.records({ action: 'read', type }),
      handle: async (request) => {
        const groups = (await duplicateGroups(actorOf(request), type.key)).map(({ key, ids }) => ({ key, ids: ids.slice(0, MAX_GROUP_IDS), count: ids.length }));
        const { kept, cut } = withinBudget(groups);
        return json(200, { items: kept, ...(cut ? { more: true } : {}) } satisfies DuplicateGroupsResponse);
      },
    },
    {
      method: 'GET',
      path: `${basePath}/{id}/duplicates`,
      access: access.record({ action: 'read', type }),
      handle: async (request) => {
        const schema = await recordSchemaFor(request.caller.tenant, type);
        const { kept, cut } = withinBudget(await duplicatesOf(actorOf(request), schema, recordId(request)));
        return json(200, { items: kept, ...(cut ? { more: true } : {}) });
      },
    },
    {
      method: 'POST',
      path: `${basePath}/{id}/merge`,
      // The other record goes to the trash.
      access: access.record({ action: 'update', type }, { action: 'delete', type }),
      handle: async (request) => {
        const id = recordId(request);
        // A record that is not there is a 404 whatever the body, as on every route that names one.
        await getRecord(actorOf(request), type.key, id);
        const schema = await recordSchemaFor(request.caller.tenant, type);
        const { moved, ...merged } = await mergeRecords(actorOf(request), schema, id, readBody(request.event, MergeBody));
        return json(200, { ...merged, moved: moved.slice(0, MAX_MOVED_LISTED), movedCount: moved.length } satisfies MergeResponse);
      },
    },
  ];
}
