/**
 * Everything a grid saves goes through here: typed edits, pastes, fills, clears, undo and redo,
 * and the edits queued while offline. A batch of cells becomes `POST /api/bulk` requests (at most
 * 1,000 cells each), sent one at a time so that each is based on the versions the previous one
 * produced. The cells show their text at once (optimistically) and each gets its result: saved,
 * refused (the reason on the cell, the typed text kept), or a conflict (the value that won kept
 * beside the user's, for them to choose). Names pasted into relation cells are looked up on the
 * server first (one request per target type), the cells showing `saving` meanwhile; later writes
 * wait for that, so every batch is still read and sent in the order it was made.
 */
import type { CellChange, CellOutcome } from '$contracts/bulk.ts';
import { ApiError, type ApiClient } from '../api/api-client.ts';
import { bulkRequests, sendBulk, type BulkRequest } from './bulk-writer.ts';
import { CellStates, type CellState } from './cell-states.svelte.ts';
import { rowId, VALUE_OFFSET, type CellWrite, type GridRow, type WriteOrigin } from './cell-writes.ts';
import { EditHistory, type Step, type StepCell } from './edit-history.ts';
import { displayNames, type NamesFound } from '../pickers/display-names.svelte.ts';
import { namesToLookUp, textOf, valueOf, type GridField } from '../records/grid-fields.ts';
import { InputRefused } from '../records/cell-input.ts';
import { OfflineQueue } from './offline-queue.ts';

export interface GridEditingOptions {
  api: ApiClient;
  /** The record type, singular (`company`), as bulk changes name it. */
  type: string;
  fields: () => GridField[];
  rowOf: (id: string) => GridRow | undefined;
  /** Where edits made offline wait (localStorage key), per tenant and type. */
  queueKey: string;
}

/** A change to send, with what the cell shows meanwhile and what undo needs. */
interface PendingCell {
  id: string;
  field: GridField;
  value: unknown;
  before: unknown;
  text: string;
  /** The version to base the change on, read when the request is sent. */
  version: () => number;
  /** What the cell shows while this change is saved; a later write of the cell replaces it. */
  shown: CellState;
}

const isOffline = (err: unknown) => err instanceof ApiError && err.code === 'NetworkError';

export class GridEditing {
  readonly states = new CellStates();
  readonly history = new EditHistory();
  readonly queue: OfflineQueue;
  /** A paste or fill being saved: cells done of all, for the progress bar. */
  progress = $state<{ done: number; total: number; what: string } | null>(null);
  /** Requests waiting for the network. */
  queued = $state(0);
  /** A failure that belongs to no cell (the server down, not signed in). */
  error = $state('');
  #chain: Promise<unknown> = Promise.resolve();
  /** Records with a save under way (by how many batches): news of them in the feed is that save's own. */
  #writing = new Map<string, number>();
  /** The last write still waiting for names from the server: later writes are read after it. */
  #reading: Promise<PendingCell[]> | undefined;

  constructor(private readonly options: GridEditingOptions) {
    this.queue = new OfflineQueue(options.queueKey);
    this.queued = this.queue.size;
  }

  /**
   * Whether a save of this record from this page is under way: the change feed tells of the
   * record before the save answers, and the answer brings the version the feed names.
   */
  isSaving(id: string): boolean {
    return this.#writing.has(id);
  }

  /** Settles once every write made so far is answered (or failed). */
  saved(): Promise<void> {
    return this.#chain.then(() => undefined);
  }

  #index(key: string) {
    return this.options.fields().findIndex((f) => f.key === key);
  }

  #field(key: string) {
    return this.options.fields().find((f) => f.key === key);
  }

  /** Cells the user changed: shown at once, saved in order. */
  write(writes: CellWrite[], origin: WriteOrigin): Promise<void> {
    const wanted = namesToLookUp(writes.filter((write) => write.value === undefined));
    if (!wanted.size && !this.#reading) return this.#enqueue(this.#read(writes), origin);
    // Names to look up first: the cells show their text as saving meanwhile, and are read (and
    // refused or sent) once the answer is in, after any write still waiting before them.
    for (const { row, field, text } of writes) this.states.set(rowId(row), field.key, { status: 'saving', text });
    this.states.touch();
    const found = wanted.size ? displayNames.lookUpNames(wanted) : undefined;
    const before = this.#reading;
    const reading = (async () => {
      await before?.catch(() => undefined);
      return this.#read(writes, await found);
    })();
    this.#reading = reading;
    const done = () => {
      if (this.#reading === reading) this.#reading = undefined;
    };
    reading.then(done, done);
    return this.#enqueue(reading, origin);
  }

  /** The cells' values from their text (or as picked), shown at once; a name not resolved is refused here. */
  #read(writes: CellWrite[], found?: NamesFound): PendingCell[] {
    const cells: PendingCell[] = writes.flatMap(({ row, field, text, value: picked }) => {
      const index = VALUE_OFFSET + this.#index(field.key);
      let value: unknown;
      try {
        value = picked !== undefined ? picked : valueOf(field, text, found);
      } catch (err) {
        // A name that names no one (or several), a stage or percent that is none: refused here, the typed text kept with the reason.
        if (!(err instanceof InputRefused)) throw err;
        this.states.set(rowId(row), field.key, { status: 'invalid', text, message: err.message });
        return [];
      }
      const before = row[index];
      row[index] = value;
      const shown: CellState = { status: 'saving', text };
      this.states.set(rowId(row), field.key, shown);
      return [{ id: rowId(row), field, value, before, text, version: () => row[1] as number, shown }];
    });
    this.states.touch();
    return cells;
  }

  /**
   * Refused text dropped (Delete or Esc on its cell): it was never saved, so nothing is sent; the
   * row holds the stored value still, which the cell shows again.
   */
  discard(cells: Array<{ id: string; field: string }>) {
    for (const { id, field } of cells) {
      if (this.states.get(id, field)?.status === 'invalid') this.states.set(id, field, undefined);
    }
    this.states.touch();
  }

  /**
   * Ctrl+Z right after Enter must undo that edit, even while its save is still on the wire: the
   * step is taken once the saves before it have answered (the chain), not when the key is pressed.
   */
  async undo(): Promise<void> {
    await this.#chain;
    const step = this.history.takeUndo();
    if (step) await this.#replay(step, 'undo');
  }

  async redo(): Promise<void> {
    await this.#chain;
    const step = this.history.takeRedo();
    if (step) await this.#replay(step, 'redo');
  }

  /**
   * Writes each cell's value before the step, on the version undo allows; what that saves is the
   * inverse step, which goes on the other stack (so redo is the undo of an undo).
   */
  #replay(step: Step, origin: 'undo' | 'redo') {
    const cells: PendingCell[] = [];
    for (const cell of step) {
      const row = this.options.rowOf(cell.id);
      const field = this.#field(cell.field);
      if (!row || !field) continue;
      const value = cell.before;
      const index = VALUE_OFFSET + this.#index(field.key);
      const shown = row[index];
      row[index] = value;
      const saving: CellState = { status: 'saving', text: textOf(field, value) };
      this.states.set(cell.id, field.key, saving);
      cells.push({ id: cell.id, field, value, before: shown, text: textOf(field, value), version: () => this.history.baseVersion(cell, row[1] as number), shown: saving });
    }
    this.states.touch();
    return this.#enqueue(cells, origin);
  }

  /** A conflict resolved: keep mine (sent again on the current version) or take theirs. */
  resolve(id: string, key: string, choice: 'mine' | 'theirs') {
    const state = this.states.get(id, key);
    const row = this.options.rowOf(id);
    const field = this.#field(key);
    if (!state || state.status !== 'conflict' || !row || !field) return Promise.resolve();
    this.states.set(id, key, undefined);
    if (choice === 'theirs') {
      this.states.touch();
      return Promise.resolve();
    }
    return this.write([{ row, field, text: state.text ?? '' }], 'resolve');
  }

  #enqueue(cells: PendingCell[] | Promise<PendingCell[]>, origin: WriteOrigin): Promise<void> {
    if (Array.isArray(cells) && !cells.length) return Promise.resolve();
    const run = this.#chain.then(async () => {
      const read = await cells;
      if (read.length) await this.#send(read, origin);
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #send(cells: PendingCell[], origin: WriteOrigin) {
    const changes: CellChange[] = cells.map((c) => ({ type: this.options.type, id: c.id, version: c.version(), field: c.field.key, value: c.value }));
    const requests = bulkRequests(changes);
    const step: Step = [];
    const showProgress = cells.length > 100 || requests.length > 1;
    let done = 0;
    if (showProgress) this.progress = { done, total: cells.length, what: origin };
    const ids = new Set(cells.map((c) => c.id));
    for (const id of ids) this.#writing.set(id, (this.#writing.get(id) ?? 0) + 1);
    try {
      // No record is in two requests (bulkRequests), so each is based on the versions read above.
      for (const { request, at } of requests) {
        if (this.queue.size > 0 || !navigator.onLine) {
          this.#park(request);
          continue;
        }
        const sent = at.map((i) => cells[i]);
        try {
          const results = await sendBulk(this.options.api, request);
          results.forEach((result, i) => {
            const saved = this.#apply(request.changes[i], result, sent[i]);
            if (saved) step.push(saved);
          });
        } catch (err) {
          if (isOffline(err)) this.#park(request);
          else this.#fail(request, sent, err);
        }
        done += request.changes.length;
        if (showProgress) this.progress = { done, total: cells.length, what: origin };
      }
    } finally {
      for (const id of ids) {
        const left = this.#writing.get(id)! - 1;
        if (left > 0) this.#writing.set(id, left);
        else this.#writing.delete(id);
      }
      if (showProgress) this.progress = null;
      this.states.touch();
    }
    if (origin === 'undo') this.history.pushRedo(step);
    else if (origin === 'redo') this.history.pushUndo(step);
    else this.history.record(step);
  }

  /** The network is gone: the request waits in the queue, its cells marked as queued. */
  #park(request: BulkRequest) {
    this.queue.push(request);
    this.queued = this.queue.size;
    for (const change of request.changes) {
      const state = this.states.get(change.id, change.field);
      this.states.set(change.id, change.field, { status: 'queued', text: state?.text, message: 'Offline: saved when the connection is back' });
    }
  }

  /** A request refused as a whole (e.g. 400, 500): its cells keep the input and say why. */
  #fail(request: BulkRequest, cells: PendingCell[], err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    this.error = message;
    request.changes.forEach((change, i) => {
      const cell = cells[i];
      if (!this.#latest(change, cell)) return;
      const row = this.options.rowOf(change.id);
      const index = VALUE_OFFSET + this.#index(change.field);
      if (row && cell) row[index] = cell.before;
      this.states.set(change.id, change.field, { status: 'invalid', text: cell?.text, message });
    });
  }

  /** One cell's answer; the undo entry when it was saved. */
  #apply(change: CellChange, result: CellOutcome, cell: PendingCell | undefined): StepCell | undefined {
    const row = this.options.rowOf(change.id);
    const field = this.#field(change.field);
    const index = VALUE_OFFSET + this.#index(change.field);
    const text = cell?.text ?? this.states.get(change.id, change.field)?.text ?? '';
    // A later write of the cell (a second paste, refused at once) owns what it shows now.
    const latest = this.#latest(change, cell);
    if (result.status === 'ok') {
      this.history.own(change.id, result.version);
      if (row && result.version > (row[1] as number)) row[1] = result.version;
      if (latest) this.states.set(change.id, change.field, undefined);
      return { id: change.id, field: change.field, before: cell?.before, after: change.value, version: result.version };
    }
    if (result.status === 'conflict') {
      if (row) this.takeRecord(row, result.current);
      if (!latest) return undefined;
      const theirs = field ? textOf(field, result.current[change.field]) : '';
      this.states.set(change.id, change.field, {
        status: 'conflict',
        text,
        theirs,
        current: result.current,
        message: `Someone else changed this meanwhile; it is now “${theirs || 'empty'}”. Yours: “${text}”.`,
      });
      return undefined;
    }
    if (!latest) return undefined;
    if (row && cell) row[index] = cell.before;
    this.states.set(change.id, change.field, { status: 'invalid', text, message: result.reason });
    return undefined;
  }

  /**
   * Whether the cell still shows this change: a change sent from this page is the cell's latest
   * until another write of the cell replaces what it shows; one sent from the offline queue
   * (no cell) is applied as it comes, in the queue's order.
   */
  #latest(change: CellChange, cell: PendingCell | undefined): boolean {
    return !cell || this.states.get(change.id, change.field) === cell.shown;
  }

  /** The row takes a record's values as they are now (a conflict's `current`, a live change). */
  takeRecord(row: GridRow, record: Record<string, unknown>) {
    this.options.fields().forEach((field, i) => {
      row[VALUE_OFFSET + i] = record[field.key] ?? null;
    });
    if (typeof record.version === 'number') row[1] = record.version;
  }

  /** Sends what waited offline, oldest first; stops at the first request the network refuses. */
  async flush() {
    if (this.queue.size === 0) return;
    const run = this.#chain.then(async () => {
      // A queued change based on the version an earlier queued change of the same record was
      // based on follows it: it is based on the version that change produced.
      const rebased = new Map<string, { from: number; to: number }>();
      for (const request of this.queue.all()) {
        const changes = request.changes.map((c) => {
          const moved = rebased.get(c.id);
          return moved && moved.from === c.version ? { ...c, version: moved.to } : c;
        });
        let results: CellOutcome[];
        try {
          results = await sendBulk(this.options.api, { ...request, changes });
        } catch (err) {
          if (isOffline(err)) return;
          throw err;
        }
        const step: Step = [];
        results.forEach((result, i) => {
          if (result.status === 'ok') rebased.set(changes[i].id, { from: request.changes[i].version, to: result.version });
          const saved = this.#apply(changes[i], result, undefined);
          if (saved) step.push(saved);
        });
        this.history.record(step);
        this.queue.shift();
        this.queued = this.queue.size;
      }
    });
    this.#chain = run.catch(() => undefined);
    await run.finally(() => this.states.touch());
  }
}
