import { describe, expect, it } from 'vitest';
import { chooseField, fieldOfColumn } from './column-mapping.ts';

const matched = [
  { column: 'Name', field: 'name' },
  { column: 'Mail', field: 'emails' },
  { column: 'Notes', field: null },
];
const columns = matched.map((c) => c.column);

describe('column mapping', () => {
  it('shows what the server matched until the user chooses', () => {
    expect(columns.map((c) => fieldOfColumn(c, matched, {}))).toEqual(['name', 'emails', '']);
    expect(fieldOfColumn('Mail', matched, { Mail: null })).toBe('');
    expect(fieldOfColumn('New', undefined, {})).toBe('');
  });

  it('sends only the choices, and takes a field away from the column that had it', () => {
    expect(chooseField(columns, matched, {}, 'Notes', 'position')).toEqual({ Notes: 'position' });
    // Notes becomes the name: Name, matched by name before, is skipped rather than refused as a second column.
    expect(chooseField(columns, matched, {}, 'Notes', 'name')).toEqual({ Notes: 'name', Name: null });
    expect(chooseField(columns, matched, { Notes: 'name', Name: null }, 'Notes', '')).toEqual({ Notes: null, Name: null });
    // A list takes several columns: Mail keeps the e-mails.
    expect(chooseField(columns, matched, {}, 'Notes', 'emails', true)).toEqual({ Notes: 'emails' });
  });
});
