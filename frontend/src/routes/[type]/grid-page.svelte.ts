/**
 * The grid page of a record type (`/companies`, `/deals`, ...), all but its markup: the view's
 * rows loaded in slices, the view over them (saved, and as the user changed it, in the URL),
 * saving (GridEditing), others' changes from the feed, adding and deleting records, the record
 * card. Made once per page, while the page component initializes (its effects are the page's).
 */
import { tick, untrack } from 'svelte';
import { z } from 'zod';
import { DEFAULT_SORT, type View, type ViewSort } from '$contracts/views.ts';
import type { FieldDefinition } from '$contracts/fields.ts';
import type { ChangeEntry } from '$contracts/record.ts';
import { sessionApi } from '$lib/api/session-api.ts';
import { ApiError } from '$lib/api/api-client.ts';
import { fieldsApi, recordsApi, searchRecords, viewsApi } from '$lib/api/records.ts';
import { session } from '$lib/auth/session.svelte.ts';
import { currentUser } from '$lib/auth/me.svelte.ts';
import { administers, can, lockFields } from '$lib/auth/permissions.ts';
import type { CellState, CellStatus } from '$lib/grid/cell-states.svelte.ts';
import { uiRecordType, type UiRecordType } from '$lib/records/record-types.ts';
import { gridFields, shownNames, type GridField } from '$lib/records/grid-fields.ts';
import { tenantPipelines } from '$lib/pipelines/tenant-pipelines.svelte.ts';
import { lossesAsked, withLoss, type LossAsked } from '$lib/grid/loss-writes.ts';
import type { LossAnswer } from '$lib/pipelines/stage-rules.ts';
import { displayNames } from '$lib/pickers/display-names.svelte.ts';
import { rowId, VALUE_OFFSET, type CellWrite, type GridRow, type WriteOrigin } from '$lib/grid/cell-writes.ts';
import { processesFor, type ProcessInfo } from '$lib/processes/process-starts.ts';
import { loadViewRows } from '$lib/views/load-view-rows.ts';
import { preloadGridCode } from '$lib/grid/preload-grid.ts';
import { nextGridPaint } from '$lib/grid/grid-paint.ts';
import { GridEditing } from '$lib/grid/grid-editing.svelte.ts';
import { followChanges } from '$lib/live/change-feed.ts';
import type { EditorContext } from '$lib/grid/cell-editor.ts';
import { ChangeListeners } from '$lib/record-card/change-listeners.ts';
import type { CardRecord } from '$lib/record-card/card-record.ts';
import { RecordDeletion } from '$lib/trash/record-deletion.svelte.ts';
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { applyView, EMPTY_VIEW_STATE, visibleColumns, warmUpWhenIdle, type ViewState } from '$lib/views/apply-view.ts';
import { gridLayout } from '$lib/views/column-state.ts';
import { listenColumnChanges } from '$lib/views/column-events.ts';
import { loadedColumns, sameState, stateOfView, viewOfState } from '$lib/views/saved-view.ts';
import { isTyping, stateOfQuery, urlOfState } from '$lib/views/view-url.ts';
import { withGroupCollapsed, withGroupRows, type GroupRow } from '$lib/views/group-rows.ts';
import { sortByHeader } from '$lib/views/header-sort.ts';
import { loadNamesRead, relationColumnsRead } from '$lib/views/names-read.ts';
import type { PageData } from './$types';

/** Choice cells offering each row its own choices (a deal's stage: its pipeline's), read from the row, which holds every field. */
function withRowChoices<F extends GridField>(fields: F[]): F[] {
  const at = new Map(fields.map((field, index) => [field.key, VALUE_OFFSET + index]));
  return fields.map((field) => {
    const ofRecord = field.choices?.ofRecord;
    if (!ofRecord) return field;
    return { ...field, rowOptions: (row: readonly unknown[]) => ofRecord((key) => (at.has(key) ? row[at.get(key)!] : undefined))?.map((choice) => choice.label) };
  });
}

/** What the page asks of the grid it shows (RecordGrid's exported functions). */
export interface GridHandle {
  selectedRows(): Promise<GridRow[]>;
  editCell(id: string, key: string): Promise<void>;
  showColumn(key: string, message: string): Promise<void>;
}

type GridPageData = Pick<PageData, 'plural' | 'viewId' | 'config'>;

export class GridPage {
  readonly #data: () => GridPageData;

  readonly type = $derived.by(() => uiRecordType(this.#data().plural)!);
  // Through a derived of its own: `data` is a new object after every navigation, also one that
  // only changes the view's query; the client (and all built on it) must stay the same then.
  readonly config = $derived.by(() => this.#data().config);
  readonly api = $derived(sessionApi(this.config));
  readonly records = $derived(recordsApi(this.api, this.type.info, z.record(z.string(), z.unknown()).and(z.object({ id: z.string(), version: z.number() }))));

  /** The fields of the loaded rows, in the order of their values. */
  fields = $state.raw<Array<GridField & { readOnlyReason?: string }>>([]);
  /** The fields of the rows loaded, built again when what they read changes (the tenant's pipelines). */
  #buildFields: (() => Array<GridField & { readOnlyReason?: string }>) | undefined;
  /** Every row of the view as loaded (`[id, version, ...values]`); changed in place by saves. */
  sourceRows = $state.raw<GridRow[]>([]);
  views = $state.raw<View[]>([]);
  view = $state.raw<View | undefined>();
  total = $state(0);
  /** The load's progress: rows in of the view's `total` as it was when loading started. */
  loaded = $state(0);
  /**
   * Every row of the load is in. Not `loaded === total`: once loaded, rows others add or take
   * away (and the user's own new ones) change `total` alone, and the page must stay loaded and live.
   */
  allLoaded = $state(false);
  /** Records read so far while the server prepares a large type for views (its first read ever); undefined otherwise. */
  preparing = $state<number | undefined>(undefined);
  loading = $state(true);
  loadError = $state('');
  adding = $state(false);
  newName = $state('');
  addError = $state('');
  /** The grid shown (bound by the page). */
  recordGrid = $state<GridHandle>();
  #byId = new Map<string, GridRow>();
  /** The record open in the side card (a row's header double-clicked), if any. */
  cardId = $state<string | null>(null);

  // The view over the loaded rows (lib/views): the saved view's state (`baseState`), and what the
  // user made of it (`viewState`, also in the URL). Rows are loaded unfiltered with every field,
  // so filters, sort, search and grouping happen here, at once, without asking the server.
  baseState = $state.raw<ViewState>(EMPTY_VIEW_STATE);
  viewState = $state.raw<ViewState>(EMPTY_VIEW_STATE);
  readonly keys = $derived(this.fields.map((field) => field.key));
  // Rows changed in place (saves, others' edits) bump the revision: the view is applied again.
  // User columns sort and filter by name (lib/pickers/display-names: ids shown as names).
  readonly shownValues = $derived(shownNames(this.fields));
  // Relation columns too, once every id in a column the view reads has a name (lib/views/names-read).
  // By the columns' keys: a new search or filter over the same columns scans the rows no more.
  readonly relationsRead = $derived(relationColumnsRead(this.fields, this.viewState, visibleColumns(this.keys, this.viewState)).map((field) => field.key).join(','));
  readonly shown = $derived.by(() => {
    void this.editing.states.revision;
    return applyView(this.sourceRows, this.keys, this.viewState, this.shownValues);
  });
  // Grouped, the groups' header rows are rows of the grid too (lib/views/group-rows.ts).
  readonly shownRows = $derived(withGroupRows(this.shown, this.viewState.groupBy, this.viewState.collapsed) as ReadonlyArray<GridRow>);
  readonly layout = $derived(gridLayout(this.keys, this.viewState));
  readonly visible = $derived(visibleColumns(this.keys, this.viewState));
  /** The order the rows were loaded in: the grid's order while the view sorts by nothing else. */
  #loadedSort: readonly ViewSort[] = DEFAULT_SORT;

  /**
   * The header's count says what the grid shows: `29 of 229 companies` while a filter or search
   * leaves 29 (it said 229); the loaded rows' count until all are in.
   */
  readonly countText = $derived.by(() => {
    const of = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? this.type.one : this.type.label.toLowerCase()}`;
    const showing = this.shown.rows.length;
    return this.allLoaded && showing !== this.total ? `${showing.toLocaleString('en')} of ${of(this.total)}` : of(this.total);
  });
  readonly dirty = $derived(!sameState({ ...this.viewState, search: '', collapsed: undefined }, this.baseState, this.keys));

  readonly editing = $derived(
    new GridEditing({
      api: this.api,
      type: this.type.info.name,
      fields: () => this.fields,
      rowOf: (id) => this.#byId.get(id),
      queueKey: `sheetflow.offline.${session.user?.tenant ?? 'anon'}.${this.type.info.name}`,
    }),
  );

  // What the role allows (lib/auth/permissions.ts decides; the server refuses the rest anyway).
  readonly me = $derived(currentUser.me);
  readonly allowed = $derived({
    create: can(this.me, 'create', this.type.info.name),
    import: can(this.me, 'import', this.type.info.name),
    export: can(this.me, 'export', this.type.info.name),
    addField: administers(this.me),
    delete: can(this.me, 'delete', this.type.info.name),
    startProcesses: can(this.me, 'update', this.type.info.name) && processesFor(this.type).length > 0,
  });

  /** The selected rows' records, on which a process is being started (lib/processes/BulkStartDialog). */
  startingOn = $state.raw<{ process: ProcessInfo; records: Array<{ id: string; name?: string }> } | null>(null);
  readonly startOnSelected = async (process: ProcessInfo) => {
    const records = await this.#selectedRecords();
    if (records.length) this.startingOn = { process, records };
  };

  // Deleting rows (and the card's record): asked first, then the toast's Undo (lib/trash).
  readonly deletion = $derived(new RecordDeletion({ api: this.api, type: this.type, onremoved: (ids) => this.#dropRows(ids), onrestored: (records) => this.#takeRecords(records) }));
  /**
   * Where dropped rows stood, so that Undo puts them back in their places: the index in the rows
   * as they were when the row left, and which removal took it (one removal may be followed by
   * another before Undo: they are put back newest removal first, which rebuilds the order).
   */
  readonly #droppedAt = new Map<string, { at: number; removal: number }>();
  #removals = 0;

  // A record's card asked for by the URL (`?card=<id>`: the top bar's search opens one so). Read
  // when the parameter changes, not on every change of the URL (the view's own parameters).
  readonly #cardAsked = $derived(page.url.searchParams.get('card'));
  /** The page's one poll of the change feed, handed on to the open card. */
  readonly cardChanges = new ChangeListeners();

  /** A cell of a field the role may not change says why (tooltip, aria-description, under the grid). */
  readonly #readOnly = $derived(new Map(this.fields.flatMap((field) => (field.readOnlyReason ? [[field.key, { status: 'readonly' as CellStatus, message: field.readOnlyReason }]] : []))));
  readonly cellState = (id: string, key: string): CellState | undefined => this.editing.states.get(id, key) ?? this.#readOnly.get(key);

  readonly editorContext: EditorContext = {
    search: async (q, target) => (await searchRecords(this.api, q, target ? [target] : undefined)).items,
  };

  #loadRun = 0;
  #stopWarmUp = () => {};
  readonly #deferredChanges: ChangeEntry[] = [];
  /** Others' changes reach the page from the change feed (its cursor known). */
  listening = $state(false);
  /** Where a custom field just added went, said beside the count (its column is the last). */
  fieldAdded = $state('');

  /** A user column shows names, and sorts and filters by them, once the directory is read. */
  readonly #userColumns = $derived(this.fields.some((field) => field.kind === 'user'));
  /**
   * For tests and tools: every row is loaded, others' changes are listened to, and users show by
   * name (a filter by an assignee's name matched nothing until then: the page said it was ready
   * with no row, and the row came a moment later).
   */
  readonly ready = $derived(!this.loading && !this.loadError && this.preparing === undefined && this.allLoaded && this.listening && (!this.#userColumns || displayNames.usersSettled));

  constructor(data: () => GridPageData) {
    this.#data = data;

    $effect.pre(() => displayNames.connect(this.api));
    // Asked for at once, not at the first user cell drawn: an empty grid has none.
    $effect(() => {
      if (this.#userColumns) void displayNames.loadUsers().catch(() => undefined);
    });
    $effect(() => {
      void this.editing.states.revision;
      const read = new Set(this.relationsRead.split(','));
      loadNamesRead(this.sourceRows, this.keys, this.fields.filter((field) => read.has(field.key)));
    });

    // Back and forward (and links) change the URL: the view follows it. Only the URL's changes:
    // a change made here reaches the URL a moment later (goto), and must not be undone meanwhile.
    $effect(() => {
      const fromUrl = stateOfQuery(page.url.searchParams, this.baseState, this.keys);
      if (!sameState(fromUrl, untrack(() => this.viewState), this.keys)) this.viewState = fromUrl;
    });

    $effect(() => listenColumnChanges(window, () => this.keys, () => this.viewState, this.setViewState));

    $effect(() => {
      if (this.#cardAsked) this.cardId = this.#cardAsked;
    });

    // Only a new type or saved view loads rows again, not the rest of the query (the view's state).
    const plural = $derived(this.#data().plural);
    const viewId = $derived(this.#data().viewId);
    $effect(() => {
      const [p, v] = [plural, viewId];
      untrack(() => void this.load(p, v));
    });

    $effect(() => {
      // The tab's one poll of the feed, shared with the navigation's count of tasks (lib/live).
      const stop = followChanges(this.api, (entries) => (this.cardChanges.tell(entries), this.#onChanges(entries)), { onListening: () => (this.listening = true) });
      const online = () => void this.editing.flush();
      window.addEventListener('online', online);
      void this.editing.flush();
      return () => {
        this.listening = false;
        stop();
        window.removeEventListener('online', online);
      };
    });

    // The pipelines changed (another administrator's edit, told by the feed): a deal's stage,
    // pipeline and loss reason cells read and offer the new lists.
    $effect(() => {
      void tenantPipelines.revision;
      untrack(() => {
        if (this.#buildFields) this.fields = this.#buildFields();
      });
    });

    $effect(() => () => {
      this.#loadRun++;
      this.#stopWarmUp();
    });
  }

  /** What Export writes: the view as shown (in its order), unsaved changes and the quick search included. */
  readonly exportedView = () => {
    const shown = viewOfState(this.viewState, this.keys);
    return { ...shown, sort: shown.sort?.length ? shown.sort : [...this.#loadedSort], search: this.viewState.search.slice(0, 200) };
  };

  /** A change of the view by the user: shown at once, and put in the URL (typing replaces the entry). */
  readonly setViewState = (next: ViewState) => {
    const typing = isTyping(this.viewState, next);
    this.viewState = next;
    void goto(urlOfState(page.url, this.view?.id, next, this.baseState, this.keys), { replaceState: typing, keepFocus: true, noScroll: true });
  };

  readonly sortBy = (field: GridField, addKey: boolean) => this.setViewState({ ...this.viewState, sort: sortByHeader(this.viewState.sort, field.key, addKey) });
  readonly toggleGroup = (group: GroupRow, collapsed: boolean) => this.setViewState(withGroupCollapsed(this.viewState, group.key, collapsed));

  /** Another saved view picked in the toolbar: its own URL, nothing changed yet. */
  readonly pickView = (id: string | undefined) => void goto(urlOfState(page.url, id, EMPTY_VIEW_STATE, EMPTY_VIEW_STATE, []));

  /** Views saved, shared or deleted in the toolbar. */
  readonly onViews = (next: View[], select: View | undefined) => {
    this.views = next;
    if (select && select.id === this.view?.id) {
      this.view = select;
      this.baseState = stateOfView(select, this.keys);
      this.setViewState(this.viewState);
    } else void goto(urlOfState(page.url, select?.id, select ? stateOfView(select, this.keys) : this.viewState, select ? stateOfView(select, this.keys) : this.baseState, this.keys));
  };

  readonly labelOf = (key: string) => this.fields.find((field) => field.key === key)?.label ?? key;

  /** Deals entering a lost stage from the grid, waiting for the loss dialog's answer (the page shows it). */
  losing = $state.raw<{ asked: LossAsked; what: string; answer: (loss: LossAnswer | undefined) => void } | null>(null);

  /** Cells the user changed in the grid, and what it hands back. */
  readonly write = (writes: CellWrite[], origin: WriteOrigin) => {
    this.deletion.undoable = false;
    const asked = this.type.info.key === 'DEAL' ? lossesAsked(writes, this.fields, tenantPipelines.list) : undefined;
    if (!asked) return void this.editing.write(writes, origin);
    // Lost only with a reason: asked first (one dialog for the batch), sent with the stage in one request.
    const nameAt = this.fields.findIndex((field) => field.key === 'name');
    const what = asked.writes.length === 1 ? String(asked.writes[0].row[VALUE_OFFSET + nameAt] ?? 'the deal') : `${asked.writes.length} deals`;
    this.losing = {
      asked,
      what,
      answer: (loss) => {
        this.losing = null;
        const batch = withLoss(writes, asked, loss, this.fields);
        if (batch.length) void this.editing.write(batch, origin);
      },
    };
  };
  readonly discard = (cells: Array<{ row: GridRow; field: GridField }>) => this.editing.discard(cells.map(({ row, field }) => ({ id: rowId(row), field: field.key })));
  readonly undo = () => void (this.deletion.undoable ? this.deletion.undo() : this.editing.undo());
  readonly redo = () => void this.editing.redo();
  readonly openRow = (row: GridRow) => (this.cardId = rowId(row));

  /** The selected rows (or the focused one) to the trash, once the user says yes. */
  readonly deleteSelected = async () => {
    this.deletion.ask(await this.#selectedRecords());
  };

  /** The selected rows' records (or the focused one's): id, version and name as the grid shows them. */
  async #selectedRecords(): Promise<Array<{ id: string; version: number; name?: string }>> {
    const rows = (await this.recordGrid?.selectedRows()) ?? [];
    const nameAt = this.fields.findIndex((field) => field.key === 'name');
    return rows.map((row) => ({ id: rowId(row), version: row[1] as number, name: nameAt < 0 ? undefined : String(row[2 + nameAt] ?? '') }));
  }

  /** The card's record to the trash, once the user says yes. */
  readonly deleteRecord = (_: UiRecordType, record: CardRecord) => this.deletion.ask([{ id: record.id, version: record.version, name: record.name }]);

  /** The card saved a record: its row (if of this type and loaded) shows it. */
  readonly cardSaved = (of: UiRecordType, record: CardRecord) => {
    const row = of === this.type ? this.#byId.get(record.id) : undefined;
    if (row) this.editing.takeRecord(row, record);
    this.editing.states.touch();
  };

  #dropRows(ids: string[]) {
    for (const id of ids) this.#byId.delete(id);
    if (this.cardId && !this.#byId.has(this.cardId)) this.cardId = null;
    this.#keepRows(this.#byId);
  }

  /**
   * The rows still in `kept` (and then `added`, at the end). Where each row left stood is noted,
   * whichever way it left: the change feed often tells of a deletion before the deleting request
   * answers (on a busy machine always), and Undo must still put every row back in its place.
   */
  #keepRows(kept: { has(id: string): boolean }, added: GridRow[] = []) {
    const removal = ++this.#removals;
    this.sourceRows.forEach((row, i) => !kept.has(rowId(row)) && this.#droppedAt.set(rowId(row), { at: i, removal }));
    this.sourceRows = [...this.sourceRows.filter((row) => kept.has(rowId(row))), ...added];
    this.total = this.sourceRows.length;
  }

  /** Records back from the trash are rows again, where they stood (the change feed, a moment later, would append them). */
  #takeRecords(records: Array<Record<string, unknown> & { id: string; version: number }>) {
    const back = new Set(records.map((record) => record.id));
    const rows = this.sourceRows.filter((row) => !back.has(rowId(row)));
    const placed = records
      .map((record) => {
        const row: GridRow = this.#byId.get(record.id) ?? [record.id, record.version];
        this.editing.takeRecord(row, record);
        this.#byId.set(record.id, row);
        const dropped = this.#droppedAt.get(record.id) ?? { at: rows.length, removal: 0 };
        this.#droppedAt.delete(record.id);
        return { row, ...dropped };
      })
      .sort((a, b) => b.removal - a.removal || a.at - b.at);
    for (const { row, at } of placed) rows.splice(Math.min(at, rows.length), 0, row);
    this.sourceRows = rows;
    this.total = this.sourceRows.length;
  }

  readonly closeCard = () => {
    this.cardId = null;
    if (!page.url.searchParams.has('card')) return;
    const url = new URL(page.url);
    url.searchParams.delete('card');
    void goto(url, { replaceState: true, keepFocus: true, noScroll: true });
  };

  /** The rows read again (after an import, or to try again after a failure). */
  readonly reload = () => this.load(this.#data().plural, this.#data().viewId);

  async load(plural: string, viewId: string | undefined) {
    const run = ++this.#loadRun;
    this.#stopWarmUp();
    this.fieldAdded = '';
    const current = uiRecordType(plural)!;
    this.loading = true;
    this.loadError = '';
    this.sourceRows = [];
    this.#byId = new Map();
    this.loaded = 0;
    this.allLoaded = false;
    this.preparing = undefined;
    this.total = 0;
    // RevoGrid's code loads while the rows are asked for, not after the first of them arrive.
    preloadGridCode();
    try {
      // The role first: the grid's cells are editable or not from the first row shown.
      const [viewList, custom, role] = await Promise.all([
        viewsApi(this.api, current.info.name).list(),
        fieldsApi(this.api, current.info.name).list(),
        currentUser.load(this.api),
        // A deal's stage, pipeline and loss reason cells read the tenant's pipelines (the default until they answer).
        current.info.key === 'DEAL' ? tenantPipelines.load(this.api).catch(() => undefined) : undefined,
      ]);
      if (run !== this.#loadRun) return;
      this.views = viewList.items;
      this.view = viewId ? this.views.find((v) => v.id === viewId) : undefined;
      if (viewId && !this.view) throw new Error('This view does not exist any more, or is not shared with you.');
      const columns = this.view?.columns ?? [...current.mainColumns, ...custom.items.filter((d: FieldDefinition) => !d.deletedAt).map((d) => d.key)];
      // Every field, unfiltered: the view is applied in the browser (lib/views/apply-view.ts).
      this.#loadedSort = this.view?.sort ?? DEFAULT_SORT;
      const source = { fields: { columns: loadedColumns(current.info, columns, custom.items), sort: [...this.#loadedSort] } };
      await loadViewRows(
        this.api,
        current.info.name,
        source,
        (rows, count, all, first) => {
          if (run !== this.#loadRun) return;
          this.#buildFields = () => withRowChoices(lockFields(role, current.info.name, gridFields(current.info, first.columns, custom.items)));
          this.fields = this.#buildFields();
          if (count === first.rows.length) {
            this.baseState = stateOfView(this.view ?? { columns }, first.columns);
            this.viewState = stateOfQuery(page.url.searchParams, this.baseState, first.columns);
          }
          this.sourceRows = rows;
          this.#byId = new Map(rows.map((row) => [rowId(row), row]));
          this.loaded = count;
          this.total = all;
          this.allLoaded = count >= all;
          this.loading = false;
          this.preparing = undefined;
        },
        () => run !== this.#loadRun,
        (records) => {
          if (run === this.#loadRun) this.preparing = records;
        },
        // The rest only once the first rows are drawn; at most 3 s of waiting.
        () => nextGridPaint(3000),
      );
      // The view's caches built while the browser is idle: the first sort or keystroke is quick.
      if (run === this.#loadRun) this.#stopWarmUp = warmUpWhenIdle(this.sourceRows, this.keys, this.viewState, this.shownValues);
    } catch (err) {
      if (run === this.#loadRun) this.loadError = err instanceof Error ? err.message : String(err);
    } finally {
      if (run === this.#loadRun) this.loading = false;
    }
    if (run === this.#loadRun && this.#deferredChanges.length) await this.#onChanges(this.#deferredChanges.splice(0));
  }

  /** Other users' changes: changed rows re-read, new ones added, deleted ones (and those no longer in scope) taken away. */
  async #onChanges(entries: ChangeEntry[]) {
    const mine = entries.filter((e) => e.type === this.type.info.key || e.type === this.type.info.name);
    if (!mine.length) return;
    // While rows load, changes wait: the rows being loaded are not in `byId` yet.
    if (this.loading || !this.allLoaded) {
      this.#deferredChanges.push(...mine);
      return;
    }
    // A record this page is saving waits for that save's answer, which brings the version the feed
    // names (re-read only if still behind then): a paste of 1,000 cells re-read every record it
    // had written so far, a GET each, beside its own requests and ahead of its next one.
    const saving = new Set(mine.filter((e) => this.editing.isSaving(e.id)));
    if (saving.size) void this.editing.saved().then(() => this.#onChanges([...saving]));
    let removed = false;
    const fresh: GridRow[] = [];
    await Promise.all(
      [...new Map(mine.filter((e) => !saving.has(e)).map((e) => [e.id, e])).values()].map(async (entry) => {
        const row = this.#byId.get(entry.id);
        if (entry.change === 'deleted') {
          // A deletion names the version it deleted: a row past it was restored since (an Undo).
          if (row && entry.version >= (row[1] as number)) {
            this.#byId.delete(entry.id);
            removed = true;
          }
          return;
        }
        if (row && entry.version <= (row[1] as number)) return;
        // 404: the change took it out of this user's scope (handed or reassigned to someone else).
        const record = await this.records.get(entry.id).catch((err) => (err instanceof ApiError && err.status === 404 ? null : undefined));
        // The row as it is now: while the record was read, an Undo's answer may have put it back.
        const now = this.#byId.get(entry.id);
        if (record === null && now) {
          this.#byId.delete(entry.id);
          removed = true;
        }
        if (!record) return;
        if (now) this.editing.takeRecord(now, record);
        else {
          const created: GridRow = [record.id, record.version];
          this.editing.takeRecord(created, record);
          this.#byId.set(record.id, created);
          fresh.push(created);
        }
      }),
    );
    if (removed || fresh.length) this.#keepRows(this.#byId, fresh);
    this.editing.states.touch();
  }

  readonly cancelAdding = () => {
    this.adding = false;
    this.addError = '';
  };

  /** A new record, named first: the one field every type requires (activities also a kind). */
  readonly addRecord = async (event: SubmitEvent) => {
    event.preventDefault();
    this.addError = '';
    const name = this.newName.trim();
    if (!name) {
      this.addError = 'Name is required.';
      return;
    }
    try {
      const record = await this.records.create(this.type.info.name === 'activity' ? { name, kind: 'task' } : { name });
      const row: GridRow = [record.id, record.version];
      this.editing.takeRecord(row, record);
      this.#byId.set(record.id, row);
      this.sourceRows = [...this.sourceRows, row];
      this.total = this.sourceRows.length;
      this.newName = '';
      this.adding = false;
      await this.recordGrid?.editCell(record.id, 'name');
    } catch (err) {
      this.addError = err instanceof Error ? err.message : String(err);
    }
  };

  /** A custom field added: the rows read again with it, its column brought into view and focused. */
  readonly showNewField = async (field: FieldDefinition) => {
    await this.reload();
    if (!visibleColumns(this.keys, this.viewState).includes(field.key)) {
      this.fieldAdded = `${field.label} added: this view does not show it (Columns adds it)`;
      return;
    }
    await tick();
    await this.recordGrid?.showColumn(field.key, 'added as the last column');
  };
}
