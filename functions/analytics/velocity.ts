/**
 * Velocity: how long deals stay in each stage, and how fast the pipeline turns into money.
 *
 * - A stay in a stage runs from a move into it to the deal's next move (to another stage, or out
 *   of the pipeline). Per open stage: the average and median days of the stays that ended in the
 *   period (a stage entered twice is two stays), and the deals they were stays of.
 * - Stalled: deals in an open stage now, in it (since their last move into it) longer than the
 *   stage's maxDays. Now, whatever the period.
 * - Sales velocity = open deals x win rate x average won amount / average cycle days, in money
 *   per day, where:
 *   - open deals: the pipeline's deals in an open stage now;
 *   - win rate: of the deals closed in the period (closingsOf), the share won;
 *   - average won amount: the mean amount of the deals won in the period, when won (those with
 *     an amount in the report's currency);
 *   - average cycle days: the mean days from a deal's first move into the pipeline (its creation,
 *     or its arrival from another) to its win, over the deals won in the period.
 */
import { DAY_MS, Drills, MoneySum, chartOf, closingsOf, column, daysOf, majorOf, mean, median, ratio, table, text, within, type ReportInput, type ReportResult, type Row } from './report-parts.ts';
import { isOpen } from './deal-histories.ts';

export function velocityReport(input: ReportInput): ReportResult {
  const { pipeline, currency, now } = input;
  const drills = new Drills();
  const stays = pipeline.stages.map(() => ({ days: [] as number[], deals: [] as string[] }));
  const stalled = pipeline.stages.map(() => [] as string[]);
  const open: string[] = [];

  for (const { deal, steps } of input.histories) {
    steps.forEach((step, i) => {
      const next = steps[i + 1];
      if (!next || !isOpen(pipeline.stages[step.stage]) || !within(input.period, next.at)) return;
      stays[step.stage].days.push(daysOf(next.at - step.at));
      stays[step.stage].deals.push(deal.id);
    });
    const current = pipeline.stages.findIndex((stage) => stage.key === deal.stage);
    if (deal.pipeline !== pipeline.key || !isOpen(pipeline.stages[current])) continue;
    open.push(deal.id);
    const last = steps.at(-1);
    const maxDays = pipeline.stages[current].maxDays;
    if (last?.stage === current && maxDays !== undefined && now - last.at > maxDays * DAY_MS) stalled[current].push(deal.id);
  }

  const rows = pipeline.stages.flatMap((stage, i): Row[] => {
    if (!isOpen(stage)) return [];
    const { days, deals } = stays[i];
    const drill = `stays:${stage.key}`;
    return [
      {
        key: stage.key,
        cells: {
          stage: text(stage.label),
          averageDays: drills.cell(round(mean(days)), drill, deals),
          medianDays: drills.cell(round(median(days)), drill, deals),
          deals: drills.cell(new Set(deals).size, drill, deals),
          stalled: stage.maxDays === undefined ? { value: null } : drills.cell(stalled[i].length, `stalled:${stage.key}`, stalled[i]),
        },
      },
    ];
  });
  const stagesTable = table('stages', 'Days in stage', [column('stage', 'Stage', 'text'), column('averageDays', 'Average days', 'days'), column('medianDays', 'Median days', 'days'), column('deals', 'Deals', 'count'), column('stalled', 'Stalled now', 'count')], rows);

  const closings = closingsOf(input);
  const wins = closings.filter((closing) => closing.won);
  const wonAmount = new MoneySum(currency);
  for (const win of wins) wonAmount.add(win.step.amount);
  const averageWon = wonAmount.count === 0 ? null : wonAmount.minor / wonAmount.count;
  const cycleDays = mean(wins.map((win) => daysOf(win.step.at - win.history.steps[0].at)));
  const winRate = ratio(wins.length, closings.length);
  const velocity = winRate === null || averageWon === null || !cycleDays ? null : majorOf((open.length * winRate * averageWon) / cycleDays, currency);
  const wonIds = wins.map((win) => win.history.deal.id);
  return {
    figures: {
      openDeals: drills.cell(open.length, 'open', open),
      winRate: drills.cell(winRate, 'won', wonIds),
      averageWonAmount: drills.cell(averageWon === null ? null : majorOf(averageWon, currency), 'won', wonIds),
      averageCycleDays: drills.cell(round(cycleDays), 'won', wonIds),
      salesVelocity: drills.cell(velocity, 'open', open),
    },
    charts: [chartOf('days', 'Days in stage', 'bar', stagesTable, ['averageDays', 'medianDays'], 'stage')],
    tables: [stagesTable],
    drills: drills.sets,
  };
}

const round = (days: number | null) => (days === null ? null : Math.round(days * 1000) / 1000);
