/** The instances grid's address for a filter: the monitor's steps and counts link to it, the grid reads it back. */
import type { InstanceFilter } from './processes-api.ts';

const KEYS = ['process', 'step', 'version', 'overdue', 'status'] as const;

export function instancesHref(filter: InstanceFilter): string {
  const query = new URLSearchParams();
  for (const key of KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== false && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return `/processes/instances${text ? `?${text}` : ''}`;
}

export function filterOf(params: URLSearchParams): InstanceFilter {
  const version = params.get('version');
  return {
    ...(params.get('process') ? { process: params.get('process')! } : {}),
    ...(params.get('step') !== null ? { step: params.get('step')! } : {}),
    ...(version !== null && /^\d+$/.test(version) ? { version: Number(version) } : {}),
    ...(params.get('overdue') === 'true' ? { overdue: true } : {}),
    ...(params.get('status') ? { status: params.get('status')! } : {}),
  };
}
