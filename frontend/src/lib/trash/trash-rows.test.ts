import { describe, expect, it } from 'vitest';
import { trashRows } from './trash-rows.ts';

const meta = { createdAt: '2026-01-01T00:00:00.000Z', createdBy: 's1', updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 's1', owner: 's1' };

describe('trashRows', () => {
  it('names who deleted, newest first, with whole days left until the purge', () => {
    const now = new Date('2026-03-01T12:00:00.000Z');
    const rows = trashRows(
      [
        { ...meta, id: '01ARZ3NDEKTSV4RRFFQ69G5FAA', version: 2, name: 'Old', deletedAt: '2026-02-01T12:00:00.000Z', deletedBy: 's1', purgeAt: '2026-03-03T12:00:00.000Z' },
        { ...meta, id: '01ARZ3NDEKTSV4RRFFQ69G5FAB', version: 3, deletedAt: '2026-03-01T11:00:00.000Z', deletedBy: 'gone', purgeAt: '2026-03-31T11:00:00.000Z' },
        { ...meta, id: '01ARZ3NDEKTSV4RRFFQ69G5FAC', version: 2, name: 'Due', deletedAt: '2026-01-30T10:00:00.000Z', deletedBy: 's1', purgeAt: '2026-03-01T10:00:00.000Z' },
      ],
      { s1: 'Ada' },
      now,
    );
    expect(rows.map((r) => [r.name, r.deletedBy, r.daysLeft])).toEqual([
      ['Unnamed', 'gone', 30],
      ['Old', 'Ada', 2],
      ['Due', 'Ada', 0],
    ]);
  });
});
