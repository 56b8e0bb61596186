import { describe, expect, it } from 'vitest';
import { describeFilters } from './column-filter.ts';

describe('describeFilters', () => {
  it('lists a few values, and says ids and long lists by their length', () => {
    expect(describeFilters('Stage', [{ field: 'stage', op: 'in', value: ['new', 'won'] }])).toBe('Stage is new, won');
    expect(describeFilters('Id', [{ field: 'id', op: 'in', value: ['01JA', '01JB', '01JC'] }])).toBe('Id is one of 3');
    const many = Array.from({ length: 5_000 }, (_, i) => `t${i}`);
    expect(describeFilters('Tags', [{ field: 'tags', op: 'in', value: many }])).toBe('Tags is one of 5,000');
  });
});
