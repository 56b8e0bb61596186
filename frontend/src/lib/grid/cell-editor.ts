/**
 * The cell editor RevoGrid mounts for every column (its `editors.cell`): one class whose input
 * depends on the field's kind. Select → a dropdown, checkbox → a toggle, date → a date picker
 * (text when editing began by typing), relation → a search box with a list of matches (name and
 * domain or e-mail), several related records → chips and that search box (chip-editor), user →
 * a combobox over the tenant's active users (name and e-mail), the rest a text box. Whatever it
 * holds goes back as text (`save`), read by the field's kind later (chips: their ids): users
 * and records by name (lib/pickers/display-names), as the cell shows them.
 *
 * RevoGrid renders it with Stencil's `h`; lists that change while typing (search matches) are
 * filled into their element directly, since RevoGrid does not re-render an open editor.
 */
import type { SearchHit } from '$contracts/search.ts';
import { textOf, type GridField } from '../records/grid-fields.ts';
import { rowId, type GridRow } from './cell-writes.ts';
import type { CellState } from './cell-states.svelte.ts';
import { uiRecordTypeByKey } from '../records/record-types.ts';
import { displayNames } from '../pickers/display-names.svelte.ts';
import { ChipEditor } from './chip-editor.svelte.ts';

export interface EditorContext {
  /** Records of `type` (singular) whose name starts with `q`. */
  search: (q: string, type: string | undefined) => Promise<SearchHit[]>;
}

interface EditorModel {
  prop: number;
  model: GridRow;
  column: { field: GridField };
}

type H = (tag: string, props?: Record<string, unknown> | null, ...children: unknown[]) => unknown;

/**
 * Editing began by typing when the editor's value is text other than the cell's value (RevoGrid
 * passes the cell's value on Enter, the keys typed so far when typing started the edit).
 */
const isTypedStart = (val: unknown, model: unknown) => typeof val === 'string' && val !== '' && val !== (model ?? '');

export class CellEditor {
  element: Element | null = null;
  editCell?: { val?: unknown };
  #input: HTMLInputElement | HTMLSelectElement | null = null;
  #list: HTMLUListElement | null = null;
  #options: PickOption[] = [];
  #opened = false;
  /** Where the keyboard was when editing began (the grid), for it to go back to. */
  readonly #focusBefore = document.activeElement;
  #context: EditorContext | undefined;
  #active = -1;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * A key is down at the dropdown: the change it makes (type-ahead, an arrow) chooses an option,
   * and Enter or Tab saves it; a change with no key down (a pick from the open list) saves at once.
   */
  #keyAtSelect = false;
  #chips: ChipEditor | null = null;
  readonly #field: GridField;

  constructor(
    private readonly data: EditorModel,
    private readonly save: (value?: unknown, preventFocus?: boolean) => void,
    private readonly close: (focusNext?: boolean) => void,
  ) {
    this.#field = data.column.field;
  }

  /** The text the editor opens with: what was typed, a refused input kept, or the value. */
  #initialText(additional: { cellState?: (id: string, field: string) => CellState | undefined }): string {
    const val = this.editCell?.val;
    const raw = this.data.model[this.data.prop];
    if (isTypedStart(val, raw)) return val as string;
    const kept = additional.cellState?.(rowId(this.data.model), this.#field.key)?.text;
    return kept ?? textOf(this.#field, raw);
  }

  async componentDidRender() {
    await new Promise((resolve) => setTimeout(resolve));
    if (this.#field.kind === 'checkbox') {
      // A checkbox has nothing to type: opening it (Enter, Space, a key) flips it.
      this.save(this.data.model[this.data.prop] === true ? '' : '✓');
      return;
    }
    // Rendered again while open: the box keeps its focus, caret and options as they are.
    if (this.#opened) return;
    this.#opened = true;
    // The box may have the focus already (this runs a moment after it appeared): the person
    // clicked into it or selected its text meanwhile, and a Delete or typing that follows is
    // meant for that selection. Moving the caret to the end then made a clear append instead.
    if (document.activeElement !== this.#input) {
      this.#input?.focus();
      if (this.#input instanceof HTMLInputElement && this.#input.type === 'text') {
        const end = this.#input.value.length;
        this.#input.setSelectionRange(end, end);
      }
    }
    // A picker offers its options at once: every user, or the records matching what was typed.
    const typed = isTypedStart(this.editCell?.val, this.data.model[this.data.prop]);
    if (this.#field.kind === 'user' || (this.#field.kind === 'relation' && typed && !this.#chips)) this.#suggestSoon(this.#context, typed);
  }

  appendPendingInput(value: string): boolean {
    if (!(this.#input instanceof HTMLInputElement)) return false;
    this.#input.value += value;
    // The chips' box is a Svelte component's: it hears of the text as of any typing.
    if (this.#chips) this.#input.dispatchEvent(new Event('input', { bubbles: true }));
    else if (this.#field.kind === 'user' || this.#field.kind === 'relation') this.#suggestSoon(this.#context, true);
    this.#input.focus();
    return true;
  }

  getValue(): unknown {
    if (this.#chips) return this.#chips.ids;
    const value = this.#input?.value ?? '';
    if (this.#field.kind === 'datetime' && this.#input instanceof HTMLInputElement && this.#input.type === 'datetime-local') return value.replace('T', ' ');
    return value;
  }

  beforeDisconnect() {
    clearTimeout(this.#searchTimer);
    this.#input?.blur();
  }

  #commit(moveRight: boolean) {
    this.beforeDisconnect();
    this.save(this.getValue(), moveRight);
  }

  #onKeyDown(event: KeyboardEvent) {
    if (event.isComposing) return;
    if (this.#input instanceof HTMLSelectElement && event.isTrusted) this.#keyAtSelect = true;
    if (this.#options.length && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      event.stopPropagation();
      this.#highlight(this.#active + (event.key === 'ArrowDown' ? 1 : -1));
      return;
    }
    if ((event.key === 'Enter' || event.key === 'Tab') && this.#active >= 0 && this.#options[this.#active]) {
      event.preventDefault();
      event.stopPropagation();
      this.#choose(this.#options[this.#active]);
      return;
    }
    if (event.key === 'Enter' || event.key === 'Tab') {
      if (this.#field.kind === 'long_text' && event.key === 'Enter' && event.altKey) return;
      this.#commit(event.key === 'Tab');
    }
  }

  render(h: H, additional: { editorContext?: EditorContext; cellState?: (id: string, field: string) => CellState | undefined } = {}) {
    const field = this.#field;
    this.#context = additional.editorContext;
    // Rendered again while open (RevoGrid re-renders on its own updates): what is in the box stays.
    const text = this.#input instanceof HTMLInputElement ? this.#input.value : this.#initialText(additional);
    const typed = isTypedStart(this.editCell?.val, this.data.model[this.data.prop]);
    const ref = (el: HTMLInputElement | HTMLSelectElement | null) => (this.#input = el);
    const onKeyDown = (e: KeyboardEvent) => this.#onKeyDown(e);
    const label = `${field.label}, editing`;

    if (field.kind === 'select' && !typed) {
      // A row may offer fewer choices than the column reads (a deal's stage: its pipeline's); what it holds stays shown.
      const own = field.rowOptions?.(this.data.model) ?? field.options ?? [];
      const options = text === '' || own.includes(text) ? own : [text, ...own];
      return h(
        'select',
        { ref, 'aria-label': label, class: 'cell-editor', onKeyDown, onKeyUp: () => (this.#keyAtSelect = false), onChange: () => this.#keyAtSelect || this.#commit(false) },
        // A required choice offers no empty one, but shows it when the record holds none yet.
        ...(field.required && text !== '' ? [] : [h('option', { value: '', selected: text === '' }, '—')]),
        ...options.map((option) => h('option', { value: option, selected: option === text }, option)),
      );
    }
    if ((field.kind === 'date' || field.kind === 'datetime') && !typed) {
      const value = field.kind === 'date' ? text : text.replace(' ', 'T');
      return h('input', { ref, type: field.kind === 'date' ? 'date' : 'datetime-local', value, 'aria-label': label, class: 'cell-editor', onKeyDown });
    }
    if (field.kind === 'relation' && field.multiple) {
      return h('div', { class: 'cell-chips', ref: (el: HTMLElement | null) => el && this.#mountChips(el, typed ? text : '', additional.editorContext) });
    }
    const listId = `cell-options-${field.key}`;
    const picks = field.kind === 'relation' || field.kind === 'user';
    const input = h('input', {
      ref,
      type: 'text',
      value: text,
      'aria-label': label,
      class: 'cell-editor',
      enterKeyHint: 'enter',
      placeholder: placeholderOf(field),
      list: field.options ? listId : undefined,
      role: picks ? 'combobox' : undefined,
      'aria-expanded': picks ? 'false' : undefined,
      'aria-controls': picks ? `${listId}-hits` : undefined,
      'aria-autocomplete': picks ? 'list' : undefined,
      onKeyDown,
      onInput: picks ? () => this.#suggestSoon(additional.editorContext, true) : undefined,
    });
    if (field.options) {
      return h('div', { class: 'cell-editor-wrap' }, input, h('datalist', { id: listId }, ...field.options.map((o) => h('option', { value: o }))));
    }
    return input;
  }

  /** The chips of a multi-relation cell, mounted once into the editor's element. */
  #mountChips(element: HTMLElement, initialQuery: string, context: EditorContext | undefined) {
    if (this.#chips) return;
    const type = this.#field.target ? uiRecordTypeByKey(this.#field.target)?.info.name : undefined;
    this.#chips = new ChipEditor(element, {
      field: this.#field,
      value: this.data.model[this.data.prop],
      initialQuery,
      search: (q) => (context ? context.search(q, type) : Promise.resolve([])),
      commit: (ids, moveRight) => {
        this.beforeDisconnect();
        this.save(ids, moveRight);
      },
    });
    this.#input = this.#chips.input;
  }

  /**
   * The options for the text in the box: a relation searches the word being typed (after the last
   * `;`) among the target type, a user field filters the directory (all of it when nothing was
   * typed yet: the editor opened on the cell's value).
   */
  #suggestSoon(context: EditorContext | undefined, typed: boolean) {
    clearTimeout(this.#searchTimer);
    const input = this.#input as HTMLInputElement | null;
    if (!input) return;
    if (this.#field.kind === 'user') {
      void displayNames.loadUsers().then(() => this.#show(userOptions(typed ? input.value : '')), () => this.#show([]));
      return;
    }
    if (!context) return;
    const word = input.value.split(';').pop()!.trim();
    if (word.length < 1 || /^[0-9A-HJKMNP-TV-Z]{26}$/.test(word)) return this.#show([]);
    this.#searchTimer = setTimeout(async () => {
      const type = this.#field.target ? uiRecordTypeByKey(this.#field.target)?.info.name : undefined;
      const hits = await context.search(word, type).catch(() => []);
      if (input.value.split(';').pop()!.trim() !== word) return; // typed on meanwhile: a newer search answers
      this.#show(hits.map((hit) => ({ label: hit.name, detail: hit.detail ?? (hit.match.kind === 'name' ? undefined : hit.match.value), hit })));
    }, 150);
  }

  /**
   * The options' list, on the page's body and placed under the box (above it near the window's
   * bottom): inside the grid it would be clipped by the rows' viewport.
   */
  #listUnderBox(): HTMLUListElement | null {
    const input = this.#input;
    if (!input?.isConnected) return null;
    if (!this.#list) {
      const list = document.createElement('ul');
      list.id = input.getAttribute('aria-controls') ?? `cell-options-${this.#field.key}-hits`;
      list.role = 'listbox';
      list.setAttribute('aria-label', `Matching ${this.#field.label.toLowerCase()}`);
      list.className = 'cell-hits';
      document.body.append(list);
      this.#list = list;
    }
    const box = input.getBoundingClientRect();
    const below = window.innerHeight - box.bottom > 240 || box.top < 240;
    Object.assign(this.#list.style, {
      left: `${box.left}px`,
      minWidth: `${Math.max(box.width, 256)}px`,
      top: below ? `${box.bottom + 2}px` : '',
      bottom: below ? '' : `${window.innerHeight - box.top + 2}px`,
    });
    return this.#list;
  }

  /**
   * RevoGrid closed the editor: the list on the body goes with it, and the focus, left on the
   * body when the box went (Esc), goes back to the grid, so a paste (Ctrl+V) reaches the cell.
   */
  disconnectedCallback() {
    this.#list?.remove();
    this.#list = null;
    this.#chips?.destroy();
    this.#chips = null;
    const back = this.#focusBefore;
    if ((!document.activeElement || document.activeElement === document.body) && back instanceof HTMLElement && back.isConnected) back.focus({ preventScroll: true });
  }

  #show(options: PickOption[]) {
    this.#options = options;
    this.#active = options.length ? 0 : -1;
    const list = this.#listUnderBox();
    if (!list) return;
    list.replaceChildren(
      ...options.map((option, i) => {
        const item = document.createElement('li');
        item.id = `${list.id}-${i}`;
        item.role = 'option';
        const name = document.createElement('span');
        name.className = 'cell-hit-name';
        name.textContent = option.label;
        item.append(name);
        if (option.detail) {
          const detail = document.createElement('span');
          detail.className = 'cell-hit-detail';
          detail.textContent = option.detail;
          item.append(detail);
        }
        item.addEventListener('mousedown', (e) => {
          e.preventDefault();
          this.#choose(option);
        });
        return item;
      }),
    );
    this.#input?.setAttribute('aria-expanded', String(options.length > 0));
    if (!options.length) this.#input?.removeAttribute('aria-activedescendant');
    this.#highlight(this.#active);
  }

  #highlight(index: number) {
    if (!this.#options.length || !this.#list) return;
    this.#active = (index + this.#options.length) % this.#options.length;
    [...this.#list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === this.#active)));
    this.#list.children[this.#active]?.scrollIntoView({ block: 'nearest' });
    this.#input?.setAttribute('aria-activedescendant', `${this.#list.id}-${this.#active}`);
  }

  /**
   * An option chosen: its name replaces the word typed (names picked before stay, for a list of
   * them), and is learnt, so the text reads back as that record's id (valueOf).
   */
  #choose(option: PickOption) {
    const input = this.#input as HTMLInputElement;
    if (option.hit) {
      displayNames.learn(this.#field.target ?? '', option.hit.id, option.hit.name);
      const kept = this.#field.multiple ? input.value.split(';').slice(0, -1).map((s) => s.trim()).filter(Boolean) : [];
      input.value = [...kept, nameOrId(this.#field, option.hit)].join('; ');
    } else input.value = option.label;
    this.#show([]);
    this.#commit(false);
  }
}

interface PickOption {
  label: string;
  /** The second line: a user's e-mail, a record's domain or e-mail. */
  detail?: string;
  hit?: SearchHit;
}

/** Active users whose name or e-mail contains the text, by name. */
function userOptions(text: string): PickOption[] {
  const wanted = text.trim().toLowerCase();
  return displayNames
    .pickableUsers()
    .filter(({ user, label }) => !wanted || label.toLowerCase().includes(wanted) || user.email.toLowerCase().includes(wanted))
    .slice(0, 50)
    .map(({ user, label }) => ({ label, detail: label.includes(user.email) ? undefined : user.email }));
}

/** A picked record by name, unless another known record of its type has that name: then by id. */
function nameOrId(field: GridField, hit: SearchHit): string {
  try {
    return displayNames.recordIdsOf(field.target, [hit.name])[0] === hit.id ? hit.name : hit.id;
  } catch {
    return hit.id;
  }
}

function placeholderOf(field: GridField): string | undefined {
  switch (field.kind) {
    case 'money':
      return field.currency ? `amount in ${field.currency}` : '12.50 EUR';
    case 'list':
    case 'multi_select':
      return 'a; b';
    case 'relation':
      return 'type to search';
    case 'date':
      return 'YYYY-MM-DD';
    case 'user':
      return 'type a name or e-mail';
    default:
      return undefined;
  }
}
