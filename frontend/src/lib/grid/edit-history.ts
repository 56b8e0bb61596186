/**
 * Undo and redo of the user's saved cell changes. A step is what one action saved (an edit, a
 * paste, a fill): per cell the value before and after, and the record's version right after the
 * change. Undoing writes the values before back, on the server, as a change like any other:
 * based on that version, so that if someone else changed the record since, the server answers
 * a conflict and nothing of theirs is overwritten.
 */
export interface StepCell {
  id: string;
  field: string;
  before: unknown;
  after: unknown;
  /** The record's version with `after` in place. */
  version: number;
}

export type Step = StepCell[];

export class EditHistory {
  #undo: Step[] = [];
  #redo: Step[] = [];
  /** Versions of records that this user's own saves produced, to tell them from others' changes. */
  #own = new Map<string, Set<number>>();

  constructor(private readonly limit = 200) {}

  /** A new action: redo is gone, as in every editor. */
  record(step: Step) {
    if (!step.length) return;
    this.#undo.push(step);
    if (this.#undo.length > this.limit) this.#undo.shift();
    this.#redo = [];
  }

  /** Remembers that `version` of `id` is this user's doing. */
  own(id: string, version: number) {
    let versions = this.#own.get(id);
    if (!versions) this.#own.set(id, (versions = new Set()));
    versions.add(version);
  }

  /**
   * The version to base an undo of `cell` on: the record's current one if every version since the
   * cell's change is the user's own, else the cell's (so the server refuses: someone else moved on).
   */
  baseVersion(cell: StepCell, currentVersion: number): number {
    const own = this.#own.get(cell.id);
    for (let v = cell.version + 1; v <= currentVersion; v++) if (!own?.has(v)) return cell.version;
    return currentVersion;
  }

  takeUndo = () => this.#undo.pop();
  takeRedo = () => this.#redo.pop();
  pushRedo = (step: Step) => step.length && this.#redo.push(step);
  pushUndo = (step: Step) => step.length && this.#undo.push(step);

  get canUndo() {
    return this.#undo.length > 0;
  }

  get canRedo() {
    return this.#redo.length > 0;
  }
}
