/**
 * The grid's editor of a cell holding several related records (a contact's companies, a custom
 * relation field with `multiple`): the record card's picker (pickers/RelationPicker.svelte) in
 * RevoGrid's editor, its chips gathered until Enter (or Tab) commits them all as one cell edit;
 * Esc (RevoGrid's) cancels. The value goes to the grid as the ids themselves, not as text: a
 * hidden record or a name two records share has no text that reads back as its id.
 */
import { mount, unmount } from 'svelte';
import type { SearchHit } from '$contracts/search.ts';
import RelationPicker from '../pickers/RelationPicker.svelte';
import type { GridField } from '../records/grid-fields.ts';
import { relationIds } from '../records/grid-fields.ts';

export interface ChipEditorOptions {
  field: GridField;
  /** The cell's value (ids) when the editor opens. */
  value: unknown;
  /** Typed to open the editor: searched at once. */
  initialQuery: string;
  search: (q: string) => Promise<SearchHit[]>;
  /** The ids chosen (null: none), and whether to move right (Tab). */
  commit: (ids: string[] | null, moveRight: boolean) => void;
}

export class ChipEditor {
  readonly #props: { ids: string[] };
  readonly #component: ReturnType<typeof mount>;
  readonly #target: HTMLElement;

  constructor(target: HTMLElement, options: ChipEditorOptions) {
    const { field } = options;
    this.#target = target;
    this.#props = $state({ ids: relationIds(options.value) });
    const props = this.#props;
    this.#component = mount(RelationPicker, {
      target,
      props: {
        target: field.target ?? '',
        label: field.label,
        get ids() {
          return props.ids;
        },
        search: options.search,
        onadd: (hit: SearchHit) => (props.ids = [...props.ids, hit.id]),
        onremove: (id: string) => (props.ids = props.ids.filter((other) => other !== id)),
        onkey: (event: KeyboardEvent) => {
          if ((event.key !== 'Enter' && event.key !== 'Tab') || event.ctrlKey || event.metaKey) return;
          event.preventDefault();
          options.commit(this.ids, event.key === 'Tab');
        },
        canAdd: true,
        inputId: `cell-chips-${field.key}`,
        inputLabel: `${field.label}, editing`,
        inputClass: 'cell-editor',
        placeholder: 'type to search',
        initialQuery: options.initialQuery,
        listOnBody: true,
      },
    });
  }

  /** The ids as chosen so far; null when there are none (the field is cleared). */
  get ids(): string[] | null {
    return this.#props.ids.length ? [...this.#props.ids] : null;
  }

  get input(): HTMLInputElement | null {
    return this.#target.querySelector('input');
  }

  destroy(): void {
    void unmount(this.#component);
  }
}
