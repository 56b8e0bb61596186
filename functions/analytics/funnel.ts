/**
 * The funnel: for each open stage in order, then the won stage, the deals that entered it in the
 * period, how many of those went on to the next stage, and how many were won since.
 *
 * Two ways to count a deal that jumped stages (1 to 4), as peers differ:
 * - `stepwise`: a stage is entered only by a move into it, and a deal advanced from it only by a
 *   later move into the very next stage (the jump advances nobody from 1, and 2 and 3 never see it).
 * - `skipped`: a forward move passes every stage between (the jump enters 2 and 3 too, at once),
 *   and a deal advanced from a stage by any later move into a stage after it.
 * Either way a deal counts once per stage (its first entry in the period; what follows it counts,
 * up to now), so a re-entry is no second deal, and every number's drill lists exactly its deals.
 * A deal that came from another pipeline entered its stage there; leaving to another ends nothing
 * but its stay. Lost stages are not steps of the funnel.
 */
import { Drills, chartOf, column, ratio, table, text, within, type ReportInput, type ReportResult, type Row } from './report-parts.ts';
import { LEFT, type DealHistory } from './deal-histories.ts';

/** A deal reaching a place of the funnel: the row's index, at which move. */
interface Reach {
  rank: number;
  at: number;
}

export function funnelReport(input: ReportInput): ReportResult {
  const { pipeline, conversion } = input;
  const stages = [...pipeline.stages.filter((stage) => !stage.outcome), ...pipeline.stages.filter((stage) => stage.outcome === 'won')];
  const rankOf = new Map(stages.map((stage, rank) => [pipeline.stages.indexOf(stage), rank]));
  const firstWon = stages.findIndex((stage) => stage.outcome === 'won');
  const entered = stages.map(() => [] as string[]);
  const advanced = stages.map(() => [] as string[]);
  const won = stages.map(() => [] as string[]);

  for (const history of input.histories) {
    const reaches = reachesOf(history, rankOf, conversion === 'skipped');
    for (let rank = 0; rank < stages.length; rank++) {
      const first = reaches.findIndex((reach) => reach.rank === rank && within(input.period, reach.at));
      if (first < 0) continue;
      const id = history.deal.id;
      entered[rank].push(id);
      const later = reaches.slice(first + 1);
      const next = conversion === 'stepwise' ? (reach: Reach) => reach.rank === rank + 1 : (reach: Reach) => reach.rank > rank;
      if (rank < firstWon && later.some(next)) advanced[rank].push(id);
      if (rank >= firstWon || later.some((reach) => reach.rank >= firstWon)) won[rank].push(id);
    }
  }

  const drills = new Drills();
  const rows: Row[] = stages.map((stage, rank) => {
    const open = rank < firstWon;
    return {
      key: stage.key,
      cells: {
        stage: text(stage.label),
        entered: drills.cell(entered[rank].length, `entered:${stage.key}`, entered[rank]),
        advanced: open ? drills.cell(advanced[rank].length, `advanced:${stage.key}`, advanced[rank]) : { value: null },
        toNext: open ? drills.cell(ratio(advanced[rank].length, entered[rank].length), `advanced:${stage.key}`, advanced[rank]) : { value: null },
        won: drills.cell(won[rank].length, `won:${stage.key}`, won[rank]),
        toWon: drills.cell(ratio(won[rank].length, entered[rank].length), `won:${stage.key}`, won[rank]),
      },
    };
  });
  const stagesTable = table('stages', 'Stages', [column('stage', 'Stage', 'text'), column('entered', 'Entered', 'count'), column('advanced', 'Advanced', 'count'), column('toNext', 'To next stage', 'ratio'), column('won', 'Won since', 'count'), column('toWon', 'To won', 'ratio')], rows);
  return {
    note:
      conversion === 'stepwise'
        ? 'Step by step: a deal advanced from a stage when it next entered the stage right after it; a deal that skipped stages counts only where it was.'
        : 'Counting skipped stages: a deal that jumped ahead counts as having entered and passed every stage it skipped.',
    figures: {},
    charts: [chartOf('funnel', 'Deals entering each stage', 'funnel', stagesTable, ['entered'], 'stage')],
    tables: [stagesTable],
    drills: drills.sets,
  };
}

/**
 * Where the deal reached in the funnel, move by move: each move into a funnel stage, and (when
 * skipped stages count) before it, in order, each stage it jumped over from the one it left.
 * Moves into a lost stage or out of the pipeline reach nothing.
 */
function reachesOf(history: DealHistory, rankOf: ReadonlyMap<number, number>, passSkipped: boolean): Reach[] {
  const reaches: Reach[] = [];
  for (const step of history.steps) {
    if (step.stage === LEFT) continue;
    const rank = rankOf.get(step.stage);
    if (rank === undefined) continue;
    const from = step.from === null ? undefined : rankOf.get(step.from);
    if (passSkipped && from !== undefined) for (let passed = from + 1; passed < rank; passed++) reaches.push({ rank: passed, at: step.at });
    reaches.push({ rank, at: step.at });
  }
  return reaches;
}
