/**
 * The funnel's reports (issue 17): `GET /api/analytics/{report}` answers one report of one
 * pipeline, computed from the deals' stage moves (contracts/stage-moves.ts) and the deals as they
 * are now, in the caller's scope (the deals they see in the grid, own / team / all).
 *
 * Every answer has the same shape, so one page draws them all: single `figures`, `charts` (each a
 * list of series over categories) and `tables` (columns and rows). Every number carries a
 * `drill`: the name of the set of deals behind it, which `GET /api/analytics/{report}/drill`
 * (same query, plus `cell`) turns into a grid view of those deals (`Drill.view`, to POST to
 * `/api/views/deal`). The ids are not in the report itself: a report of 100,000 deals has
 * hundreds of numbers, each of up to 100,000 deals, far past a Lambda answer's 6 MB.
 *
 * Times: a move's `at` is an instant; `from` and `to` are UTC days, both included.
 * Money: amounts are summed in minor units of one currency, `currency` (the query's, else the one
 * most deals of the pipeline are in); deals in another currency count in counts, not in amounts
 * (`otherCurrencyDeals` says how many).
 */
import { z } from 'zod';
import { IsoDate } from './values.ts';
import { MAX_IN_VALUES, ViewFields } from './views.ts';
import { Currency } from './money.ts';

export const ANALYTICS_REPORTS = ['funnel', 'losses', 'velocity', 'forecast', 'won-lost'] as const;
export const AnalyticsReport = z.enum(ANALYTICS_REPORTS);
export type AnalyticsReport = z.infer<typeof AnalyticsReport>;

/**
 * The longest period a report covers: 5 years. Reports by month then have at most 61 months (a
 * chart still readable, an answer of bounded size), and a request never walks more history than
 * five years of a tenant's moves. A longer look is several reports.
 */
export const MAX_PERIOD_DAYS = 5 * 366;
/** Without `from`/`to`: the year up to today. */
export const DEFAULT_PERIOD_DAYS = 365;

const DAY_MS = 86_400_000;
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

/** How the funnel counts a deal that jumped stages (stage 1 to 4). */
export const CONVERSIONS = ['stepwise', 'skipped'] as const;

/**
 * The query of every report. `owner` is a user (sub), `team` a team id (its members' deals); both
 * filter by the deal's current owner, as the grid does. Each of `conversion` (funnel) and `by`
 * (won-lost) is refused on the other reports.
 */
const QueryFields = z.strictObject({
    pipeline: z.string().trim().min(1).max(100),
    owner: z.string().min(1).max(128).optional(),
    team: z.string().min(1).max(100).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    currency: Currency.optional(),
    /** funnel: `stepwise` (default) counts a deal as passing a stage when it entered the next one; `skipped` counts every stage it jumped over as passed too. */
    conversion: z.enum(CONVERSIONS).optional(),
    /** won-lost: rows by month of the win or loss (default) or by the deal's owner when it was won or lost. */
    by: z.enum(['month', 'owner']).optional(),
});

type Period = { from?: string; to?: string };
function checkPeriod(query: Period, ctx: z.RefinementCtx) {
  if (query.from && query.to && query.from > query.to) ctx.addIssue({ code: 'custom', path: ['from'], message: `must be on or before to (${query.to})` });
  else if (query.from && query.to && daysBetween(query.from, query.to) >= MAX_PERIOD_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: `must be less than 5 years (${MAX_PERIOD_DAYS} days) before to` });
  }
}

export const AnalyticsQuery = QueryFields.superRefine(checkPeriod);
export type AnalyticsQuery = z.infer<typeof AnalyticsQuery>;

/** The drill's query: the report's, and which number (a `drill` of its answer). */
export const DrillQuery = QueryFields.extend({ cell: z.string().min(1).max(200) }).superRefine(checkPeriod);
export type DrillQuery = z.infer<typeof DrillQuery>;

/** What a column or series holds: `money` in major units of `currency`, `ratio` 0..1, `days` decimal days. */
export const Unit = z.enum(['count', 'money', 'ratio', 'days', 'text']);
export type Unit = z.infer<typeof Unit>;

/** One value; `drill` names its deals (absent for text, and for a number of no deals). */
export const Cell = z.object({ value: z.union([z.number(), z.string(), z.null()]), drill: z.string().optional() });
export type Cell = z.infer<typeof Cell>;

export const Column = z.object({ key: z.string(), label: z.string(), unit: Unit });
export type Column = z.infer<typeof Column>;

export const Table = z.object({
  key: z.string(),
  title: z.string(),
  columns: z.array(Column),
  /** `cells` by column key; `key` the row's category (a stage key, a reason key, a month `2026-03`, an owner's sub). */
  rows: z.array(z.object({ key: z.string(), cells: z.record(z.string(), Cell) })),
});
export type Table = z.infer<typeof Table>;

export const Point = z.object({ x: z.string(), label: z.string(), value: z.number().nullable(), drill: z.string().optional() });
export const Series = z.object({ key: z.string(), label: z.string(), unit: Unit, points: z.array(Point) });
export type Series = z.infer<typeof Series>;

export const Chart = z.object({
  key: z.string(),
  title: z.string(),
  /** `funnel`: one series, categories in stage order; `bar`/`stacked-bar`/`line`: categories on the x axis. */
  kind: z.enum(['funnel', 'bar', 'stacked-bar', 'line']),
  series: z.array(Series),
});
export type Chart = z.infer<typeof Chart>;

/**
 * A report. What each holds (keys are stable; labels are for people):
 * - funnel: chart `funnel`; table `stages` (a row per open stage in order, then the won stage):
 *   `stage`, `entered` (deals entering it in the period), `advanced` (of those, how many passed
 *   it: entered a later stage; stepwise, the next stage or won), `toNext` (advanced / entered),
 *   `won` (of those entering, won since), `toWon` (won / entered). `note` says which counting.
 * - losses: charts `byStage`, `byReason`, `byMonth`; tables of the same keys, columns `count`,
 *   `amount` (deals lost in the period: from which stage, for which reason, in which month).
 * - velocity: figures `openDeals`, `winRate`, `averageWonAmount`, `averageCycleDays`,
 *   `salesVelocity` (money per day); chart `days`; table `stages`: `averageDays`, `medianDays`,
 *   `exits` (stays in the stage that ended in the period), `stalled` (open deals in it now
 *   longer than its maxDays).
 * - forecast: chart `byMonth` (stacked by category); table `byMonth`: a row per expected close
 *   month, a column per forecast category (`pipeline`, `best_case`, `commit`, `closed`) and
 *   `total`: weighted amounts (amount x probability at stage entry) of the deals expected to
 *   close in the period; figure `weightedTotal`, `unweightedTotal`.
 * - won-lost: chart `wonLost`; table `wonLost`, rows by month or owner (`by`), columns `won`,
 *   `wonAmount`, `lost`, `lostAmount`.
 */
export const AnalyticsAnswer = z.object({
  report: AnalyticsReport,
  pipeline: z.object({ key: z.string(), label: z.string() }),
  from: IsoDate,
  to: IsoDate,
  currency: z.string().nullable(),
  otherCurrencyDeals: z.number().int(),
  conversion: z.enum(CONVERSIONS).optional(),
  by: z.enum(['month', 'owner']).optional(),
  /** What the numbers mean where it matters (the funnel's counting), for the chart's caption. */
  note: z.string().optional(),
  figures: z.record(z.string(), Cell),
  charts: z.array(Chart),
  tables: z.array(Table),
  /** The moment the numbers describe (the newest move and deal change counted are before it). */
  asOf: z.iso.datetime(),
});
export type AnalyticsAnswer = z.infer<typeof AnalyticsAnswer>;

/**
 * Deals a drill names by id, at most: as many as a view's `in` filter takes. 5,000 ULIDs are
 * ~145 KB, inside a request body's 256 KiB and a view item's 400 KB (20,000 would be neither).
 */
export const MAX_DRILL_IDS = MAX_IN_VALUES;

/**
 * The deals behind one number, as a grid view to open: `view.filters` selects them by id
 * (`exact`), or, past MAX_DRILL_IDS, by the report's filters on the deals as they are now
 * (pipeline, owner; not exact: `count` says how many the number counts).
 */
export const Drill = z.object({
  count: z.number().int(),
  exact: z.boolean(),
  view: ViewFields,
});
export type Drill = z.infer<typeof Drill>;
