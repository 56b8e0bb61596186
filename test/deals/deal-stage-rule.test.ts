/** The one rule of a deal's place in the funnel (functions/deals/deal-stage.ts), on pipelines as data: no table. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE, Pipeline } from '../../functions/contracts/deal-stages.ts';
import { planDealStage, type DealWrite } from '../../functions/deals/deal-stage.ts';
import { refusal } from '../support/refusals.ts';

const RENEWALS: Pipeline = Pipeline.parse({
  key: 'renewals',
  label: 'Renewals',
  version: 3,
  stages: [
    { key: 'due', label: 'Due', probability: 50, forecast: 'pipeline', colour: '#000000' },
    { key: 'quoted', label: 'Quoted', probability: 70, forecast: 'commit', colour: '#111111', requiredFields: ['amount', 'expectedClose'], onEnter: { process: 'quick-sale' } },
    { key: 'renewed', label: 'Renewed', probability: 100, forecast: 'closed', colour: '#222222', outcome: 'won', onEnter: { process: 'quick-sale' } },
    { key: 'churned', label: 'Churned', probability: 0, forecast: 'omitted', colour: '#333333', outcome: 'lost' },
  ],
  lossReasons: [{ key: 'price', label: 'Too expensive' }],
});
const PIPELINES = [DEFAULT_PIPELINE, RENEWALS];

const creation = (fields: Record<string, unknown>, source: DealWrite['source'] = 'create'): DealWrite => ({
  writer: { sub: 'ann' },
  id: 'D1',
  at: '2026-03-01T10:00:00.000Z',
  next: fields,
  changed: fields,
  version: 1,
  source,
});
const change = (current: Record<string, unknown>, changed: Record<string, unknown>, source: DealWrite['source'] = 'update'): DealWrite => ({
  writer: { sub: 'bob' },
  id: 'D1',
  at: '2026-03-02T10:00:00.000Z',
  current: { owner: 'ann', ...current },
  next: { ...current, ...changed },
  changed,
  version: 5,
  source,
});

describe('a deal\'s stage rule', () => {
  it('starts a new deal in its pipeline\'s first stage, with a move from nowhere', () => {
    const plan = planDealStage(PIPELINES, creation({ name: 'New one', amount: { amount: '120.50', currency: 'EUR' } }));
    expect(plan.fields).toEqual({ pipeline: 'default', stage: 'new' });
    expect(plan.moves).toEqual([
      { deal: 'D1', pipeline: 'default', from: null, to: 'new', at: '2026-03-01T10:00:00.000Z', by: 'ann', amount: 120.5, currency: 'EUR', probability: 10, owner: 'ann', dealVersion: 1, source: 'create' },
    ]);
  });

  it('stores stages by key from a label, and refuses a stage of another pipeline or none', () => {
    expect(planDealStage(PIPELINES, creation({ pipeline: 'Renewals', stage: ' DUE ' })).fields).toEqual({ pipeline: 'renewals', stage: 'due' });
    expect(refusal(() => planDealStage(PIPELINES, creation({ pipeline: 'renewals', stage: 'won' })))).toEqual([{ path: 'stage', message: 'must be one of Due, Quoted, Renewed, Churned' }]);
    expect(refusal(() => planDealStage(PIPELINES, creation({ pipeline: 'upsell' })))).toEqual([{ path: 'pipeline', message: 'must be one of Sales, Renewals' }]);
  });

  it('makes no move and sets nothing when a change leaves stage, pipeline and loss alone', () => {
    expect(planDealStage(PIPELINES, change({ stage: 'new' }, { name: 'Renamed' }))).toEqual({ fields: {}, moves: [] });
    // Written as it was: no move either.
    expect(planDealStage(PIPELINES, change({ pipeline: 'default', stage: 'new' }, { stage: 'New' })).moves).toEqual([]);
  });

  it('refuses entering a stage without its required fields, naming each', () => {
    expect(refusal(() => planDealStage(PIPELINES, change({ pipeline: 'renewals', stage: 'due' }, { stage: 'quoted', expectedClose: '' })))).toEqual([
      { path: 'amount', message: 'is required to enter Quoted' },
      { path: 'expectedClose', message: 'is required to enter Quoted' },
    ]);
    const plan = planDealStage(PIPELINES, change({ pipeline: 'renewals', stage: 'due', amount: { amount: '10', currency: 'USD' }, expectedClose: '2026-05-01' }, { stage: 'quoted' }));
    expect(plan.moves).toMatchObject([{ from: 'due', to: 'quoted', probability: 70, by: 'bob', owner: 'ann', dealVersion: 5, process: 'quick-sale' }]);
    // A stage merge moves deals an administrator decided on: no required field stops it, and it starts no process.
    const merged = planDealStage(PIPELINES, change({ pipeline: 'renewals', stage: 'due' }, { stage: 'quoted' }, 'merge'));
    expect(merged.moves).toMatchObject([{ to: 'quoted', source: 'merge' }]);
    expect(merged.moves[0].process).toBeUndefined();
  });

  it('needs a reason of the pipeline\'s list to lose a deal, keeps it on the move, and clears it when the deal is reopened', () => {
    expect(refusal(() => planDealStage(PIPELINES, change({ stage: 'proposal' }, { stage: 'lost' })))).toEqual([
      { path: 'lossReason', message: 'is required to enter Lost: one of Price, Competitor, No budget, No decision, Timing, Other' },
    ]);
    expect(refusal(() => planDealStage(PIPELINES, change({ pipeline: 'renewals', stage: 'due' }, { stage: 'churned', lossReason: 'competitor' })))).toEqual([
      { path: 'lossReason', message: 'is no loss reason of the pipeline: one of Too expensive' },
    ]);
    const lost = planDealStage(PIPELINES, change({ stage: 'proposal' }, { stage: 'lost', lossReason: 'No budget', lossComment: 'Frozen' }));
    expect(lost.fields).toEqual({ pipeline: 'default', stage: 'lost', lossReason: 'no_budget' });
    expect(lost.moves).toMatchObject([{ from: 'proposal', to: 'lost', probability: 0, lossReason: 'no_budget', lossComment: 'Frozen' }]);
    expect(refusal(() => planDealStage(PIPELINES, change({ stage: 'new' }, { lossReason: 'price' })))).toEqual([{ path: 'lossReason', message: 'is only for a lost deal (stage New is not lost)' }]);
    const reopened = planDealStage(PIPELINES, change({ stage: 'lost', lossReason: 'price', lossComment: 'x' }, { stage: 'proposal' }));
    expect(reopened.fields).toEqual({ pipeline: 'default', stage: 'proposal', lossReason: null, lossComment: null });
  });

  it('records a change of pipeline as a move from the old pipeline\'s stage', () => {
    const plan = planDealStage(PIPELINES, change({ stage: 'negotiation' }, { pipeline: 'renewals', stage: 'due' }, 'board'));
    expect(plan.moves).toMatchObject([{ pipeline: 'renewals', fromPipeline: 'default', from: 'negotiation', to: 'due', source: 'board' }]);
  });

  it('takes an imported history as given moves, each checked, ending where the deal does', () => {
    const given = [
      { line: 2, from: null, to: 'Due', at: '2025-01-01T00:00:00.000Z', by: 'ann', amount: 5 },
      { line: 3, from: 'due', to: 'churned', at: '2025-02-01T00:00:00.000Z', by: 'ann', lossReason: 'Too expensive' },
    ];
    const plan = planDealStage(PIPELINES, change({ pipeline: 'renewals', stage: 'due' }, { stage: 'churned', lossReason: 'price' }, 'import'), given);
    expect(plan.moves.map(({ from, to, at, lossReason, source, process }) => ({ from, to, at, lossReason, source, process }))).toEqual([
      { from: null, to: 'due', at: '2025-01-01T00:00:00.000Z', lossReason: undefined, source: 'import', process: undefined },
      { from: 'due', to: 'churned', at: '2025-02-01T00:00:00.000Z', lossReason: 'price', source: 'import', process: undefined },
    ]);
    expect(refusal(() => planDealStage(PIPELINES, change({ pipeline: 'renewals', stage: 'due' }, { stage: 'due' }, 'import'), [{ line: 7, from: null, to: 'won', at: 'x', by: 'ann' }]))).toEqual([
      { path: 'line 7.to', message: 'must be one of Due, Quoted, Renewed, Churned' },
    ]);
  });
});

describe('a pipeline', () => {
  it('needs a won and a lost stage, and names told apart', () => {
    const result = Pipeline.safeParse({ ...DEFAULT_PIPELINE, stages: DEFAULT_PIPELINE.stages.filter((stage) => !stage.outcome), lossReasons: [{ key: 'a', label: 'Same' }, { key: 'b', label: 'same' }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map(({ path, message }) => ({ path: path.join('.'), message }))).toEqual([
      { path: 'lossReasons.1', message: 'reads like reason 1 (“same”)' },
      { path: 'stages', message: 'needs a won stage (outcome: won)' },
      { path: 'stages', message: 'needs a lost stage (outcome: lost)' },
    ]);
  });
});
