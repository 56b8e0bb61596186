/**
 * Forecast: the weighted pipeline of the deals expected to close in the period (their
 * `expectedClose`), by month and forecast category of the stage they are in now (a stage whose
 * category is `omitted`, a lost one, counts nowhere). A deal weighs its amount now times the
 * probability it was given on entering its stage (the move's; else the stage's, as
 * dealProbability reads it): what was forecast at entry, on what the deal is worth today.
 */
import { FORECAST_CATEGORIES, dealProbability, type ForecastCategory } from '../contracts/deal-stages.ts';
import { Drills, MoneySum, chartOf, column, monthsOf, table, text, type ReportInput, type ReportResult, type Row } from './report-parts.ts';

type Counted = Exclude<ForecastCategory, 'omitted'>;
const CATEGORIES = FORECAST_CATEGORIES.filter((category): category is Counted => category !== 'omitted');
const LABELS: Record<Counted, string> = { pipeline: 'Pipeline', best_case: 'Best case', commit: 'Commit', closed: 'Closed' };

export function forecastReport(input: ReportInput): ReportResult {
  const { pipeline, currency, period } = input;
  const months = monthsOf(period);
  const cells = new Map(months.map((month) => [month, new Map(CATEGORIES.map((category) => [category, { sum: new MoneySum(currency), deals: [] as string[] }]))]));
  const weighted = new MoneySum(currency);
  const unweighted = new MoneySum(currency);
  const counted: string[] = [];
  const undated: string[] = [];

  for (const { deal, steps } of input.histories) {
    const stage = deal.pipeline === pipeline.key ? pipeline.stages.find((s) => s.key === deal.stage) : undefined;
    if (!stage || stage.forecast === 'omitted') continue;
    if (!deal.expectedClose) {
      undated.push(deal.id);
      continue;
    }
    if (deal.expectedClose < period.from || deal.expectedClose > period.to) continue;
    const entry = steps.findLast((step) => pipeline.stages[step.stage] === stage);
    const percent = dealProbability(stage, entry?.probability ?? deal.probability) ?? 0;
    const cell = cells.get(deal.expectedClose.slice(0, 7))!.get(stage.forecast)!;
    cell.sum.add(deal.amount, percent / 100);
    cell.deals.push(deal.id);
    weighted.add(deal.amount, percent / 100);
    unweighted.add(deal.amount);
    counted.push(deal.id);
  }

  const drills = new Drills();
  const rows = months.map((month): Row => {
    const byCategory = cells.get(month)!;
    const total = new MoneySum(currency);
    for (const { sum } of byCategory.values()) total.minor += sum.minor;
    const all = [...byCategory.values()].flatMap(({ deals }) => deals);
    return {
      key: month,
      cells: {
        month: text(month),
        ...Object.fromEntries(CATEGORIES.map((category) => [category, drills.cell(byCategory.get(category)!.sum.major, `forecast:${month}:${category}`, byCategory.get(category)!.deals)])),
        total: drills.cell(total.major, `forecast:${month}`, all),
      },
    };
  });
  const byMonth = table('byMonth', 'Weighted pipeline by expected close month', [column('month', 'Month', 'text'), ...CATEGORIES.map((category) => column(category, LABELS[category], 'money')), column('total', 'Total', 'money')], rows);
  return {
    figures: {
      weightedTotal: drills.cell(weighted.major, 'forecast', counted),
      unweightedTotal: drills.cell(unweighted.major, 'forecast', counted),
      noCloseDate: drills.cell(undated.length, 'noCloseDate', undated),
    },
    charts: [chartOf('byMonth', 'Weighted pipeline', 'stacked-bar', byMonth, [...CATEGORIES], 'month')],
    tables: [byMonth],
    drills: drills.sets,
  };
}
