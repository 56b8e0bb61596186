import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-client.ts';
import { commitFailure } from './commit-failure.ts';
import type { GridColumn } from './grid-column.ts';

type Row = { id: string; industry?: string };
const industry: GridColumn<Row> = { key: 'industry', label: 'Industry', editable: true };
const parseRow = (value: unknown) =>
  value && typeof value === 'object' && 'id' in value ? (value as Row) : undefined;

describe('commitFailure', () => {
  it('shows the value that won a version conflict, and hands back the current record', () => {
    const err = new ApiError(409, 'VersionConflict', 'stale', [], { id: 'a', industry: 'Energy' });
    const { result, current } = commitFailure(err, industry, 'Utilities', parseRow);
    expect(current).toEqual({ id: 'a', industry: 'Energy' });
    expect(result).toEqual({
      status: 'conflict',
      message: 'Someone else changed this meanwhile; it is now “Energy”. Your “Utilities” was not saved.',
    });
  });

  it('says "empty" when the other change cleared the field', () => {
    const err = new ApiError(409, 'VersionConflict', 'stale', [], { id: 'a' });
    expect(commitFailure(err, industry, 'Utilities', parseRow).result).toMatchObject({ message: expect.stringContaining('“empty”') });
  });

  it('asks for a reload when a conflict does not carry a readable record', () => {
    const { result, current } = commitFailure(new ApiError(409, 'VersionConflict', 'stale'), industry, 'x', parseRow);
    expect(current).toBeUndefined();
    expect(result).toMatchObject({ status: 'error', message: expect.stringContaining('Reload') });
  });

  it("puts the server's reason for the field on the cell", () => {
    const err = new ApiError(400, 'ValidationFailed', 'the request is invalid', [
      { path: 'fields.industry', message: 'must be at most 100 characters' },
    ]);
    expect(commitFailure(err, industry, 'x', parseRow).result).toEqual({
      status: 'error',
      message: 'Industry must be at most 100 characters.',
    });
  });

  it('passes any other failure on as it is', () => {
    const err = new ApiError(0, 'NetworkError', 'Cannot reach the server.');
    expect(commitFailure(err, industry, 'x', parseRow).result).toEqual({ status: 'error', message: 'Cannot reach the server.' });
  });
});
