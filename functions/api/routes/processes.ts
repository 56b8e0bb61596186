/**
 * Processes over HTTP: a start on a record (`POST /api/{plural}/{id}/processes`, for the types a
 * process starts on, by a role that may start it), the quick sale's configuration, the monitor's
 * processes (diagram and counts), the tenant's instances (newest first, filtered, paged), one of
 * them, its timeline, and what a person does to one (cancel with a reason, retry a failed one).
 * Instances are read from their items, in the caller's process and record scope
 * (processes/instances.ts).
 */
import { CancelInstanceBody, InstanceId, InstanceListQuery, PROCESS_INFOS, StartProcessBody, TimelineQuery, type InstancePage, type ProcessInstance, type ProcessList, type TimelinePage } from '../../contracts/processes.ts';
import { assertMayStart } from '../../access/permissions.ts';
import { cancelInstance, retryInstance } from '../../processes/instance-actions.ts';
import { InstanceNotFoundError, listInstances, visibleInstance } from '../../processes/instances.ts';
import { instanceTimeline } from '../../processes/instance-timeline.ts';
import { processOverviews } from '../../processes/process-overview.ts';
import { startProcess } from '../../processes/start-process.ts';
import { putQuickSaleConfig, quickSaleConfig } from '../../processes/quick-sale-config.ts';
import { PutQuickSaleConfigBody, type QuickSaleConfig } from '../../contracts/quick-sale.ts';
import { RECORD_TYPES, type RecordTypeSpec } from '../../records/record-types.ts';
import { json, readBody, readQuery } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { access } from '../route-access.ts';
import { recordId } from './records.ts';

/** The record types some process starts on: only these have a start route. */
export const PROCESS_SUBJECT_TYPES: readonly RecordTypeSpec[] = RECORD_TYPES.filter((type) => PROCESS_INFOS.some((info) => (info.startsOn as readonly string[]).includes(type.name)));

export function startProcessRoute(type: RecordTypeSpec): Route {
  return {
    method: 'POST',
    path: `/api/${type.plural}/{id}/processes`,
    // A process works the record: who may change it may start one on it.
    access: access.record({ action: 'update', type }),
    handle: async (request) => {
      const body = readBody(request.event, StartProcessBody);
      // The role says who starts which process (roles' `processes`).
      assertMayStart(request.principal, body.process);
      const instance = await startProcess(request.principal, type, recordId(request), body);
      return json(201, instance satisfies ProcessInstance, { location: `/api/processes/instances/${instance.id}` });
    },
  };
}

const UNSEEN = 'an instance outside the caller\'s process or record scope does not exist for them';

/** The path's instance id; one that cannot be an instance's is none (404). */
function instanceIdOf(request: ApiRequest): string {
  if (!InstanceId.safeParse(request.params.id).success) throw new InstanceNotFoundError(request.params.id);
  return request.params.id;
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

const SCOPED = 'instances outside the caller\'s process scope, or whose subject record is outside their record scope, are left out';

export const instanceRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/processes',
    access: access.signedIn('the processes the caller\'s role starts or sees; counts are numbers of the tenant\'s instances, never instances'),
    handle: async (request) => json(200, (await processOverviews(request.principal)) satisfies ProcessList),
  },
  {
    method: 'GET',
    path: '/api/processes/instances',
    access: access.signedIn(SCOPED),
    handle: async (request) => json(200, (await listInstances(request.principal, readQuery(request.event, InstanceListQuery))) satisfies InstancePage),
  },
  {
    method: 'GET',
    path: '/api/processes/instances/{id}',
    access: access.signedIn(UNSEEN),
    handle: async (request) => json(200, (await visibleInstance(request.principal, instanceIdOf(request))) satisfies ProcessInstance),
  },
  {
    method: 'POST',
    path: '/api/processes/instances/{id}/cancel',
    access: access.signedIn(`${UNSEEN}; acting on it needs update on that record and the role's start of the process (403)`),
    handle: async (request) => json(200, (await cancelInstance(request.principal, instanceIdOf(request), readBody(request.event, CancelInstanceBody).reason)) satisfies ProcessInstance),
  },
  {
    method: 'POST',
    path: '/api/processes/instances/{id}/retry',
    access: access.signedIn(`${UNSEEN}; acting on it needs update on that record and the role's start of the process (403)`),
    handle: async (request) => json(200, (await retryInstance(request.principal, instanceIdOf(request))) satisfies ProcessInstance),
  },
  {
    method: 'GET',
    path: '/api/processes/instances/{id}/timeline',
    access: access.signedIn('the timeline of an instance the caller sees; any other does not exist for them'),
    handle: async (request) => {
      const id = instanceIdOf(request);
      return json(200, (await instanceTimeline(request.principal, id, readQuery(request.event, TimelineQuery))) satisfies TimelinePage);
    },
  },
];
