/**
 * Saving fields of a record the user sees at some version: what the API's answer comes to. The
 * card's field rows and the kanban's moves both save this way, so a refused value or a version
 * conflict reads the same wherever it happens.
 */
import { ApiError } from '../api/api-client.ts';
import { fieldMessage } from '../records/cell-input.ts';
import { fieldLabel } from '$contracts/field-labels.ts';
import { CardRecord } from './card-record.ts';

export type SaveOutcome =
  | { status: 'saved'; record: CardRecord }
  /** The value was refused; `message` names the field and says why. */
  | { status: 'invalid'; message: string }
  /** The record changed since `version`; `record` is it as it is now (when the server sent it). */
  | { status: 'conflict'; record?: CardRecord; message: string }
  | { status: 'failed'; message: string };

export interface FieldSaver {
  update: (id: string, version: number, fields: Record<string, unknown>) => Promise<CardRecord>;
}

/** PATCHes `fields` at the version the user saw; `labels` name the fields in messages. */
export async function saveFields(
  records: FieldSaver,
  record: { id: string; version: number },
  fields: Record<string, unknown>,
  labels: Record<string, string>,
): Promise<SaveOutcome> {
  try {
    return { status: 'saved', record: await records.update(record.id, record.version, fields) };
  } catch (err) {
    if (!(err instanceof ApiError)) return { status: 'failed', message: String(err) };
    if (err.isConflict) {
      const current = CardRecord.safeParse(err.current);
      return { status: 'conflict', record: current.success ? current.data : undefined, message: 'Someone else changed this record meanwhile.' };
    }
    if (err.isValidation && err.issues.length > 0) {
      // Every reason, not the first: a stage entered without its required fields names each one missing.
      const sentences = err.issues.map((issue) => {
        const key = issue.path.replace(/^fields\./, '').split('.')[0];
        const label = labels[key] ?? fieldLabel(key);
        const message = fieldMessage(label, issue.message);
        // zod's own messages are whole sentences that do not name the field: name it.
        return message === issue.message ? `${label}: ${message}` : message;
      });
      return { status: 'invalid', message: [...new Set(sentences)].join(' ') };
    }
    return { status: 'failed', message: err.message };
  }
}
