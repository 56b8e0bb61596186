/**
 * The view in the URL, so that a link shows what its sender saw and back/forward step through
 * changes: `?view=<id>` names the saved view, and only what differs from it follows, compactly:
 *
 * | param | holds | example |
 * | --- | --- | --- |
 * | `q` | the quick search | `q=acme` |
 * | `f` | one filter each: `field.op[.JSON value]`; `f=` alone: no filters | `f=size.gte.10&f=name.contains."ad"` |
 * | `s` | sort keys, `-` for descending; empty: none | `s=-amount,name` |
 * | `g` | the group-by field; empty: none | `g=stage` |
 * | `c` | visible columns in order, `^` pinned, `~width` | `c=^name~240,stage,amount` |
 * | `x` | one collapsed group each, by its value as JSON (never part of a saved view) | `x="won"&x=null` |
 *
 * A link edited by hand cannot break the page: what does not parse is left out.
 */
import { ViewFilter } from '$contracts/views.ts';
import type { ColumnState, SortState, ViewState } from './apply-view.ts';
import { viewOfState } from './saved-view.ts';

const PARAMS = ['q', 'f', 's', 'g', 'c', 'x'] as const;

/** The query parameters (besides `view`) that turn `base` into `state`. */
export function queryOfState(state: ViewState, base: ViewState, loaded: readonly string[]): [string, string][] {
  const [now, was] = [viewOfState(state, loaded), viewOfState(base, loaded)];
  const query: [string, string][] = [];
  if (state.search) query.push(['q', state.search]);
  if (JSON.stringify(state.filters) !== JSON.stringify(base.filters)) {
    if (!state.filters.length) query.push(['f', '']);
    for (const filter of state.filters) query.push(['f', [filter.field, filter.op, ...(filter.value === undefined ? [] : [JSON.stringify(filter.value)])].join('.')]);
  }
  if (JSON.stringify(state.sort) !== JSON.stringify(base.sort)) query.push(['s', state.sort.map((key) => (key.direction === 'desc' ? '-' : '') + key.field).join(',')]);
  if ((state.groupBy ?? '') !== (base.groupBy ?? '')) query.push(['g', state.groupBy ?? '']);
  const layout = (view: typeof now) => JSON.stringify([view.columns, view.widths, view.pinned]);
  if (layout(now) !== layout(was)) {
    query.push(['c', now.columns.map((key) => `${now.pinned?.includes(key) ? '^' : ''}${key}${now.widths?.[key] ? `~${now.widths[key]}` : ''}`).join(',')]);
  }
  for (const key of state.collapsed ?? []) query.push(['x', key]);
  return query;
}

/** The state the query describes over `base` (parameters absent keep the base's). */
export function stateOfQuery(params: URLSearchParams, base: ViewState, loaded: readonly string[]): ViewState {
  const state: ViewState = { ...base, search: params.get('q') ?? '' };
  if (params.has('f')) state.filters = params.getAll('f').flatMap(filterOf);
  if (params.has('s')) state.sort = (params.get('s') ?? '').split(',').flatMap(sortOf);
  if (params.has('g')) {
    const group = params.get('g');
    state.groupBy = group || undefined;
  }
  const collapsed = params.getAll('x');
  state.collapsed = collapsed.length ? collapsed : undefined;
  const columns = params.get('c');
  if (columns !== null) state.columns = columnsOf(columns, loaded);
  return state;
}

/** `url` with the view's parameters replaced by those of `state`. */
export function urlOfState(url: URL, viewId: string | undefined, state: ViewState, base: ViewState, loaded: readonly string[]): URL {
  const next = new URL(url);
  for (const param of ['view', ...PARAMS]) next.searchParams.delete(param);
  if (viewId) next.searchParams.set('view', viewId);
  for (const [param, value] of queryOfState(state, base, loaded)) next.searchParams.append(param, value);
  return next;
}

function filterOf(text: string): ViewFilter[] {
  const [field, op, ...rest] = text.split('.');
  if (!field || !op) return [];
  let value: unknown;
  try {
    value = rest.length ? JSON.parse(rest.join('.')) : undefined;
  } catch {
    return [];
  }
  const parsed = ViewFilter.safeParse({ field, op, ...(value === undefined ? {} : { value }) });
  return parsed.success ? [parsed.data] : [];
}

function sortOf(text: string): SortState[] {
  const field = text.replace(/^-/, '');
  return field ? [{ field, direction: text.startsWith('-') ? 'desc' : 'asc' }] : [];
}

function columnsOf(text: string, loaded: readonly string[]): ColumnState[] {
  const shown: ColumnState[] = [];
  for (const token of text.split(',')) {
    const match = /^(\^?)([^~^]+)(?:~(\d+))?$/.exec(token);
    if (!match || !loaded.includes(match[2]) || shown.some((column) => column.key === match[2])) continue;
    const width = match[3] ? Math.min(2000, Math.max(40, Number(match[3]))) : undefined;
    shown.push({ key: match[2], ...(width ? { width } : {}), ...(match[1] ? { pinned: true } : {}) });
  }
  if (!shown.length) return loaded.map((key) => ({ key }));
  return [...shown, ...loaded.filter((key) => !shown.some((column) => column.key === key)).map((key) => ({ key, hidden: true }))];
}

/**
 * Whether `next` is `before` with text typed: the quick search, or the value of a filter already
 * there (same filters, fields and operators, in place). Such a change replaces the URL's history
 * entry instead of adding one, so Back skips the keystrokes to the view before.
 */
export function isTyping(before: ViewState, next: ViewState): boolean {
  if (next.sort !== before.sort || next.columns !== before.columns || next.groupBy !== before.groupBy) return false;
  if (next.search !== before.search) return sameFilters(before.filters, next.filters, true);
  return next.filters.length > 0 && sameFilters(before.filters, next.filters, false);
}

/** Same fields and operators in the same places; `sameValues`: the values too. */
function sameFilters(a: readonly ViewFilter[], b: readonly ViewFilter[], sameValues: boolean): boolean {
  return a.length === b.length && a.every((filter, i) => filter.field === b[i].field && filter.op === b[i].op && (!sameValues || JSON.stringify(filter.value) === JSON.stringify(b[i].value)));
}
