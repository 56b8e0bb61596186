/**
 * The cell editor RevoGrid mounts for every column (its `editors.cell`): one class whose input
 * depends on the field's kind. Select → a dropdown, checkbox → a toggle, date → a date picker
 * (text when editing began by typing), relation → a search box with a list of matches, the
 * rest a text box. Whatever it holds goes back as text (`save`), read by the field's kind later.
 *
 * RevoGrid renders it with Stencil's `h`; lists that change while typing (search matches) are
 * filled into their element directly, since RevoGrid does not re-render an open editor.
 */
import type { SearchHit } from '$contracts/search.ts';
import { textOf, type GridField } from './grid-fields.ts';
import { rowId, type GridRow } from './cell-writes.ts';
import type { CellState } from './cell-states.svelte.ts';
import { uiRecordTypeByKey } from './record-types.ts';

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
  #hits: SearchHit[] = [];
  #active = -1;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
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
    this.#input?.focus();
    if (this.#input instanceof HTMLInputElement && this.#input.type === 'text') {
      const end = this.#input.value.length;
      this.#input.setSelectionRange(end, end);
    }
  }

  appendPendingInput(value: string): boolean {
    if (!(this.#input instanceof HTMLInputElement)) return false;
    this.#input.value += value;
    this.#input.focus();
    return true;
  }

  getValue(): string {
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
    if (this.#hits.length && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      event.stopPropagation();
      this.#highlight(this.#active + (event.key === 'ArrowDown' ? 1 : -1));
      return;
    }
    if (event.key === 'Enter' && this.#active >= 0 && this.#hits[this.#active]) {
      event.preventDefault();
      event.stopPropagation();
      this.#choose(this.#hits[this.#active]);
      return;
    }
    if (event.key === 'Enter' || event.key === 'Tab') {
      if (this.#field.kind === 'long_text' && event.key === 'Enter' && event.altKey) return;
      this.#commit(event.key === 'Tab');
    }
  }

  render(h: H, additional: { editorContext?: EditorContext; cellState?: (id: string, field: string) => CellState | undefined } = {}) {
    const field = this.#field;
    // Rendered again while open (RevoGrid re-renders on its own updates): what is in the box stays.
    const text = this.#input instanceof HTMLInputElement ? this.#input.value : this.#initialText(additional);
    const typed = isTypedStart(this.editCell?.val, this.data.model[this.data.prop]);
    const ref = (el: HTMLInputElement | HTMLSelectElement | null) => (this.#input = el);
    const onKeyDown = (e: KeyboardEvent) => this.#onKeyDown(e);
    const label = `${field.label}, editing`;

    if (field.kind === 'select' && !typed) {
      return h(
        'select',
        { ref, 'aria-label': label, class: 'cell-editor', onKeyDown, onChange: () => this.#commit(false) },
        h('option', { value: '', selected: text === '' }, '—'),
        ...(field.options ?? []).map((option) => h('option', { value: option, selected: option === text }, option)),
      );
    }
    if ((field.kind === 'date' || field.kind === 'datetime') && !typed) {
      const value = field.kind === 'date' ? text : text.replace(' ', 'T');
      return h('input', { ref, type: field.kind === 'date' ? 'date' : 'datetime-local', value, 'aria-label': label, class: 'cell-editor', onKeyDown });
    }
    const listId = `cell-options-${field.key}`;
    const input = h('input', {
      ref,
      type: 'text',
      value: text,
      'aria-label': label,
      class: 'cell-editor',
      enterKeyHint: 'enter',
      placeholder: placeholderOf(field),
      list: field.options ? listId : undefined,
      role: field.kind === 'relation' ? 'combobox' : undefined,
      'aria-expanded': field.kind === 'relation' ? 'false' : undefined,
      'aria-controls': field.kind === 'relation' ? `${listId}-hits` : undefined,
      'aria-autocomplete': field.kind === 'relation' ? 'list' : undefined,
      onKeyDown,
      onInput: field.kind === 'relation' ? () => this.#searchSoon(additional.editorContext) : undefined,
    });
    if (field.options) {
      return h('div', { class: 'cell-editor-wrap' }, input, h('datalist', { id: listId }, ...field.options.map((o) => h('option', { value: o }))));
    }
    if (field.kind === 'relation') {
      const list = h('ul', { id: `${listId}-hits`, role: 'listbox', 'aria-label': `Matching ${field.label.toLowerCase()}`, class: 'cell-hits', ref: (el: HTMLUListElement) => (this.#list = el) });
      return h('div', { class: 'cell-editor-wrap' }, input, list);
    }
    return input;
  }

  /** Relation: the word being typed (after the last `;`) searched among the target type. */
  #searchSoon(context: EditorContext | undefined) {
    clearTimeout(this.#searchTimer);
    const input = this.#input as HTMLInputElement | null;
    if (!context || !input) return;
    const word = input.value.split(';').pop()!.trim();
    if (word.length < 1 || /^[0-9A-HJKMNP-TV-Z]{26}$/.test(word)) return this.#show([]);
    this.#searchTimer = setTimeout(async () => {
      const type = this.#field.target ? uiRecordTypeByKey(this.#field.target)?.info.name : undefined;
      this.#show(await context.search(word, type).catch(() => []));
    }, 150);
  }

  #show(hits: SearchHit[]) {
    this.#hits = hits;
    this.#active = hits.length ? 0 : -1;
    const list = this.#list;
    if (!list) return;
    list.replaceChildren(
      ...hits.map((hit, i) => {
        const item = document.createElement('li');
        item.id = `${list.id}-${i}`;
        item.role = 'option';
        item.textContent = hit.name;
        item.title = hit.match.value;
        item.addEventListener('mousedown', (e) => {
          e.preventDefault();
          this.#choose(hit);
        });
        return item;
      }),
    );
    this.#input?.setAttribute('aria-expanded', String(hits.length > 0));
    this.#highlight(this.#active);
  }

  #highlight(index: number) {
    if (!this.#hits.length || !this.#list) return;
    this.#active = (index + this.#hits.length) % this.#hits.length;
    [...this.#list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === this.#active)));
    this.#input?.setAttribute('aria-activedescendant', `${this.#list.id}-${this.#active}`);
  }

  /** A match chosen: its id replaces the word typed (kept ids stay, for a list of them). */
  #choose(hit: SearchHit) {
    const input = this.#input as HTMLInputElement;
    const kept = this.#field.multiple ? input.value.split(';').slice(0, -1).map((s) => s.trim()).filter(Boolean) : [];
    input.value = [...kept, hit.id].join('; ');
    this.#show([]);
    this.#commit(false);
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
      return 'user id';
    default:
      return undefined;
  }
}
