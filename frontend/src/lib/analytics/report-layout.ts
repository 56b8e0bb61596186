/**
 * How the page lays out each report: its name in the page's tabs, the single figures it leads
 * with (labelled and formatted here: the answer names them by key), and which table sits beside
 * which chart. The answer's charts and tables are drawn whatever they are; a table beside its
 * chart of the same key, or as named below, and any other table after them alone.
 */
import type { AnalyticsAnswer, AnalyticsReport, Chart, Table, Unit } from '$contracts/analytics.ts';

export const REPORT_TABS: ReadonlyArray<{ report: AnalyticsReport; label: string }> = [
  { report: 'funnel', label: 'Funnel' },
  { report: 'losses', label: 'Losses' },
  { report: 'velocity', label: 'Velocity' },
  { report: 'forecast', label: 'Forecast' },
  { report: 'won-lost', label: 'Won and lost' },
];

/** The figures reports lead with, by key. One not listed shows by its key, as a count. */
const FIGURES: Record<string, { label: string; unit: Unit; per?: string }> = {
  openDeals: { label: 'Open deals', unit: 'count' },
  winRate: { label: 'Win rate', unit: 'ratio' },
  averageWonAmount: { label: 'Average won amount', unit: 'money' },
  averageCycleDays: { label: 'Average sales cycle', unit: 'days' },
  salesVelocity: { label: 'Sales velocity', unit: 'money', per: 'per day' },
  weightedTotal: { label: 'Weighted pipeline', unit: 'money' },
  unweightedTotal: { label: 'Unweighted pipeline', unit: 'money' },
  noCloseDate: { label: 'Open deals without a close date', unit: 'count' },
  won: { label: 'Deals won', unit: 'count' },
  wonAmount: { label: 'Amount won', unit: 'money' },
  lost: { label: 'Deals lost', unit: 'count' },
  lostAmount: { label: 'Amount lost', unit: 'money' },
};

export const figureOf = (key: string) => FIGURES[key] ?? { label: key, unit: 'count' as Unit };

/** A chart's table where its key is not the chart's. */
const TABLE_OF_CHART: Record<string, string> = { funnel: 'stages', days: 'stages' };

export interface ReportSection {
  key: string;
  title: string;
  chart?: Chart;
  table?: Table;
}

/** The answer's charts, each with its table, then the tables no chart has. */
export function reportSections(answer: Pick<AnalyticsAnswer, 'charts' | 'tables'>): ReportSection[] {
  const used = new Set<Table>();
  const sections: ReportSection[] = answer.charts.map((chart) => {
    const table = answer.tables.find((t) => !used.has(t) && (t.key === chart.key || t.key === TABLE_OF_CHART[chart.key]));
    if (table) used.add(table);
    return { key: chart.key, title: chart.title, chart, table };
  });
  for (const table of answer.tables) if (!used.has(table)) sections.push({ key: table.key, title: table.title, table });
  return sections;
}

/** Whether the answer counts any deal at all: a number with deals behind it has a drill. */
export function countsAnyDeal(answer: Pick<AnalyticsAnswer, 'figures' | 'tables'>): boolean {
  return Object.values(answer.figures).some((cell) => cell.drill) || answer.tables.some((table) => table.rows.some((row) => Object.values(row.cells).some((cell) => cell.drill)));
}
