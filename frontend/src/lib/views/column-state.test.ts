import { describe, expect, it } from 'vitest';
import { EMPTY_VIEW_STATE, type ViewState } from './apply-view.ts';
import { gridLayout, withDragged, withHidden, withMoved, withPinned, withWidth } from './column-state.ts';

const LOADED = ['name', 'stage', 'amount', 'tags'];
const layout = (s: ViewState) => gridLayout(LOADED, s);

describe('column state', () => {
  it('lays out visible columns, pinned first, with widths', () => {
    let s = withHidden(LOADED, EMPTY_VIEW_STATE, 'tags', true);
    s = withPinned(LOADED, s, 'amount', true);
    s = withWidth(LOADED, s, 'name', 251.6);
    expect(layout(s)).toEqual([{ key: 'amount', pin: 'colPinStart' }, { key: 'name', width: 252 }, { key: 'stage' }]);
  });

  it('keeps one column visible', () => {
    let s = EMPTY_VIEW_STATE;
    for (const key of LOADED) s = withHidden(LOADED, s, key, true);
    expect(layout(s).map((c) => c.key)).toEqual(['tags']);
  });

  it('moves a column among the visible ones, and takes a drag in either part of the grid', () => {
    const s = withHidden(LOADED, EMPTY_VIEW_STATE, 'stage', true);
    expect(layout(withMoved(LOADED, s, 'tags', -1)).map((c) => c.key)).toEqual(['name', 'tags', 'amount']);
    expect(layout(withMoved(LOADED, s, 'name', 5)).map((c) => c.key)).toEqual(['amount', 'tags', 'name']);
    const pinned = withPinned(LOADED, s, 'tags', true);
    expect(layout(withDragged(LOADED, pinned, 'rgCol', ['amount', 'name'])).map((c) => c.key)).toEqual(['tags', 'amount', 'name']);
    expect(withHidden(LOADED, withDragged(LOADED, pinned, 'rgCol', ['amount', 'name']), 'stage', false).columns.map((c) => c.key)).toEqual(['tags', 'amount', 'name', 'stage']);
  });
});
