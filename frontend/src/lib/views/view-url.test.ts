import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FILTER_OPS, type ViewFilter } from '$contracts/views.ts';
import type { ViewState } from './apply-view.ts';
import { isTyping, queryOfState, stateOfQuery, urlOfState } from './view-url.ts';
import { sameState, stateOfView, viewOfState } from './saved-view.ts';

const LOADED = ['name', 'stage', 'amount', 'tags', 'cf_tier'];
const key = fc.constantFrom(...LOADED);
const filter: fc.Arbitrary<ViewFilter> = fc
  .tuple(key, fc.constantFrom(...FILTER_OPS), fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean()), fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { minLength: 1, maxLength: 3 }))
  .map(([field, op, value, list]) => (op === 'empty' || op === 'notEmpty' ? { field, op } : op === 'in' ? { field, op, value: list } : { field, op, value }));
const state: fc.Arbitrary<ViewState> = fc.record({
  columns: fc.uniqueArray(fc.record({ key, width: fc.option(fc.integer({ min: 40, max: 2000 }), { nil: undefined }), hidden: fc.boolean(), pinned: fc.boolean() }), { selector: (c) => c.key }),
  filters: fc.array(filter, { maxLength: 3 }),
  sort: fc.array(fc.record({ field: key, direction: fc.constantFrom('asc' as const, 'desc' as const) }), { maxLength: 3 }),
  groupBy: fc.option(key, { nil: undefined }),
  collapsed: fc.option(fc.uniqueArray(fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)).map((v) => JSON.stringify(v)), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  search: fc.string({ maxLength: 10 }),
});
/** A state with a column visible, as any state the toolbar makes has. */
const usable = state.filter((s) => s.columns.length < LOADED.length || s.columns.some((c) => !c.hidden));

describe('the view in the URL', () => {
  it('round-trips any state over any saved view', () => {
    fc.assert(
      fc.property(usable, usable, (now, base) => {
        const params = new URLSearchParams(queryOfState(now, base, LOADED));
        const back = stateOfQuery(new URLSearchParams(params.toString()), base, LOADED);
        expect(back.filters).toEqual(now.filters);
        expect(back.sort).toEqual(now.sort);
        expect(back.groupBy).toEqual(now.groupBy);
        expect(back.search).toEqual(now.search);
        expect(back.collapsed).toEqual(now.collapsed);
        expect(viewOfState(back, LOADED)).toEqual(viewOfState(now, LOADED));
        expect(sameState(back, now, LOADED)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('says nothing but the view when nothing changed, and little when something did', () => {
    const base = stateOfView({ columns: ['name', 'stage', 'amount'], sort: [{ field: 'name' }] }, LOADED);
    expect(queryOfState(base, base, LOADED)).toEqual([]);
    const changed: ViewState = { ...base, search: 'acme', sort: [{ field: 'amount', direction: 'desc' }], filters: [{ field: 'stage', op: 'in', value: ['won', 'lost'] }] };
    const url = urlOfState(new URL('http://x/deals?view=V1&q=old'), 'V1', changed, base, LOADED);
    expect(url.search).toBe('?view=V1&q=acme&f=stage.in.%5B%22won%22%2C%22lost%22%5D&s=-amount');
  });

  it('leaves out what does not parse', () => {
    const base = stateOfView({ columns: ['name'] }, LOADED);
    const back = stateOfQuery(new URLSearchParams('f=name.contains&f=nope&f=size.gt.{&s=,-stage&c=^nope,stage~99999,stage&g='), base, LOADED);
    expect(back.filters).toEqual([]);
    expect(back.sort).toEqual([{ field: 'stage', direction: 'desc' }]);
    expect(back.groupBy).toBeUndefined();
    expect(viewOfState(back, LOADED)).toEqual({ columns: ['stage'], filters: [], sort: [{ field: 'stage', direction: 'desc' }], widths: { stage: 2000 } });
  });
});

describe('a saved view as state', () => {
  it('shows its columns in order with widths and pins, hides the other loaded ones, and saves back the same', () => {
    const view = { columns: ['stage', 'name', 'gone'], widths: { name: 300 }, pinned: ['name'], sort: [{ field: 'name' }], filters: [{ field: 'tags', op: 'notEmpty' as const }] };
    const s = stateOfView(view, LOADED);
    expect(s.columns).toEqual([{ key: 'stage' }, { key: 'name', width: 300, pinned: true }, { key: 'amount', hidden: true }, { key: 'tags', hidden: true }, { key: 'cf_tier', hidden: true }]);
    expect(viewOfState(s, LOADED)).toEqual({ columns: ['name', 'stage'], widths: { name: 300 }, pinned: ['name'], sort: [{ field: 'name', direction: 'asc' }], filters: view.filters });
  });
});

describe('isTyping', () => {
  const base: ViewState = { columns: [], filters: [{ field: 'name', op: 'contains', value: 'ac' }], sort: [{ field: 'name', direction: 'asc' }], search: '' };

  it('is the quick search typed, or a filter value typed in place', () => {
    expect(isTyping(base, { ...base, search: 'a' })).toBe(true);
    expect(isTyping(base, { ...base, filters: [{ field: 'name', op: 'contains', value: 'acm' }] })).toBe(true);
  });

  it('is not a filter added, removed or changed in kind, nor a sort, column or grouping change', () => {
    expect(isTyping(base, { ...base, filters: [] })).toBe(false);
    expect(isTyping(base, { ...base, filters: [...base.filters, { field: 'stage', op: 'empty' }] })).toBe(false);
    expect(isTyping(base, { ...base, filters: [{ field: 'name', op: 'startsWith', value: 'ac' }] })).toBe(false);
    expect(isTyping(base, { ...base, sort: [] })).toBe(false);
    expect(isTyping(base, { ...base, groupBy: 'stage' })).toBe(false);
    expect(isTyping(base, { ...base, search: 'a', filters: [] })).toBe(false);
  });
});
