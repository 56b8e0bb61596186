/**
 * The analytics page's API: the tenant's pipelines (to pick one), a report of one, and a
 * number's deals opened as a view of the deals grid: `GET /api/analytics/{report}/drill` names
 * the deals (`Drill.view`: a view whose filter selects them), the views API saves it as the
 * user's own view, and the grid opens it like any saved view (the user can rename, share,
 * export, edit in place, or delete it). The same number drilled again opens the same view,
 * brought up to date, rather than one more of the same name (a renamed one is the user's to keep),
 * also when another tab changed the view meanwhile. (The page drills one number at a time; two
 * tabs drilling one number at the same instant can still save two views of its name.)
 */
import { AnalyticsAnswer, Drill, type AnalyticsQuery, type AnalyticsReport } from '$contracts/analytics.ts';
import { PipelineList } from '$contracts/deal-stages.ts';
import { ApiError, type ApiClient } from '../api/api-client.ts';
import { viewsApi } from '../api/records.ts';
import { whilePreparing } from '../api/while-preparing.ts';
import { currentUser } from '../auth/me.svelte.ts';
import { queryString } from './analytics-url.ts';

/** A view's name at most (contracts/views.ts ViewFields). */
const MAX_VIEW_NAME = 100;

/**
 * How long a report waits while the server first reads a tenant's stage history (10 s of reading
 * a request, functions/analytics/stage-move-log.ts): 500,000 moves take a few of those.
 */
const PREPARING = { waitMs: 5 * 60_000, pollMs: 1_000 };

/** What a drill saves: a view of deals. */
type ViewsApi = ReturnType<typeof viewsApi>;
type DrillFields = Parameters<ViewsApi['save']>[0];

/** Times a drill's view is read again when another tab changed it between the read and the save. */
const SAVE_ATTEMPTS = 3;

/** The user's view named as `fields`, brought up to date, or a new one; read again if another tab changed it meanwhile (409). */
async function savedDrillView(views: ViewsApi, owner: string | undefined, fields: DrillFields) {
  for (let attempt = 1; ; attempt++) {
    const { items } = await views.list();
    const earlier = items.find((view) => view.name === fields.name && view.owner === owner);
    try {
      return earlier ? await views.update(earlier.id, earlier.version, fields) : await views.save(fields);
    } catch (err) {
      if (!(err instanceof ApiError && err.isConflict) || attempt >= SAVE_ATTEMPTS) throw err;
    }
  }
}

export function analyticsApi(api: ApiClient) {
  return {
    pipelines: async () => (await api.request('GET', '/api/pipelines', PipelineList)).items,
    /** A report; asked again while the server reads the tenant's stage history (`onPreparing` hears how far it got). */
    report: (report: AnalyticsReport, query: AnalyticsQuery, onPreparing?: (message: string) => void) =>
      whilePreparing(() => api.request('GET', `/api/analytics/${report}?${queryString(query)}`, AnalyticsAnswer), { ...PREPARING, onPreparing }),
    /**
     * The deals behind one number (`cell`: its `drill`) of the report asked with `query`, saved
     * as a view of deals named `name` (what the number is, in the page's words; a view past
     * MAX_DRILL_IDS deals selects more than the number counts, and its name says so).
     */
    async drillView(report: AnalyticsReport, query: AnalyticsQuery, cell: string, name: string) {
      const drill = await whilePreparing(() => api.request('GET', `/api/analytics/${report}/drill?${queryString({ ...query, cell })}`, Drill), PREPARING);
      const more = drill.exact ? '' : ` · more than its ${drill.count.toLocaleString('en')}`;
      const fields = { ...drill.view, name: name.slice(0, MAX_VIEW_NAME - more.length) + more };
      const me = await currentUser.load(api);
      return { drill, view: await savedDrillView(viewsApi(api, 'deal'), me?.sub, fields) };
    },
  };
}

export type AnalyticsApi = ReturnType<typeof analyticsApi>;
