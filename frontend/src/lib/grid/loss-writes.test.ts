// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { dealType } from '$contracts/deal.ts';
import { DEFAULT_PIPELINE } from '$contracts/deal-stages.ts';
import { gridFields } from '../records/grid-fields.ts';
import type { CellWrite } from './cell-writes.ts';
import { lossesAsked, withLoss } from './loss-writes.ts';

const fields = gridFields(dealType, ['name', 'stage', 'pipeline', 'lossReason', 'lossComment'], []);
const [name, stage] = fields;
const row = (id: string, dealName: string, stageKey = 'new') => [id, 1, dealName, stageKey, null, null, null];
const pipelines = [DEFAULT_PIPELINE];

describe('lossesAsked and withLoss', () => {
  it('asks only for stage cells entering a lost stage (typed or picked), once for the batch', () => {
    const a = row('A', 'Alpha');
    const b = row('B', 'Beta');
    const c = row('C', 'Gamma');
    const batch: CellWrite[] = [
      { row: a, field: stage, text: 'lost' },
      { row: b, field: stage, text: 'Won' },
      { row: c, field: stage, text: 'LOST' },
      { row: b, field: name, text: 'Beta two' },
    ];
    const asked = lossesAsked(batch, fields, pipelines)!;
    expect(asked.writes).toEqual([batch[0], batch[2]]);
    expect(asked.stage.key).toBe('lost');
    expect(asked.pipeline.key).toBe('default');
    // Nothing lost, or a text naming no stage (refused on its cell later): nothing asked.
    expect(lossesAsked([batch[1], batch[3], { row: a, field: stage, text: 'Gone' }], fields, pipelines)).toBeUndefined();
    // A deal already lost, pasted over with its own stage, moves nowhere: not asked.
    expect(lossesAsked([{ row: row('D', 'Delta', 'lost'), field: stage, text: 'Lost' }], fields, pipelines)).toBeUndefined();
    // A paste that gives the reason itself is not asked again.
    expect(lossesAsked([batch[0], { row: a, field: fields[3], text: 'Price' }], fields, pipelines)).toBeUndefined();
  });

  it('adds the reason and comment next to each lost deal\'s stage; a cancel drops those stage cells only', () => {
    const a = row('A', 'Alpha');
    const b = row('B', 'Beta');
    const batch: CellWrite[] = [
      { row: a, field: stage, text: 'Lost' },
      { row: b, field: name, text: 'Beta two' },
    ];
    const asked = lossesAsked(batch, fields, pipelines)!;
    expect(withLoss(batch, asked, { lossReason: 'price', lossComment: 'Half the price elsewhere' }, fields).map((w) => [w.row[0], w.field.key, w.text, w.value])).toEqual([
      ['A', 'stage', 'Lost', undefined],
      ['A', 'lossReason', 'Price', 'price'],
      ['A', 'lossComment', 'Half the price elsewhere', 'Half the price elsewhere'],
      ['B', 'name', 'Beta two', undefined],
    ]);
    expect(withLoss(batch, asked, { lossReason: 'timing' }, fields).map((w) => w.field.key)).toEqual(['stage', 'lossReason', 'name']);
    expect(withLoss(batch, asked, undefined, fields)).toEqual([batch[1]]);
  });
});
