/**
 * The funnel's reports, `GET /api/analytics/{report}` (contracts/analytics.ts), and the deals
 * behind one of their numbers as a grid view, `GET /api/analytics/{report}/drill`. A report reads
 * deals: the caller must read deals, and sees the deals of their scope.
 */
import { AnalyticsQuery, AnalyticsReport, DrillQuery } from '../../contracts/analytics.ts';
import { analyticsDrill, analyticsReport } from '../../analytics/reports.ts';
import { dealType } from '../../contracts/deal.ts';
import { HttpError, json, readQuery } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { access } from '../route-access.ts';
import { actorOf } from './records.ts';

const deals = access.records({ action: 'read', type: dealType });

function reportParam({ params }: ApiRequest): AnalyticsReport {
  const report = AnalyticsReport.safeParse(params.report);
  if (!report.success) throw new HttpError(404, 'NotFound', `there is no report ${params.report} (reports: ${AnalyticsReport.options.join(', ')})`);
  return report.data;
}

export const analyticsRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/analytics/{report}',
    access: deals,
    handle: async (request) => json(200, await analyticsReport(actorOf(request), reportParam(request), readQuery(request.event, AnalyticsQuery))),
  },
  {
    method: 'GET',
    path: '/api/analytics/{report}/drill',
    access: deals,
    handle: async (request) => json(200, await analyticsDrill(actorOf(request), reportParam(request), readQuery(request.event, DrillQuery))),
  },
];
