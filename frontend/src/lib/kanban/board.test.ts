import { describe, expect, it } from 'vitest';
import { buildBoard, closeWindow, filterDeals, summarise, weightedAmount, withDeal, type BoardDeal } from './board.ts';
import { DEFAULT_PIPELINE as PIPELINE } from '$contracts/deal-stages.ts';

const deal = (id: string, stage: string | undefined, amount?: [string, string], more: Partial<BoardDeal> = {}): BoardDeal => ({
  id,
  version: 1,
  name: `Deal ${id}`,
  stage,
  amount: amount ? { amount: amount[0], currency: amount[1] } : null,
  ...more,
});

const keys = PIPELINE.stages.map((s) => s.key);

describe('buildBoard', () => {
  it('puts deals in their stage columns, in pipeline order, with counts and sums per currency', () => {
    const board = buildBoard([deal('a', 'proposal', ['0.10', 'EUR']), deal('b', 'proposal', ['0.20', 'EUR']), deal('c', 'proposal', ['1000', 'JPY']), deal('d', 'won', ['5', 'USD'])], PIPELINE);
    expect(board.map((c) => c.stage)).toEqual(keys);
    const proposal = board.find((c) => c.stage === 'proposal')!;
    expect(proposal.deals.map((d) => d.id)).toEqual(['a', 'b', 'c']);
    // 0.1 + 0.2 in floats is 0.30000000000000004; minor units are exact.
    expect(proposal.totals).toEqual([{ amount: '0.30', currency: 'EUR' }, { amount: '1000', currency: 'JPY' }]);
    expect(board.find((c) => c.stage === 'new')).toMatchObject({ deals: [], totals: [], weighted: [] });
  });

  it('reads a stage stored in another case as the stage it names; deals without one, and values naming none, get columns of their own', () => {
    const board = buildBoard([deal('a', undefined), deal('b', 'zeta'), deal('c', 'alpha'), deal('d', 'new'), deal('e', 'Lost'), deal('f', 'LOST')], PIPELINE);
    expect(board.map((c) => c.label)).toEqual(['No stage', 'New', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost', 'alpha', 'zeta']);
    expect(board[0]).toMatchObject({ stage: null, deals: [{ id: 'a' }] });
    expect(board.find((c) => c.stage === 'lost')!.deals.map((d) => d.id)).toEqual(['e', 'f']);
    expect(buildBoard([deal('d', 'new')], PIPELINE).map((c) => c.stage)).not.toContain(null);
  });

  it('moves a deal by computing the board again', () => {
    const deals = [deal('a', 'new', ['10', 'EUR']), deal('b', 'new', ['5', 'EUR'])];
    const board = buildBoard(withDeal(deals, 'a', { stage: 'won', version: 2 }), PIPELINE);
    expect(board.find((c) => c.stage === 'new')!.totals).toEqual([{ amount: '5.00', currency: 'EUR' }]);
    expect(board.find((c) => c.stage === 'won')!.deals).toEqual([{ ...deals[0], stage: 'won', version: 2 }]);
  });
});

describe('money a manager reads', () => {
  it('weighs an amount by a percent, rounded half away from zero to the minor unit', () => {
    expect(weightedAmount({ amount: '1000.00', currency: 'EUR' }, 25)).toEqual({ amount: '250.00', currency: 'EUR' });
    expect(weightedAmount({ amount: '0.05', currency: 'EUR' }, 50)).toEqual({ amount: '0.03', currency: 'EUR' });
    expect(weightedAmount({ amount: '999', currency: 'JPY' }, 12.5)).toEqual({ amount: '125', currency: 'JPY' });
    expect(weightedAmount({ amount: '-10.00', currency: 'EUR' }, 33)).toEqual({ amount: '-3.30', currency: 'EUR' });
  });

  it('weighs by the deal\'s probability, else its stage\'s; sums the open pipeline, won and lost per currency', () => {
    const board = buildBoard(
      [
        deal('a', 'proposal', ['1000', 'EUR'], { probability: 20 }), // its own: 200
        deal('b', 'proposal', ['500', 'EUR']), // the stage's 50 %: 250
        deal('c', 'new', ['300', 'USD']), // 10 %: 30
        deal('d', 'won', ['700', 'EUR'], { probability: 10 }), // won counts whole
        deal('e', 'lost', ['900', 'EUR']),
        deal('f', 'qualified'), // no amount: counted, sums nothing
      ],
      PIPELINE,
    );
    expect(board.find((c) => c.stage === 'proposal')!.weighted).toEqual([{ amount: '450.00', currency: 'EUR' }]);
    expect(board.find((c) => c.stage === 'won')!.weighted).toEqual([{ amount: '700.00', currency: 'EUR' }]);
    expect(board.find((c) => c.stage === 'lost')!.weighted).toEqual([{ amount: '0.00', currency: 'EUR' }]);
    expect(summarise(board, PIPELINE)).toEqual({
      open: {
        count: 4,
        totals: [{ amount: '300.00', currency: 'USD' }, { amount: '1500.00', currency: 'EUR' }],
        weighted: [{ amount: '30.00', currency: 'USD' }, { amount: '450.00', currency: 'EUR' }],
      },
      won: { count: 1, totals: [{ amount: '700.00', currency: 'EUR' }] },
      lost: { count: 1, totals: [{ amount: '900.00', currency: 'EUR' }] },
    });
  });
});

describe('filters', () => {
  const today = '2026-05-20';

  it('knows the periods around a day, across year ends', () => {
    expect(closeWindow('this-month', today)).toEqual({ from: '2026-05-01', to: '2026-05-31' });
    expect(closeWindow('next-month', '2026-12-03')).toEqual({ from: '2027-01-01', to: '2027-01-31' });
    expect(closeWindow('this-quarter', today)).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(closeWindow('next-quarter', '2026-11-30')).toEqual({ from: '2027-01-01', to: '2027-03-31' });
    expect(closeWindow('this-year', today)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(closeWindow('this-month', '2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('keeps the deals of an owner and a close-date period', () => {
    const deals = [
      deal('may', 'new', undefined, { owner: 'ann', expectedClose: '2026-05-31' }),
      deal('june', 'new', undefined, { owner: 'bob', expectedClose: '2026-06-01' }),
      deal('late', 'proposal', undefined, { owner: 'ann', expectedClose: '2026-05-19' }),
      deal('closed', 'won', undefined, { owner: 'ann', expectedClose: '2026-01-10' }),
      deal('undated', 'new', undefined, { owner: 'bob' }),
    ];
    const ids = (filter: Parameters<typeof filterDeals>[1]) => filterDeals(deals, filter, PIPELINE, today).map((d) => d.id);
    expect(ids({ close: 'any' })).toEqual(['may', 'june', 'late', 'closed', 'undated']);
    expect(ids({ close: 'this-month' })).toEqual(['may', 'late']);
    expect(ids({ close: 'next-month' })).toEqual(['june']);
    expect(ids({ close: 'this-quarter', owner: 'bob' })).toEqual(['june']);
    // Overdue: the date has passed and the deal is still open (a won deal is not overdue).
    expect(ids({ close: 'overdue' })).toEqual(['late']);
    expect(ids({ close: 'none' })).toEqual(['undated']);
    expect(ids({ close: 'any', owner: 'ann' })).toEqual(['may', 'late', 'closed']);
    expect(ids({ close: 'any', owner: 'nobody' })).toEqual([]);
  });

  it('keeps the deals of the pipeline shown: one without a pipeline is in the tenant\'s first', () => {
    const renewals = { ...PIPELINE, key: 'renewals', label: 'Renewals' };
    const pipelines = [PIPELINE, renewals];
    const deals = [deal('plain', 'new'), deal('sales', 'new', undefined, { pipeline: 'default' }), deal('renewal', 'new', undefined, { pipeline: 'renewals' })];
    expect(filterDeals(deals, { close: 'any' }, PIPELINE, today, pipelines).map((d) => d.id)).toEqual(['plain', 'sales']);
    expect(filterDeals(deals, { close: 'any', pipeline: 'renewals' }, renewals, today, pipelines).map((d) => d.id)).toEqual(['renewal']);
  });
});
