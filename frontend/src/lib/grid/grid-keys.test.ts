import { describe, expect, it } from 'vitest';
import { editingKey, navigationKey, tabFrom } from './grid-keys.ts';

const size = { rows: 3, cols: 4 };
const at = (row: number, col: number) => ({ row, col });
const nav = (key: string, from = at(1, 1), extra = {}) => navigationKey({ key, ...extra }, from, size);

describe('navigationKey', () => {
  it('moves one cell with the arrows and stops at the edges', () => {
    expect(nav('ArrowDown')).toEqual({ type: 'move', to: at(2, 1) });
    expect(nav('ArrowUp')).toEqual({ type: 'move', to: at(0, 1) });
    expect(nav('ArrowRight')).toEqual({ type: 'move', to: at(1, 2) });
    expect(nav('ArrowLeft')).toEqual({ type: 'move', to: at(1, 0) });
    expect(nav('ArrowDown', at(2, 3))).toEqual({ type: 'move', to: at(2, 3) });
    expect(nav('ArrowLeft', at(0, 0))).toEqual({ type: 'move', to: at(0, 0) });
  });

  it('jumps to row and grid ends with Home/End and Ctrl', () => {
    expect(nav('Home')).toEqual({ type: 'move', to: at(1, 0) });
    expect(nav('End')).toEqual({ type: 'move', to: at(1, 3) });
    expect(nav('Home', at(2, 2), { ctrlKey: true })).toEqual({ type: 'move', to: at(0, 0) });
    expect(nav('End', at(0, 0), { metaKey: true })).toEqual({ type: 'move', to: at(2, 3) });
    expect(nav('ArrowDown', at(0, 2), { ctrlKey: true })).toEqual({ type: 'move', to: at(2, 2) });
  });

  it('starts editing with Enter or F2, keeping the value, and by typing, replacing it', () => {
    expect(nav('Enter')).toEqual({ type: 'edit' });
    expect(nav('F2')).toEqual({ type: 'edit' });
    expect(nav('x')).toEqual({ type: 'edit', text: 'x' });
    expect(nav('é')).toEqual({ type: 'edit', text: 'é' });
  });

  it('starts editing an emptied cell with Delete or Backspace', () => {
    expect(nav('Delete')).toEqual({ type: 'edit', text: '' });
    expect(nav('Backspace')).toEqual({ type: 'edit', text: '' });
  });

  it('leaves shortcuts and other keys to the browser', () => {
    expect(nav('c', at(1, 1), { ctrlKey: true })).toEqual({ type: 'none' });
    expect(nav('Shift')).toEqual({ type: 'none' });
    expect(nav('Escape')).toEqual({ type: 'none' });
  });

  it('lets Tab leave the grid at either end', () => {
    expect(nav('Tab', at(2, 3))).toEqual({ type: 'none' });
    expect(nav('Tab', at(0, 0), { shiftKey: true })).toEqual({ type: 'none' });
  });
});

describe('tabFrom', () => {
  it('moves along the row and wraps to the next or previous row', () => {
    expect(tabFrom(at(0, 1), size, false)).toEqual(at(0, 2));
    expect(tabFrom(at(0, 3), size, false)).toEqual(at(1, 0));
    expect(tabFrom(at(1, 0), size, true)).toEqual(at(0, 3));
    expect(tabFrom(at(2, 3), size, false)).toBeNull();
  });
});

describe('editingKey', () => {
  it('commits in place with Enter, commits and moves with Tab, cancels with Escape', () => {
    expect(editingKey({ key: 'Enter' }, at(1, 1), size)).toEqual({ type: 'commit', then: null });
    expect(editingKey({ key: 'Tab' }, at(1, 1), size)).toEqual({ type: 'commit', then: at(1, 2) });
    expect(editingKey({ key: 'Tab', shiftKey: true }, at(1, 0), size)).toEqual({ type: 'commit', then: at(0, 3) });
    expect(editingKey({ key: 'Escape' }, at(1, 1), size)).toEqual({ type: 'cancel' });
    expect(editingKey({ key: 'a' }, at(1, 1), size)).toEqual({ type: 'none' });
  });
});
