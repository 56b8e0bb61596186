import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE, PipelineFields } from '$contracts/deal-stages.ts';
import { addLossReason, addStage, draftOf, keyFrom, moveItem, newPipeline } from './pipeline-drafts.ts';

describe('pipeline drafts', () => {
  it('keys a label as the contract keys stages, never one taken', () => {
    expect(keyFrom('Closed won', [])).toBe('closed_won');
    expect(keyFrom('  Démo / Trial ', [])).toBe('demo_trial');
    expect(keyFrom('2nd call', [])).toBe('nd_call');
    expect(keyFrom('!!!', [])).toBe('stage');
    expect(keyFrom('New', ['new', 'new_2'])).toBe('new_3');
    expect(keyFrom('x'.repeat(80), []).length).toBeLessThanOrEqual(40);
  });

  it('adds a stage before the won and lost ones, and a reason at the end; the draft stays a valid pipeline', () => {
    const draft = draftOf(DEFAULT_PIPELINE);
    addStage(draft, 'Demo');
    expect(draft.stages.map((s) => s.key)).toEqual(['new', 'qualified', 'proposal', 'negotiation', 'demo', 'won', 'lost']);
    addLossReason(draft, 'Price');
    expect(draft.lossReasons.at(-1)).toEqual({ key: 'price_2', label: 'Price' });
    expect(PipelineFields.safeParse(draft).success).toBe(false);
    draft.lossReasons.pop();
    expect(PipelineFields.safeParse(draft).error).toBeUndefined();
    // The stored pipeline is not changed by its draft.
    expect(DEFAULT_PIPELINE.stages).toHaveLength(6);
  });

  it('moves an item up or down in place, not past either end', () => {
    const list = ['a', 'b', 'c'];
    expect(moveItem(list, 2, -1)).toBe(true);
    expect(list).toEqual(['a', 'c', 'b']);
    expect(moveItem(list, 0, -1)).toBe(false);
    expect(moveItem(list, 2, 1)).toBe(false);
    expect(list).toEqual(['a', 'c', 'b']);
  });

  it('starts a new pipeline that the contract accepts, keyed apart from the others', () => {
    const made = newPipeline('Renewals', ['renewals']);
    expect(made.key).toBe('renewals_2');
    expect(PipelineFields.safeParse(made).error).toBeUndefined();
  });
});
