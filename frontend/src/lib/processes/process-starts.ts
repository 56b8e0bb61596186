/**
 * Starting processes, as the record card and the grid do: which processes start on a record type
 * (`PROCESS_INFOS`, shared with the server), a start on a record (`POST /api/{plural}/{id}/processes`,
 * once per idempotency key), and a record's instances (`GET /api/processes/instances?subject=`).
 * (The monitor's calls are processes-api.ts's.)
 */
import { InstancePage, PROCESS_INFOS, ProcessInstance, type ProcessName, type StartProcessBody } from '$contracts/processes.ts';
import type { ApiClient } from '../api/api-client.ts';
import type { UiRecordType } from '../records/record-types.ts';

export type ProcessInfo = (typeof PROCESS_INFOS)[number];

/** The processes that start on records of the type. */
export const processesFor = (type: UiRecordType): ProcessInfo[] => PROCESS_INFOS.filter((info) => (info.startsOn as readonly string[]).includes(type.info.name));

export const processInfo = (name: ProcessName): ProcessInfo => PROCESS_INFOS.find((info) => info.name === name)!;

/** Instances a card lists: the newest (the server's page). */
const INSTANCES_SHOWN = 100;

export function processStarts(api: ApiClient) {
  return {
    start: (type: UiRecordType, id: string, body: StartProcessBody) => api.request('POST', `/api/${type.info.plural}/${id}/processes`, ProcessInstance, body),
    instancesOf: async (type: UiRecordType, id: string) => (await api.request('GET', `/api/processes/instances?subject=${type.info.name}:${id}&limit=${INSTANCES_SHOWN}`, InstancePage)).items,
  };
}
