/**
 * Deleting records from a page, the way the grid and the record card both do it: ask first
 * (naming how many), move them to the trash, then offer Undo in a toast until it is dismissed
 * or the next deletion replaces it. The page says what to drop and what to take back; this
 * knows nothing of grids.
 */
import type { ApiClient } from '../api/api-client.ts';
import type { UiRecordType } from '../records/record-types.ts';
import { moveToTrash, restoreFromTrash, type TrashedRecord } from './trash-api.ts';

export interface Deletable {
  id: string;
  version: number;
  name?: string;
}

export interface DeletionOptions {
  api: ApiClient;
  type: UiRecordType;
  /** These records are in the trash now (or were gone already): take them off the page. */
  onremoved: (ids: string[]) => void;
  /** These came back (Undo): show them again. */
  onrestored: (records: TrashedRecord[]) => void;
}

export interface Toast {
  message: string;
  /** What Undo brings back: each at its trashed version. */
  trashed: Array<{ id: string; version: number }>;
  /** Records not moved, and why (changed meanwhile, not allowed). */
  problems: string[];
}

/** `1 company`, `2 companies`. */
export const countOf = (type: UiRecordType, n: number) => `${n.toLocaleString('en')} ${n === 1 ? type.one : type.label.toLowerCase()}`;

export class RecordDeletion {
  /** Waiting for the user's yes. */
  asking = $state.raw<Deletable[] | null>(null);
  busy = $state(false);
  toast = $state.raw<Toast | null>(null);
  error = $state('');
  /**
   * The deletion is the user's latest step, so Ctrl+Z undoes it (as in Excel and Sheets); the
   * page clears this when an edit follows, and Ctrl+Z goes back to undoing edits.
   */
  undoable = $state(false);

  constructor(private readonly options: DeletionOptions) {}

  ask(records: Deletable[]) {
    if (records.length === 0 || this.busy) return;
    this.error = '';
    this.asking = records;
  }

  cancel() {
    this.asking = null;
  }

  async confirm() {
    const records = this.asking;
    if (!records || this.busy) return;
    const { api, type, onremoved } = this.options;
    this.busy = true;
    this.error = '';
    try {
      const results = await moveToTrash(api, type, records);
      const trashed: Toast['trashed'] = [];
      const gone: string[] = [];
      const conflicts: string[] = [];
      const refused: string[] = [];
      results.forEach((result, i) => {
        const { id, name } = records[i];
        if (result.status === 'ok') trashed.push({ id, version: result.version });
        // Someone else deleted it already: it is gone from here too, nothing to undo.
        else if (result.status === 'notFound') gone.push(id);
        else if (result.status === 'conflict') conflicts.push(name || id);
        else refused.push(name || id);
      });
      onremoved([...trashed.map((t) => t.id), ...gone]);
      const problems = [
        ...(conflicts.length ? [`${countOf(type, conflicts.length)} changed meanwhile and stayed: ${conflicts.join(', ')}`] : []),
        ...(refused.length ? [`your role may not delete ${refused.join(', ')}`] : []),
      ];
      this.toast = { message: `${countOf(type, trashed.length)} moved to trash`, trashed, problems };
      this.undoable = trashed.length > 0;
      this.asking = null;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  /** Brings back what the toast names. */
  async undo() {
    const toast = this.toast;
    if (!toast || this.busy) return;
    const { api, type, onrestored } = this.options;
    this.busy = true;
    this.undoable = false;
    try {
      const results = await restoreFromTrash(api, type, toast.trashed);
      const restored = results.flatMap((r) => ('record' in r ? [r.record] : []));
      const failed = results.flatMap((r) => ('error' in r ? [r.error] : []));
      onrestored(restored);
      this.toast = failed.length
        ? { message: `${countOf(type, restored.length)} restored`, trashed: [], problems: [`${failed.length} could not be restored: ${[...new Set(failed)].join('; ')}`] }
        : null;
    } finally {
      this.busy = false;
    }
  }

  dismiss() {
    this.toast = null;
    this.undoable = false;
  }
}
