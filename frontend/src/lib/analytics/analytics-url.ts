/**
 * What the analytics page shows, kept in its URL so a report can be shared: the report, and
 * the filters as the API's query names them (`$contracts/analytics.ts` AnalyticsQuery):
 * `/analytics?report=losses&pipeline=renewals&team=t1&from=2026-01-01&to=2026-03-31`.
 * Only what differs from the defaults is written; a parameter that the API would refuse (a
 * hand-edited link) is left out rather than failing the page.
 */
import { AnalyticsQuery, AnalyticsReport, type CONVERSIONS } from '$contracts/analytics.ts';
import { periodShown } from './periods.ts';

export interface AnalyticsFilter {
  report: AnalyticsReport;
  /** A pipeline's key; none: the first of the tenant's. */
  pipeline?: string;
  owner?: string;
  team?: string;
  from?: string;
  to?: string;
  conversion: (typeof CONVERSIONS)[number];
  by: 'month' | 'owner';
}

export const DEFAULT_FILTER: AnalyticsFilter = { report: 'funnel', conversion: 'stepwise', by: 'month' };

/** The parameters kept, in the order written. */
const KEYS = ['report', 'pipeline', 'owner', 'team', 'from', 'to', 'conversion', 'by'] as const;

const fieldSchema = (key: Exclude<(typeof KEYS)[number], 'report'>) => AnalyticsQuery.shape[key];

export function filterOfUrl(params: URLSearchParams): AnalyticsFilter {
  const filter: AnalyticsFilter = { ...DEFAULT_FILTER };
  const report = AnalyticsReport.safeParse(params.get('report'));
  if (report.success) filter.report = report.data;
  for (const key of KEYS) {
    if (key === 'report') continue;
    const parsed = fieldSchema(key).safeParse(params.get(key) ?? undefined);
    if (parsed.success && parsed.data !== undefined) Object.assign(filter, { [key]: parsed.data });
  }
  // Days the API refuses together (from after to, over five years) are dropped together.
  if (!AnalyticsQuery.safeParse({ pipeline: 'x', from: filter.from, to: filter.to }).success) {
    delete filter.from;
    delete filter.to;
  }
  return filter;
}

/** `url` showing `filter`: its other parameters kept, the filter's written when not the default. */
export function urlOfFilter(url: URL, filter: AnalyticsFilter): URL {
  const next = new URL(url);
  for (const key of KEYS) {
    const value = filter[key];
    if (value === undefined || value === (DEFAULT_FILTER as Partial<AnalyticsFilter>)[key]) next.searchParams.delete(key);
    else next.searchParams.set(key, value);
  }
  return next;
}

/**
 * The API's query for the filter's report: the pipeline shown, the days always (the report's
 * default period when the URL names none, periods.ts), `conversion` only for the funnel and
 * `by` only for won and lost (the API refuses each elsewhere).
 */
export function reportQuery(filter: AnalyticsFilter, pipeline: string, today: string): AnalyticsQuery {
  return {
    pipeline,
    ...(filter.owner ? { owner: filter.owner } : {}),
    ...(filter.team ? { team: filter.team } : {}),
    ...periodShown(filter.report, filter, today),
    ...(filter.report === 'funnel' ? { conversion: filter.conversion } : {}),
    ...(filter.report === 'won-lost' ? { by: filter.by } : {}),
  };
}

/** A query as URL parameters, in a stable order. */
export const queryString = (query: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
