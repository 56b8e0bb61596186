import { describe, expect, it } from 'vitest';
import type { SortState } from './apply-view.ts';
import { MAX_SORT_KEYS, sortByHeader, sortMark } from './header-sort.ts';

const asc = (field: string): SortState => ({ field, direction: 'asc' });
const desc = (field: string): SortState => ({ field, direction: 'desc' });

describe('sorting from a header', () => {
  it('cycles one column: ascending, descending, off; a click on another column sorts by it alone', () => {
    let sort = sortByHeader([], 'name', false);
    expect(sort).toEqual([asc('name')]);
    sort = sortByHeader(sort, 'name', false);
    expect(sort).toEqual([desc('name')]);
    expect(sortByHeader(sort, 'name', false)).toEqual([]);
    expect(sortByHeader([desc('name')], 'size', false)).toEqual([asc('size')]);
    // One of several keys, clicked without Shift, becomes the only one.
    expect(sortByHeader([asc('name'), desc('size')], 'size', false)).toEqual([asc('size')]);
  });

  it('with Shift adds a further key, turns it, then drops it, keeping the others in place', () => {
    let sort = sortByHeader([asc('industry')], 'size', true);
    expect(sort).toEqual([asc('industry'), asc('size')]);
    sort = sortByHeader(sort, 'industry', true);
    expect(sort).toEqual([desc('industry'), asc('size')]);
    sort = sortByHeader(sort, 'industry', true);
    expect(sort).toEqual([asc('size')]);
    const full = Array.from({ length: MAX_SORT_KEYS }, (_, i) => asc(`f${i}`));
    expect(sortByHeader(full, 'name', true)).toEqual(full);
  });

  it('marks a sorted column with its direction and position', () => {
    expect(sortMark([asc('a'), desc('b')], 'b')).toEqual({ direction: 'desc', position: 2 });
    expect(sortMark([asc('a')], 'c')).toBeUndefined();
  });
});
