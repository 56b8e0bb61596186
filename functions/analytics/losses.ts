/**
 * Losses: the deals lost in the period (closingsOf: a deal's last close in the period was a
 * loss), by the stage they were lost from, by reason and by month, each as a count and the
 * amount they had when lost. Each deal is in exactly one row of each table, so each table's rows
 * add up to the figures.
 */
import { Drills, MoneySum, chartOf, closingsOf, column, monthOf, monthsOf, table, text, type Closing, type ReportInput, type ReportResult, type Row } from './report-parts.ts';

const NONE = '(none)';

export function lossesReport(input: ReportInput): ReportResult {
  const { pipeline, currency } = input;
  const losses = closingsOf(input).filter((closing) => !closing.won);
  const drills = new Drills();
  const columns = [column('count', 'Deals lost', 'count'), column('amount', 'Amount lost', 'money')];

  /** Rows of the losses grouped by `keyOf`: the known keys first, in their order, then any other seen. */
  const grouped = ([tableKey, dimension, label]: [string, string, string], known: Array<{ key: string; label: string }>, keyOf: (loss: Closing) => string, labelOf: (key: string) => string) => {
    const groups = new Map<string, Closing[]>(known.map(({ key }) => [key, []]));
    for (const loss of losses) {
      const group = keyOf(loss);
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group)!.push(loss);
    }
    const rows = [...groups].map(([key, group]): Row => {
      const sum = new MoneySum(currency);
      for (const loss of group) sum.add(loss.step.amount);
      const ids = group.map((loss) => loss.history.deal.id);
      const drill = `lost:${dimension}:${key}`;
      return { key, cells: { [dimension]: text(known.find((k) => k.key === key)?.label ?? labelOf(key)), count: drills.cell(group.length, drill, ids), amount: drills.cell(sum.major, drill, ids) } };
    });
    return table(tableKey, `By ${label.toLowerCase()}`, [column(dimension, label, 'text'), ...columns], rows);
  };

  const openStages = pipeline.stages.filter((stage) => !stage.outcome);
  const stageLabel = (key: string) => (key === NONE ? 'Created lost' : (pipeline.stages.find((stage) => stage.key === key)?.label ?? key));
  const byStage = grouped(['byStage', 'stage', 'Stage'], openStages, (loss) => loss.step.fromKey ?? NONE, stageLabel);
  const byReason = grouped(['byReason', 'reason', 'Reason'], pipeline.lossReasons, (loss) => loss.step.lossReason ?? NONE, (key) => (key === NONE ? 'No reason' : key));
  const byMonth = grouped(['byMonth', 'month', 'Month'], monthsOf(input.period).map((month) => ({ key: month, label: month })), (loss) => monthOf(loss.step.at), (key) => key);

  const total = new MoneySum(currency);
  for (const loss of losses) total.add(loss.step.amount);
  const ids = losses.map((loss) => loss.history.deal.id);
  return {
    figures: { lost: drills.cell(losses.length, 'lost', ids), lostAmount: drills.cell(total.major, 'lost', ids) },
    charts: [
      chartOf('byStage', 'Lost from stage', 'bar', byStage, ['count', 'amount'], 'stage'),
      chartOf('byReason', 'Lost for reason', 'bar', byReason, ['count', 'amount'], 'reason'),
      chartOf('byMonth', 'Losses by month', 'line', byMonth, ['count', 'amount'], 'month'),
    ],
    tables: [byStage, byReason, byMonth],
    drills: drills.sets,
  };
}
