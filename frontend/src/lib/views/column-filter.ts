/**
 * A column's filter as the filter editor shows it (one form per kind of field: text, number or
 * date range, select values, yes/no, empty or not) and as ViewFilters (what a view holds and the
 * server understands), both ways; and a filter's words for its chip.
 */
import type { ViewFilter } from '$contracts/views.ts';
import type { FieldKind } from '$lib/records/grid-fields.ts';

/** What the editor needs of a field. */
export interface FilterField {
  key: string;
  label: string;
  kind: FieldKind;
  options?: string[];
}

export type FilterForm =
  | { mode: 'contains' | 'startsWith' | 'eq'; text: string }
  | { mode: 'range'; from: string; to: string }
  | { mode: 'values'; values: string[] }
  | { mode: 'yes' | 'no' | 'empty' | 'notEmpty' };

export type FilterMode = FilterForm['mode'];

export function modesOf(field: FilterField): FilterMode[] {
  switch (field.kind) {
    case 'number':
    case 'percent':
    case 'money':
    case 'date':
    case 'datetime':
      return ['range', 'eq', 'empty', 'notEmpty'];
    case 'select':
    case 'multi_select':
      return ['values', 'empty', 'notEmpty'];
    case 'checkbox':
      return ['yes', 'no'];
    default:
      return ['contains', 'startsWith', 'eq', 'empty', 'notEmpty'];
  }
}

export const MODE_LABELS: Record<FilterMode, string> = {
  contains: 'contains',
  startsWith: 'starts with',
  eq: 'is',
  range: 'between',
  values: 'is any of',
  yes: 'is checked',
  no: 'is not checked',
  empty: 'is empty',
  notEmpty: 'is not empty',
};

const isNumeric = (field: FilterField) => field.kind === 'number' || field.kind === 'percent' || field.kind === 'money';

/** A typed bound: a number for numeric fields (money by amount); a date as written (ISO sorts as text). */
function bound(field: FilterField, text: string): string | number | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (!isNumeric(field)) return trimmed;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}

/** The filters of the form; an incomplete form gives none. */
export function filtersOfForm(field: FilterField, form: FilterForm): ViewFilter[] {
  const on = (op: ViewFilter['op'], value?: ViewFilter['value']): ViewFilter => ({ field: field.key, op, ...(value === undefined ? {} : { value }) });
  switch (form.mode) {
    case 'contains':
    case 'startsWith':
      return form.text.trim() ? [on(form.mode, form.text.trim())] : [];
    case 'eq': {
      const value = bound(field, form.text);
      return value === undefined ? [] : [on('eq', value)];
    }
    case 'range': {
      const [from, to] = [bound(field, form.from), bound(field, form.to)];
      // A date "to" takes in the whole day of a date-time.
      const upTo = field.kind === 'datetime' && typeof to === 'string' && /^\d{4}-\d\d-\d\d$/.test(to) ? `${to}T23:59:59.999Z` : to;
      return [...(from === undefined ? [] : [on('gte', from)]), ...(upTo === undefined ? [] : [on('lte', upTo)])];
    }
    case 'values':
      return form.values.length ? [on('in', form.values)] : [];
    case 'yes':
    case 'no':
      return [on('eq', form.mode === 'yes')];
    case 'empty':
    case 'notEmpty':
      return [on(form.mode)];
  }
}

/** The form showing a field's filters (the first mode of the field when it has none). */
export function formOfFilters(field: FilterField, filters: ViewFilter[]): FilterForm {
  const mine = filters.filter((filter) => filter.field === field.key);
  const text = (value: unknown) => (value === undefined ? '' : String(value));
  const gte = mine.find((filter) => filter.op === 'gte');
  const lte = mine.find((filter) => filter.op === 'lte');
  if (gte || lte) return { mode: 'range', from: text(gte?.value), to: text(lte?.value).replace(/T23:59:59\.999Z$/, '') };
  const first = mine[0];
  if (first?.op === 'in') return { mode: 'values', values: (first.value as unknown[]).map(String) };
  if (first?.op === 'empty' || first?.op === 'notEmpty') return { mode: first.op };
  if (first?.op === 'eq' && typeof first.value === 'boolean') return { mode: first.value ? 'yes' : 'no' };
  if (first?.op === 'contains' || first?.op === 'startsWith' || first?.op === 'eq') return { mode: first.op, text: text(first.value) };
  return blankForm(modesOf(field)[0]);
}

export function blankForm(mode: FilterMode): FilterForm {
  if (mode === 'range') return { mode, from: '', to: '' };
  if (mode === 'values') return { mode, values: [] };
  if (mode === 'contains' || mode === 'startsWith' || mode === 'eq') return { mode, text: '' };
  return { mode };
}

/** The filters with those of `field` replaced. */
export function withFieldFilters(filters: ViewFilter[], field: string, replacement: ViewFilter[]): ViewFilter[] {
  return [...filters.filter((filter) => filter.field !== field), ...replacement];
}

/** A field's filters in words, for its chip: `Size between 10 and 50`. */
/** Values of an `in` filter a chip lists; more are counted. */
const MAX_LISTED_VALUES = 10;

export function describeFilters(label: string, filters: ViewFilter[]): string {
  const gte = filters.find((filter) => filter.op === 'gte');
  const lte = filters.find((filter) => filter.op === 'lte');
  const value = (filter: ViewFilter) => (Array.isArray(filter.value) ? filter.value.join(', ') : String(filter.value).replace(/T23:59:59\.999Z$/, ''));
  if (gte && lte) return `${label} between ${value(gte)} and ${value(lte)}`;
  return filters
    .map((filter) => {
      switch (filter.op) {
        case 'gte':
          return `${label} ≥ ${value(filter)}`;
        case 'lte':
          return `${label} ≤ ${value(filter)}`;
        case 'gt':
          return `${label} > ${value(filter)}`;
        case 'lt':
          return `${label} < ${value(filter)}`;
        case 'empty':
          return `${label} is empty`;
        case 'notEmpty':
          return `${label} is not empty`;
        case 'in':
          // Ids (an analytics drill's deals) and long lists are said by their length, not spelt out.
          return Array.isArray(filter.value) && (filter.field === 'id' || filter.value.length > MAX_LISTED_VALUES) ? `${label} is one of ${filter.value.length.toLocaleString('en')}` : `${label} is ${value(filter)}`;
        case 'neq':
          return `${label} is not ${value(filter)}`;
        case 'eq':
          return typeof filter.value === 'boolean' ? `${label} is ${filter.value ? '' : 'not '}checked` : `${label} is ${value(filter)}`;
        default:
          return `${label} ${MODE_LABELS[filter.op]} “${value(filter)}”`;
      }
    })
    .join(', ');
}
