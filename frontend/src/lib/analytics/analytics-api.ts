/**
 * The analytics page's API: the tenant's pipelines (to pick one), a report of one, and a
 * number's deals opened as a view of the deals grid: `GET /api/analytics/{report}/drill` names
 * the deals (`Drill.view`: a view whose filter selects them), the views API saves it as the
 * user's own view, and the grid opens it like any saved view (the user can rename, share,
 * export, edit in place, or delete it).
 */
import { AnalyticsAnswer, Drill, type AnalyticsQuery, type AnalyticsReport } from '$contracts/analytics.ts';
import { PipelineList } from '$contracts/deal-stages.ts';
import type { ApiClient } from '../api/api-client.ts';
import { viewsApi } from '../api/records.ts';
import { queryString } from './analytics-url.ts';

/** A view's name at most (contracts/views.ts ViewFields). */
const MAX_VIEW_NAME = 100;

export function analyticsApi(api: ApiClient) {
  return {
    pipelines: async () => (await api.request('GET', '/api/pipelines', PipelineList)).items,
    report: (report: AnalyticsReport, query: AnalyticsQuery) => api.request('GET', `/api/analytics/${report}?${queryString(query)}`, AnalyticsAnswer),
    /**
     * The deals behind one number (`cell`: its `drill`) of the report asked with `query`, saved
     * as a view of deals named `name` (what the number is, in the page's words; a view past
     * MAX_DRILL_IDS deals selects more than the number counts, and its name says so).
     */
    async drillView(report: AnalyticsReport, query: AnalyticsQuery, cell: string, name: string) {
      const drill = await api.request('GET', `/api/analytics/${report}/drill?${queryString({ ...query, cell })}`, Drill);
      const more = drill.exact ? '' : ` · more than its ${drill.count.toLocaleString('en')}`;
      const view = await viewsApi(api, 'deal').save({ ...drill.view, name: name.slice(0, MAX_VIEW_NAME - more.length) + more });
      return { drill, view };
    },
  };
}

export type AnalyticsApi = ReturnType<typeof analyticsApi>;
