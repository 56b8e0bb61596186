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

export function analyticsApi(api: ApiClient) {
  return {
    pipelines: async () => (await api.request('GET', '/api/pipelines', PipelineList)).items,
    report: (report: AnalyticsReport, query: AnalyticsQuery) => api.request('GET', `/api/analytics/${report}?${queryString(query)}`, AnalyticsAnswer),
    /** The deals behind one number (`cell`: its `drill`) of the report asked with `query`, saved as a view of deals: its id. */
    async drillView(report: AnalyticsReport, query: AnalyticsQuery, cell: string) {
      const drill = await api.request('GET', `/api/analytics/${report}/drill?${queryString({ ...query, cell })}`, Drill);
      const view = await viewsApi(api, 'deal').save(drill.view);
      return { drill, view };
    },
  };
}

export type AnalyticsApi = ReturnType<typeof analyticsApi>;
