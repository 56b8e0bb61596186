/**
 * Process instances over HTTP: a start on a record (`POST /api/{plural}/{id}/processes`, for the
 * types a process starts on), the tenant's instances (newest first, filtered, paged) and one of
 * them; the quick sale's configuration. Instances are read from their items, in the caller's record scope (processes/instances.ts).
 */
import { InstanceId, InstanceListQuery, PROCESS_INFOS, StartProcessBody, type InstancePage, type ProcessInstance } from '../../contracts/processes.ts';
import { InstanceNotFoundError, listInstances, visibleInstance } from '../../processes/instances.ts';
import { startProcess } from '../../processes/start-process.ts';
import { putQuickSaleConfig, quickSaleConfig } from '../../processes/quick-sale-config.ts';
import { PutQuickSaleConfigBody, type QuickSaleConfig } from '../../contracts/quick-sale.ts';
import { RECORD_TYPES, type RecordTypeSpec } from '../../records/record-types.ts';
import { json, readBody, readQuery } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';
import { actorOf, recordId } from './records.ts';

/** The record types some process starts on: only these have a start route. */
export const PROCESS_SUBJECT_TYPES: readonly RecordTypeSpec[] = RECORD_TYPES.filter((type) => PROCESS_INFOS.some((info) => (info.startsOn as readonly string[]).includes(type.name)));

export function startProcessRoute(type: RecordTypeSpec): Route {
  return {
    method: 'POST',
    path: `/api/${type.plural}/{id}/processes`,
    // A process works the record: who may change it may start one on it.
    access: access.record({ action: 'update', type }),
    handle: async (request) => {
      const instance = await startProcess(request.principal, type, recordId(request), readBody(request.event, StartProcessBody));
      return json(201, instance satisfies ProcessInstance, { location: `/api/processes/instances/${instance.id}` });
    },
  };
}

/** The quick sale's configuration: read by anyone of the tenant (a start form shows its steps), changed by an administrator. */
export const processConfigRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/processes/quick-sale/config',
    access: access.signedIn("the tenant's configuration of the quick sale (steps, teams, forms), no secrets"),
    handle: async ({ principal }) => json(200, (await quickSaleConfig(principal.tenant)) satisfies QuickSaleConfig),
  },
  {
    method: 'PUT',
    path: '/api/processes/quick-sale/config',
    access: access.administer,
    handle: async (request) => json(200, (await putQuickSaleConfig(request.principal, readBody(request.event, PutQuickSaleConfigBody))) satisfies QuickSaleConfig),
  },
];

export const instanceRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/processes/instances',
    access: access.signedIn('instances whose subject record is outside the caller\'s scope are left out'),
    handle: async (request) => json(200, (await listInstances(actorOf(request), readQuery(request.event, InstanceListQuery))) satisfies InstancePage),
  },
  {
    method: 'GET',
    path: '/api/processes/instances/{id}',
    access: access.signedIn('an instance whose subject record is outside the caller\'s scope does not exist for them'),
    handle: async (request) => {
      if (!InstanceId.safeParse(request.params.id).success) throw new InstanceNotFoundError(request.params.id);
      return json(200, (await visibleInstance(actorOf(request), request.params.id)) satisfies ProcessInstance);
    },
  },
];
