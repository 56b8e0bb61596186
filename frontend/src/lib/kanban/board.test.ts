import { describe, expect, it } from 'vitest';
import { buildBoard, withDeal, type BoardDeal } from './board.ts';
import { DEAL_STAGES, stageChoices } from './deal-stages.ts';

const deal = (id: string, stage: string | undefined, amount?: [string, string]): BoardDeal => ({
  id,
  version: 1,
  name: `Deal ${id}`,
  stage,
  amount: amount ? { amount: amount[0], currency: amount[1] } : null,
});

describe('buildBoard', () => {
  it('puts deals in their stage columns, in pipeline order, with counts and sums per currency', () => {
    const board = buildBoard(
      [deal('a', 'proposal', ['0.10', 'EUR']), deal('b', 'proposal', ['0.20', 'EUR']), deal('c', 'proposal', ['1000', 'JPY']), deal('d', 'won', ['5', 'USD'])],
      DEAL_STAGES,
    );
    expect(board.map((c) => c.stage)).toEqual(DEAL_STAGES.map((s) => s.value));
    const proposal = board.find((c) => c.stage === 'proposal')!;
    expect(proposal.deals.map((d) => d.id)).toEqual(['a', 'b', 'c']);
    // 0.1 + 0.2 in floats is 0.30000000000000004; minor units are exact.
    expect(proposal.totals).toEqual([{ amount: '0.30', currency: 'EUR' }, { amount: '1000', currency: 'JPY' }]);
    expect(board.find((c) => c.stage === 'new')).toMatchObject({ deals: [], totals: [] });
  });

  it('gives deals without a stage, and stages not in the pipeline, columns of their own', () => {
    const board = buildBoard([deal('a', undefined), deal('b', 'zeta'), deal('c', 'alpha'), deal('d', 'new')], DEAL_STAGES);
    expect(board.map((c) => c.label)).toEqual(['No stage', ...DEAL_STAGES.map((s) => s.label), 'alpha', 'zeta']);
    expect(board[0]).toMatchObject({ stage: null, deals: [{ id: 'a' }] });
    expect(buildBoard([deal('d', 'new')], DEAL_STAGES).map((c) => c.stage)).not.toContain(null);
  });

  it('moves a deal by computing the board again', () => {
    const deals = [deal('a', 'new', ['10', 'EUR']), deal('b', 'new', ['5', 'EUR'])];
    const board = buildBoard(withDeal(deals, 'a', { stage: 'won', version: 2 }), DEAL_STAGES);
    expect(board.find((c) => c.stage === 'new')!.totals).toEqual([{ amount: '5.00', currency: 'EUR' }]);
    expect(board.find((c) => c.stage === 'won')!.deals).toEqual([{ ...deals[0], stage: 'won', version: 2 }]);
  });
});

describe('stageChoices', () => {
  it('offers the pipeline, and a deal\'s own stage when it is not in it', () => {
    expect(stageChoices('won')).toEqual(DEAL_STAGES.map((s) => s.value));
    expect(stageChoices('on hold')).toEqual([...DEAL_STAGES.map((s) => s.value), 'on hold']);
    expect(stageChoices(undefined)).toHaveLength(DEAL_STAGES.length);
  });
});
