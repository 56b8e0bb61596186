import { ApiError } from '../api/api-client.ts';
import { fieldMessage } from './cell-input.ts';
import { cellText, type CommitResult, type GridColumn } from './grid-column.ts';

/**
 * What a failed save of one cell comes to. A version conflict brings the record as it is now
 * (`current`, for the caller to show), and the message names the value that won; a refused
 * field gives its reason; anything else says what went wrong, and the cell keeps the input.
 */
export function commitFailure<Row>(
  err: unknown,
  column: GridColumn<Row>,
  typed: string,
  parseRecord: (value: unknown) => Row | undefined,
): { result: CommitResult; current?: Row } {
  if (!(err instanceof ApiError)) return { result: { status: 'error', message: String(err) } };
  if (err.isConflict) {
    const current = parseRecord(err.current);
    if (!current) {
      return { result: { status: 'error', message: 'Someone else changed this record meanwhile. Reload to see it as it is now.' } };
    }
    const now = cellText(column, current) || 'empty';
    return {
      current,
      result: { status: 'conflict', message: `Someone else changed this meanwhile; it is now “${now}”. Your “${typed}” was not saved.` },
    };
  }
  const issue = err.issueFor(column.key);
  return { result: { status: 'error', message: issue ? fieldMessage(column.label, issue) : err.message } };
}
