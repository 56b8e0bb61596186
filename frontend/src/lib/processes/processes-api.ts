/**
 * The processes API as the monitor, the instances grid and the instance page use it: the
 * processes with their diagrams and counts, pages of instances, one instance and its timeline,
 * and the actions on an instance (engineer B's routes: cancel, retry from the failed step,
 * reassign its tasks).
 */
import { z } from 'zod';
import { InstancePage, ProcessInstance, ProcessList, TimelinePage, type TimelineLine } from '$contracts/processes.ts';
import type { ApiClient } from '../api/api-client.ts';

/** What the instances grid asks for: a process's instances, at a step (of a version), overdue ones, in a status. */
export interface InstanceFilter {
  process?: string;
  step?: string;
  version?: number;
  overdue?: boolean;
  status?: string;
}

/** The most instances the grid loads (10 pages); `more` says when there were more. */
export const MAX_GRID_INSTANCES = 1_000;

const ANY = z.unknown();
const queryOf = (filter: InstanceFilter) =>
  Object.entries(filter)
    .filter(([, value]) => value !== undefined && value !== false && value !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);

export function processesApi(api: ApiClient) {
  return {
    processes: () => api.request('GET', '/api/processes', ProcessList),
    /** Every instance the filter names, page after page, up to MAX_GRID_INSTANCES. */
    async instances(filter: InstanceFilter): Promise<{ items: ProcessInstance[]; more: boolean }> {
      const items: ProcessInstance[] = [];
      let cursor: string | undefined;
      do {
        const query = [...queryOf(filter), 'limit=100', ...(cursor ? [`cursor=${encodeURIComponent(cursor)}`] : [])].join('&');
        const page = await api.request('GET', `/api/processes/instances?${query}`, InstancePage);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && items.length < MAX_GRID_INSTANCES);
      return { items: items.slice(0, MAX_GRID_INSTANCES), more: cursor !== undefined || items.length > MAX_GRID_INSTANCES };
    },
    instance: (id: string) => api.request('GET', `/api/processes/instances/${encodeURIComponent(id)}`, ProcessInstance),
    /** The whole timeline, page after page (an instance's history is at most 25,000 events), and the diagram of its version. */
    async timeline(id: string): Promise<{ lines: TimelineLine[]; diagram: TimelinePage['diagram'] }> {
      const lines: TimelineLine[] = [];
      let diagram: TimelinePage['diagram'];
      let cursor: string | undefined;
      do {
        const page = await api.request('GET', `/api/processes/instances/${encodeURIComponent(id)}/timeline${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, TimelinePage);
        diagram ??= page.diagram;
        lines.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return { lines, diagram };
    },
    cancel: (id: string, reason: string) => api.request('POST', `/api/processes/instances/${encodeURIComponent(id)}/cancel`, ANY, { reason }),
    retry: (id: string) => api.request('POST', `/api/processes/instances/${encodeURIComponent(id)}/retry`, ANY, {}),
    /** The current task of an instance handed to a user or a team (one result per task). */
    reassign: (tasks: string[], to: { user: string } | { team: string }) => api.request('POST', '/api/tasks/reassign', ANY, { tasks, to }),
  };
}

export type ProcessesApi = ReturnType<typeof processesApi>;
