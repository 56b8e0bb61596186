/**
 * Each report's numbers on a small history written by hand, with the expected values worked out
 * by hand (in the comments): skipped stages, a stage entered twice, a deal arriving from another
 * pipeline and one leaving to it, losses with reasons, a deal lost, reopened and won. Every number
 * is checked with its drill: the deals behind it are exactly those it counts.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE, type Pipeline } from '../contracts/deal-stages.ts';
import type { StageMove } from '../contracts/stage-moves.ts';
import type { Cell, Table } from '../contracts/analytics.ts';
import { dealHistories, stepsByDeal, type DealNow } from './deal-histories.ts';
import { periodOf, type ReportInput, type ReportResult } from './report-parts.ts';
import { funnelReport } from './funnel.ts';
import { lossesReport } from './losses.ts';
import { velocityReport } from './velocity.ts';
import { forecastReport } from './forecast.ts';
import { wonLostReport } from './won-lost.ts';

// new 0, qualified 1, proposal 2 (at most 10 days), negotiation 3, won 4, lost 5.
const pipeline: Pipeline = { ...DEFAULT_PIPELINE, stages: DEFAULT_PIPELINE.stages.map((stage) => (stage.key === 'proposal' ? { ...stage, maxDays: 10 } : stage)) };

type Move = [at: string, from: string | null, to: string, amount: number, extra?: Partial<StageMove>];
const deals = new Map<string, DealNow>();
const moves: StageMove[] = [];

function deal(id: string, now: Partial<DealNow> & Pick<DealNow, 'stage'>, history: Move[]): void {
  deals.set(id, { id, owner: 'u1', pipeline: 'default', amount: null, probability: null, expectedClose: null, ...now });
  history.forEach(([at, from, to, amount, extra], i) => {
    const stage = pipeline.stages.find((s) => s.key === to);
    moves.push({ deal: id, pipeline: 'default', from, to, at: `${at}T12:00:00.000Z`, by: 'u1', amount, currency: 'EUR', probability: stage?.probability ?? null, owner: now.owner ?? 'u1', dealVersion: i + 1, source: 'update', ...extra });
  });
}

const eur = (major: number) => ({ minor: major * 100, currency: 'EUR' });
// A: step by step to won.
deal('A', { stage: 'won', amount: eur(1200), expectedClose: '2026-02-15' }, [['2026-01-05', null, 'new', 1000], ['2026-01-10', 'new', 'qualified', 1000], ['2026-01-20', 'qualified', 'proposal', 1000], ['2026-02-01', 'proposal', 'negotiation', 1000], ['2026-02-11', 'negotiation', 'won', 1200]]);
// B: jumps from new to negotiation (skips qualified and proposal), lost for price.
deal('B', { stage: 'lost', amount: eur(500) }, [['2026-01-06', null, 'new', 500], ['2026-01-16', 'new', 'negotiation', 500], ['2026-02-05', 'negotiation', 'lost', 500, { lossReason: 'price' }]]);
// C: enters proposal twice (back to qualified between), still there: stalled since 02-07.
deal('C', { stage: 'proposal', amount: eur(2000), expectedClose: '2026-03-15' }, [['2026-01-08', null, 'qualified', 2000], ['2026-01-18', 'qualified', 'proposal', 2000], ['2026-01-28', 'proposal', 'qualified', 2000], ['2026-02-07', 'qualified', 'proposal', 2000, { probability: 40 }]]);
// D: arrives from the pipeline `renewals` into proposal, lost to a competitor.
deal('D', { stage: 'lost', amount: eur(800) }, [['2025-12-20', null, 'r1', 800, { pipeline: 'renewals' }], ['2026-01-12', 'r1', 'proposal', 800, { fromPipeline: 'renewals' }], ['2026-01-22', 'proposal', 'lost', 800, { lossReason: 'competitor' }]]);
// E: created before the period, lost for timing.
deal('E', { stage: 'lost', amount: eur(300) }, [['2025-12-01', null, 'new', 300], ['2026-01-03', 'new', 'qualified', 300], ['2026-03-01', 'qualified', 'lost', 300, { lossReason: 'timing' }]]);
// F: jumps from new to won; no expected close.
deal('F', { stage: 'won', amount: eur(400), owner: 'u2' }, [['2026-01-05', null, 'new', 400], ['2026-01-25', 'new', 'won', 400]]);
// G: lost, reopened, won; expected to close after the period.
deal('G', { stage: 'won', amount: eur(150), expectedClose: '2026-05-01' }, [['2026-01-02', null, 'new', 100], ['2026-01-04', 'new', 'lost', 100, { lossReason: 'price' }], ['2026-01-06', 'lost', 'new', 100], ['2026-03-10', 'new', 'won', 150]]);
// H: leaves for `renewals` from new.
deal('H', { stage: 'r1', pipeline: 'renewals', amount: eur(50) }, [['2026-01-10', null, 'new', 50], ['2026-02-01', 'new', 'r1', 50, { pipeline: 'renewals', fromPipeline: 'default' }]]);
moves.sort((a, b) => a.at.localeCompare(b.at));

const input = (options: Partial<ReportInput> = {}): ReportInput => ({
  pipeline,
  histories: dealHistories(deals.values(), stepsByDeal(pipeline, moves)),
  period: periodOf('2026-01-01', '2026-03-31'),
  now: Date.parse('2026-04-10T00:00:00Z'),
  currency: 'EUR',
  conversion: 'stepwise',
  by: 'month',
  userLabel: (sub) => `User ${sub}`,
  ...options,
});

/** A table's rows as {row: {column: value}}, each number checked against its drill's deals: `[value, deals]`. */
function read(result: ReportResult, key: string): Record<string, Record<string, unknown>> {
  const found = result.tables.find((t) => t.key === key) as Table;
  return Object.fromEntries(found.rows.map((row) => [row.key, Object.fromEntries(Object.entries(row.cells).map(([name, cell]) => [name, shown(result, cell)]))]));
}

/** A cell as `value` (text, or no deals) or `[value, sorted deal ids]`. */
function shown(result: ReportResult, cell: Cell): unknown {
  if (cell.drill === undefined) return cell.value;
  return [cell.value, [...result.drills.get(cell.drill)!].sort().join('')];
}

const figures = (result: ReportResult) => Object.fromEntries(Object.entries(result.figures).map(([name, cell]) => [name, shown(result, cell)]));

describe('funnel', () => {
  it('step by step: a stage is passed only into the next one', () => {
    const result = funnelReport(input());
    expect(read(result, 'stages')).toEqual({
      // A, B, F, G, H entered new (E before the period); only A went on to qualified; A, F, G won.
      new: { stage: 'New', entered: [5, 'ABFGH'], advanced: [1, 'A'], toNext: [0.2, 'A'], won: [3, 'AFG'], toWon: [0.6, 'AFG'] },
      // E, C, A; C and A on to proposal.
      qualified: { stage: 'Qualified', entered: [3, 'ACE'], advanced: [2, 'AC'], toNext: [2 / 3, 'AC'], won: [1, 'A'], toWon: [1 / 3, 'A'] },
      // D (from renewals), C (twice, once counted), A.
      proposal: { stage: 'Proposal', entered: [3, 'ACD'], advanced: [1, 'A'], toNext: [1 / 3, 'A'], won: [1, 'A'], toWon: [1 / 3, 'A'] },
      negotiation: { stage: 'Negotiation', entered: [2, 'AB'], advanced: [1, 'A'], toNext: [0.5, 'A'], won: [1, 'A'], toWon: [0.5, 'A'] },
      won: { stage: 'Won', entered: [3, 'AFG'], advanced: null, toNext: null, won: [3, 'AFG'], toWon: [1, 'AFG'] },
    });
    expect(result.note).toMatch(/step by step/i);
    expect(result.charts[0].series[0].points.map((p) => p.value)).toEqual([5, 3, 3, 2, 3]);
  });

  it('counting skipped stages: a jump passes every stage between', () => {
    const result = funnelReport(input({ conversion: 'skipped' }));
    expect(read(result, 'stages')).toEqual({
      // B (to negotiation), F and G (to won) passed qualified on; H left for another pipeline.
      new: { stage: 'New', entered: [5, 'ABFGH'], advanced: [4, 'ABFG'], toNext: [0.8, 'ABFG'], won: [3, 'AFG'], toWon: [0.6, 'AFG'] },
      // passed by B, F, G; E stopped there.
      qualified: { stage: 'Qualified', entered: [6, 'ABCEFG'], advanced: [5, 'ABCFG'], toNext: [5 / 6, 'ABCFG'], won: [3, 'AFG'], toWon: [0.5, 'AFG'] },
      // C went back to qualified, D was lost from it.
      proposal: { stage: 'Proposal', entered: [6, 'ABCDFG'], advanced: [4, 'ABFG'], toNext: [4 / 6, 'ABFG'], won: [3, 'AFG'], toWon: [0.5, 'AFG'] },
      negotiation: { stage: 'Negotiation', entered: [4, 'ABFG'], advanced: [3, 'AFG'], toNext: [0.75, 'AFG'], won: [3, 'AFG'], toWon: [0.75, 'AFG'] },
      won: { stage: 'Won', entered: [3, 'AFG'], advanced: null, toNext: null, won: [3, 'AFG'], toWon: [1, 'AFG'] },
    });
    expect(result.note).toMatch(/skipped/i);
  });
});

describe('losses', () => {
  it('by stage, reason and month: the last close of each deal in the period, when it was a loss', () => {
    // Lost: B (negotiation, price, 500), D (proposal, competitor, 800), E (qualified, timing, 300). G's loss was undone by its win.
    const result = lossesReport(input());
    expect(figures(result)).toEqual({ lost: [3, 'BDE'], lostAmount: [1600, 'BDE'] });
    expect(read(result, 'byStage')).toEqual({
      new: { stage: 'New', count: 0, amount: 0 },
      qualified: { stage: 'Qualified', count: [1, 'E'], amount: [300, 'E'] },
      proposal: { stage: 'Proposal', count: [1, 'D'], amount: [800, 'D'] },
      negotiation: { stage: 'Negotiation', count: [1, 'B'], amount: [500, 'B'] },
    });
    expect(read(result, 'byReason')).toEqual({
      price: { reason: 'Price', count: [1, 'B'], amount: [500, 'B'] },
      competitor: { reason: 'Competitor', count: [1, 'D'], amount: [800, 'D'] },
      no_budget: { reason: 'No budget', count: 0, amount: 0 },
      no_decision: { reason: 'No decision', count: 0, amount: 0 },
      timing: { reason: 'Timing', count: [1, 'E'], amount: [300, 'E'] },
      other: { reason: 'Other', count: 0, amount: 0 },
    });
    expect(read(result, 'byMonth')).toEqual({
      '2026-01': { month: '2026-01', count: [1, 'D'], amount: [800, 'D'] },
      '2026-02': { month: '2026-02', count: [1, 'B'], amount: [500, 'B'] },
      '2026-03': { month: '2026-03', count: [1, 'E'], amount: [300, 'E'] },
    });
  });

  it('a period holding only an earlier loss counts it', () => {
    // G's loss on 01-04 is its last close up to 01-05.
    const result = lossesReport(input({ period: periodOf('2026-01-01', '2026-01-05') }));
    expect(figures(result)).toEqual({ lost: [1, 'G'], lostAmount: [100, 'G'] });
  });
});

describe('velocity', () => {
  it('days per stage from consecutive moves, stalled deals, and sales velocity', () => {
    const result = velocityReport(input());
    expect(read(result, 'stages')).toEqual({
      // stays ending in the period: A 5, B 10, E 33 (from 2025-12-01), F 20, G 2 and 63, H 22 (left for renewals).
      new: { stage: 'New', averageDays: [22.143, 'ABEFGH'], medianDays: [20, 'ABEFGH'], deals: [6, 'ABEFGH'], stalled: null },
      // A 10, C 10 and 10, E 57.
      qualified: { stage: 'Qualified', averageDays: [21.75, 'ACE'], medianDays: [10, 'ACE'], deals: [3, 'ACE'], stalled: null },
      // A 12, C 10, D 10; C in it since 02-07: 62 days, over 10.
      proposal: { stage: 'Proposal', averageDays: [10.667, 'ACD'], medianDays: [10, 'ACD'], deals: [3, 'ACD'], stalled: [1, 'C'] },
      negotiation: { stage: 'Negotiation', averageDays: [15, 'AB'], medianDays: [15, 'AB'], deals: [2, 'AB'], stalled: null },
    });
    // Open now: C. Closed in the period: A, F, G won; B, D, E lost: 3 of 6.
    // Won amounts 1200, 400, 150: 583.33 on average. Cycles: A 37 days, F 20, G 67: 41.333.
    // Velocity: 1 x 0.5 x 583.333... / 41.333... = 7.056... per day.
    expect(figures(result)).toEqual({
      openDeals: [1, 'C'],
      winRate: [0.5, 'AFG'],
      averageWonAmount: [583.33, 'AFG'],
      averageCycleDays: [41.333, 'AFG'],
      salesVelocity: [Math.round((1 * 0.5 * (175_000 / 3)) / (124 / 3)) / 100, 'C'],
    });
  });
});

describe('forecast', () => {
  it('weighted by the probability at stage entry, by expected close month and category', () => {
    // A won (closed, 100 %) closing in February: 1200. C in proposal (best case), entered at 40 % (the stage's is 50): 2000 x 0.4 in March.
    // F has no expected close; G closes after the period; B, D, E are lost (omitted); H is in another pipeline.
    const result = forecastReport(input());
    expect(read(result, 'byMonth')).toEqual({
      '2026-01': { month: '2026-01', pipeline: 0, best_case: 0, commit: 0, closed: 0, total: 0 },
      '2026-02': { month: '2026-02', pipeline: 0, best_case: 0, commit: 0, closed: [1200, 'A'], total: [1200, 'A'] },
      '2026-03': { month: '2026-03', pipeline: 0, best_case: [800, 'C'], commit: 0, closed: 0, total: [800, 'C'] },
    });
    expect(figures(result)).toEqual({ weightedTotal: [2000, 'AC'], unweightedTotal: [3200, 'AC'], noCloseDate: [1, 'F'] });
  });
});

describe('won and lost', () => {
  it('by month', () => {
    const result = wonLostReport(input());
    expect(read(result, 'wonLost')).toEqual({
      '2026-01': { month: '2026-01', won: [1, 'F'], wonAmount: [400, 'F'], lost: [1, 'D'], lostAmount: [800, 'D'] },
      '2026-02': { month: '2026-02', won: [1, 'A'], wonAmount: [1200, 'A'], lost: [1, 'B'], lostAmount: [500, 'B'] },
      '2026-03': { month: '2026-03', won: [1, 'G'], wonAmount: [150, 'G'], lost: [1, 'E'], lostAmount: [300, 'E'] },
    });
    expect(figures(result)).toEqual({ won: [3, 'AFG'], wonAmount: [1750, 'AFG'], lost: [3, 'BDE'], lostAmount: [1600, 'BDE'] });
  });

  it('by the owner when the deal closed', () => {
    const result = wonLostReport(input({ by: 'owner' }));
    expect(read(result, 'wonLost')).toEqual({
      u1: { owner: 'User u1', won: [2, 'AG'], wonAmount: [1350, 'AG'], lost: [3, 'BDE'], lostAmount: [1600, 'BDE'] },
      u2: { owner: 'User u2', won: [1, 'F'], wonAmount: [400, 'F'], lost: 0, lostAmount: 0 },
    });
  });
});

describe('amounts in another currency', () => {
  it('count, but are not summed', () => {
    const result = lossesReport(input({ currency: 'USD' }));
    expect(figures(result)).toEqual({ lost: [3, 'BDE'], lostAmount: [0, 'BDE'] });
  });
});
