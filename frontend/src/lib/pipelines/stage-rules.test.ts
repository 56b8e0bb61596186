import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE, type Pipeline } from '$contracts/deal-stages.ts';
import type { StageMove } from '$contracts/stage-moves.ts';
import { RENEWALS } from '../../../../test/support/pipelines.ts';
import { asksLossReason, lostStageEntered, stageColour, timelineOf } from './stage-rules.ts';

/** The browser tests' renewals pipeline, stored: Due, Quote, Renewed (won), Churned (lost). */
const renewals: Pipeline = { ...RENEWALS, version: 1 };
const pipelines = [DEFAULT_PIPELINE, renewals];

const move = (at: string, from: string | null, to: string, more: Partial<StageMove> = {}): StageMove => ({
  deal: 'D1',
  pipeline: 'default',
  from,
  to,
  at,
  by: 'ann',
  amount: 1200,
  currency: 'EUR',
  probability: null,
  owner: 'ann',
  dealVersion: 1,
  source: 'update',
  ...more,
});

describe('timelineOf', () => {
  it('lists the moves newest first, with labels, who, days in the stage entered (until the next move, the last until now)', () => {
    const lines = timelineOf(
      [
        move('2026-03-01T09:00:00.000Z', null, 'new', { source: 'create' }),
        move('2026-03-04T10:00:00.000Z', 'new', 'proposal', { dealVersion: 2, amount: 1500, probability: 50 }),
        move('2026-03-20T08:00:00.000Z', 'proposal', 'lost', { dealVersion: 3, lossReason: 'price', lossComment: 'Half the price elsewhere' }),
      ],
      pipelines,
      new Date('2026-03-25T12:00:00.000Z'),
    );
    expect(lines.map((l) => [l.from, l.to, l.days, l.current])).toEqual([
      ['Proposal', 'Lost', 5, true],
      ['New', 'Proposal', 15, false],
      [null, 'New', 3, false],
    ]);
    expect(lines[0]).toMatchObject({ lossReason: 'Price', lossComment: 'Half the price elsewhere', colour: '#dc2626', by: 'ann', amount: 1200, currency: 'EUR' });
    expect(lines[1]).toMatchObject({ amount: 1500, probability: 50, lossReason: undefined });
  });

  it('names a move into another pipeline by both pipelines\' stages; a stage or reason since removed by its key', () => {
    const lines = timelineOf(
      [
        move('2026-01-01T00:00:00.000Z', null, 'negotiation'),
        move('2026-01-02T00:00:00.000Z', 'negotiation', 'due', { pipeline: 'renewals', fromPipeline: 'default', dealVersion: 2 }),
        move('2026-01-03T00:00:00.000Z', 'due', 'churned', { pipeline: 'renewals', dealVersion: 3, lossReason: 'gone_bust' }),
        move('2026-01-04T00:00:00.000Z', 'churned', 'archived', { pipeline: 'renewals', dealVersion: 4 }),
      ],
      pipelines,
      new Date('2026-01-04T00:00:00.000Z'),
    );
    expect(lines.map((l) => [l.fromPipeline, l.from, l.to])).toEqual([
      [undefined, 'Churned', 'archived'],
      [undefined, 'Due', 'Churned'],
      ['Sales', 'Negotiation', 'Due'],
      [undefined, null, 'Negotiation'],
    ]);
    expect(lines[1].lossReason).toBe('gone_bust');
    // A stage no pipeline has any more is grey; one entered just now has been in it 0 days.
    expect(lines[0]).toMatchObject({ colour: '#94a3b8', days: 0 });
  });

  it('orders moves of one instant by the deal version they made', () => {
    const at = '2026-05-01T00:00:00.000Z';
    const lines = timelineOf([move(at, 'new', 'qualified', { dealVersion: 3 }), move(at, null, 'new', { dealVersion: 1 })], pipelines, new Date(at));
    expect(lines.map((l) => l.to)).toEqual(['Qualified', 'New']);
    expect(new Set(lines.map((l) => l.key)).size).toBe(2);
  });
});

describe('stage rules', () => {
  it('asks a loss reason only entering a lost stage; colours are the stage\'s own', () => {
    expect(renewals.stages.map(asksLossReason)).toEqual([false, false, false, true]);
    expect(asksLossReason(undefined)).toBe(false);
    expect(stageColour(renewals.stages[0])).toBe('#0ea5e9');
    expect(stageColour(undefined)).toBe('#94a3b8');
  });

  it('names the lost stage a move enters, in the deal\'s pipeline; none when it stays or is not lost', () => {
    expect(lostStageEntered(pipelines, 'renewals', 'due', 'Churned')).toEqual({ pipeline: renewals, stage: renewals.stages[3] });
    expect(lostStageEntered(pipelines, undefined, 'new', 'LOST')?.stage.key).toBe('lost');
    // Already lost (a paste of its own stage), not lost, or a stage of another pipeline: nothing to ask.
    expect(lostStageEntered(pipelines, 'renewals', 'churned', 'churned')).toBeUndefined();
    expect(lostStageEntered(pipelines, 'renewals', 'due', 'renewed')).toBeUndefined();
    expect(lostStageEntered(pipelines, 'renewals', 'due', 'lost')).toBeUndefined();
    expect(lostStageEntered(pipelines, 'gone', 'due', 'churned')).toBeUndefined();
  });
});
