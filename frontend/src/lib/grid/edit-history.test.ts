import { describe, expect, it } from 'vitest';
import { EditHistory } from './edit-history.ts';

describe('EditHistory', () => {
  it('bases an undo on the current version only when every later version is the user’s own', () => {
    const history = new EditHistory();
    const cell = { id: 'r', field: 'name', before: 'a', after: 'b', version: 3 };
    history.own('r', 3);
    expect(history.baseVersion(cell, 3)).toBe(3);
    history.own('r', 4);
    expect(history.baseVersion(cell, 4)).toBe(4);
    // Version 5 is someone else's: the undo is sent on 3, and the server refuses it.
    expect(history.baseVersion(cell, 5)).toBe(3);
  });

  it('drops redo on a new action', () => {
    const history = new EditHistory();
    history.record([{ id: 'r', field: 'name', before: 'a', after: 'b', version: 2 }]);
    const step = history.takeUndo()!;
    history.pushRedo(step);
    expect(history.canRedo).toBe(true);
    history.record([{ id: 'r', field: 'name', before: 'b', after: 'c', version: 3 }]);
    expect(history.canRedo).toBe(false);
  });
});
