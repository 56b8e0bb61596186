import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FILTER_OPS, type ViewFilter } from '$contracts/views.ts';
import { compareValues, foldText, matchesFilter } from '$contracts/view-matching.ts';
import { toMinor, fromMinor } from '$contracts/money.ts';
import { applyView, EMPTY_VIEW_STATE, orderedColumns, visibleColumns, warmUp, type SourceRow, type ViewState } from './apply-view.ts';

const COLUMNS = ['name', 'size', 'tags', 'amount', 'done'];
const row = (id: string, name: unknown, size: unknown, tags: unknown = null, amount: unknown = null, done: unknown = null): SourceRow => [id, 1, name, size, tags, amount, done];
const ids = (rows: readonly SourceRow[]) => rows.map((r) => r[0]);
const state = (patch: Partial<ViewState>): ViewState => ({ ...EMPTY_VIEW_STATE, ...patch });
const eur = (amount: string) => ({ amount, currency: 'EUR' });

describe('applyView', () => {
  const rows = [
    row('a', 'item 10', 3, ['vip'], eur('10.50'), true),
    row('b', 'Item 9', null, [], eur('1.25'), false),
    row('c', 'Émile', 3, ['new', 'vip'], { amount: '100', currency: 'JPY' }),
    row('d', null, 1, null, null),
    row('e', 'emile', 2, ['new'], eur('-2.00')),
  ];

  it('sorts naturally, ignoring case and accents, empty values last in either direction, ties in source order', () => {
    expect(ids(applyView(rows, COLUMNS, state({ sort: [{ field: 'name', direction: 'asc' }] })).rows)).toEqual(['c', 'e', 'b', 'a', 'd']);
    expect(ids(applyView(rows, COLUMNS, state({ sort: [{ field: 'name', direction: 'desc' }] })).rows)).toEqual(['a', 'b', 'c', 'e', 'd']);
  });

  it('sorts by several columns', () => {
    const sorted = applyView(rows, COLUMNS, state({ sort: [{ field: 'size', direction: 'desc' }, { field: 'name', direction: 'asc' }] }));
    expect(ids(sorted.rows)).toEqual(['c', 'a', 'e', 'd', 'b']);
  });

  it('selects records by id, which is no column (an analytics drill\'s view), alone or with other filters', () => {
    const by = (...filters: ViewFilter[]) => ids(applyView(rows, COLUMNS, state({ filters })).rows);
    expect(by({ field: 'id', op: 'in', value: ['e', 'b', 'zz'] })).toEqual(['b', 'e']);
    expect(by({ field: 'id', op: 'in', value: ['e', 'b'] }, { field: 'size', op: 'notEmpty' })).toEqual(['e']);
    expect(by({ field: 'id', op: 'eq', value: 'c' })).toEqual(['c']);
    // Thousands of ids, as a drill of a large report has.
    const many = Array.from({ length: 5_000 }, (_, i) => `x${i}`);
    expect(by({ field: 'id', op: 'in', value: [...many, 'd', 'a'] })).toEqual(['a', 'd']);
  });

  it('filters by text, number range, select values, emptiness; a list passes when any value does', () => {
    const by = (...filters: ViewFilter[]) => ids(applyView(rows, COLUMNS, state({ filters })).rows);
    expect(by({ field: 'name', op: 'contains', value: 'EMI' })).toEqual(['c', 'e']);
    expect(by({ field: 'name', op: 'startsWith', value: 'item' })).toEqual(['a', 'b']);
    expect(by({ field: 'size', op: 'gte', value: 2 }, { field: 'size', op: 'lte', value: 3 })).toEqual(['a', 'c', 'e']);
    expect(by({ field: 'tags', op: 'in', value: ['vip'] })).toEqual(['a', 'c']);
    expect(by({ field: 'tags', op: 'empty' })).toEqual(['b', 'd']);
    expect(by({ field: 'amount', op: 'gt', value: 5 })).toEqual(['a', 'c']);
  });

  it('searches the visible columns only', () => {
    expect(ids(applyView(rows, COLUMNS, state({ search: ' VIP ' })).rows)).toEqual(['a', 'c']);
    const hidden = state({ search: 'vip', columns: [{ key: 'tags', hidden: true }] });
    expect(ids(applyView(rows, COLUMNS, hidden).rows)).toEqual([]);
  });

  it('groups with counts and sums (money per currency), and totals the visible columns', () => {
    const view = applyView(rows, COLUMNS, state({ groupBy: 'size' }));
    expect(view.groups?.map((g) => [g.value, g.count, g.start])).toEqual([
      [1, 1, 0],
      [2, 1, 1],
      [3, 2, 2],
      [null, 1, 4],
    ]);
    expect(view.groups?.[2].sums).toEqual({ size: { number: 6 }, amount: { money: { EUR: '10.50', JPY: '100' } } });
    expect(view.aggregates.size).toEqual({ filled: 4, number: { count: 4, sum: 9, avg: 2.25, min: 1, max: 3 } });
    expect(view.aggregates.amount.money).toEqual({
      EUR: { count: 3, sum: '9.75', avg: '3.25', min: '-2.00', max: '10.50' },
      JPY: { count: 1, sum: '100', avg: '100', min: '100', max: '100' },
    });
    expect(view.aggregates.name).toEqual({ filled: 4 });
  });

  it('sees a row replaced by a new array, and re-checks it under a narrowing filter', () => {
    const live = [...rows];
    const filter = (value: string) => ids(applyView(live, COLUMNS, state({ filters: [{ field: 'name', op: 'contains', value }] })).rows);
    expect(filter('e')).toEqual(['a', 'b', 'c', 'e']);
    live[1] = row('b', 'Zed', null);
    expect(filter('em')).toEqual(['a', 'c', 'e']);
    live[3] = row('d', 'Emma', 1);
    expect(filter('em')).toEqual(['a', 'c', 'd', 'e']);
  });
});

describe('warmUp', () => {
  it('builds ahead what applyView would build, to the same result', () => {
    const rows = Array.from({ length: 50 }, (_, i) => row(`r${i}`, `Name ${i % 7}`, i % 5, i % 3 ? ['x'] : [], eur(`${i}.00`)));
    const view = state({ sort: [{ field: 'name', direction: 'desc' }], search: 'name 3', groupBy: 'size' });
    const cold = applyView(rows.map((r) => [...r]), COLUMNS, view);
    for (const _ of warmUp(rows, COLUMNS, view));
    expect(applyView(rows, COLUMNS, view)).toEqual(cold);
  });

  // A whole column of 100,000 rows in one step held the main thread for 50-300 ms.
  it('goes in small steps: a few thousand rows of one column each', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row(`r${i}`, `Name ${(i * 7919) % 10_000}`, i % 5));
    const steps = [...warmUp(rows, COLUMNS, EMPTY_VIEW_STATE)].length;
    // Per column at least: profile, texts, keys, distinct keys, ranks; and the search's texts.
    expect(steps).toBeGreaterThanOrEqual((10_000 / 2_000) * (5 * COLUMNS.length + 1));
  });

  it('sorts many distinct texts in steps to the order a plain sort gives', () => {
    const names = Array.from({ length: 9_001 }, (_, i) => `${String.fromCharCode(65 + (i % 26))}${(i * 7919) % 9_001} ${i % 3 ? 'é' : 'e'}`);
    const rows = names.map((name, i) => row(`r${i}`, name, i % 11));
    const view = state({ sort: [{ field: 'name', direction: 'asc' }, { field: 'size', direction: 'desc' }] });
    for (const _ of warmUp(rows, COLUMNS, view));
    expect(ids(applyView(rows, COLUMNS, view).rows)).toEqual(ids(naive(rows, COLUMNS, view).rows));
  });

  it('drops what it built while rows changed, so a change made during the warm-up is seen', () => {
    const rows = Array.from({ length: 6_000 }, (_, i) => row(`r${i}`, `Name ${i}`, i % 5));
    const view = state({ sort: [{ field: 'name', direction: 'asc' }], filters: [{ field: 'name', op: 'contains', value: 'zz' }], search: 'zz' });
    const steps = warmUp(rows, COLUMNS, view);
    for (let i = 0; i < 20; i++) steps.next();
    // A live change of row 10 in place, seen by the next applyView (which syncs the caches).
    rows[10] = row('r10', 'AAA zz', 1);
    (rows[10] as unknown[])[1] = 2;
    applyView(rows, COLUMNS, EMPTY_VIEW_STATE);
    for (const _ of steps);
    expect(ids(applyView(rows, COLUMNS, view).rows)).toEqual(['r10']);
    expect(ids(applyView(rows, COLUMNS, state({ sort: [{ field: 'name', direction: 'asc' }] })).rows)[0]).toBe('r10');
  });
});

describe('column state', () => {
  it('orders loaded columns as listed, the unlisted after them, pinned first, hidden left out of the visible', () => {
    const columns = [{ key: 'tags', hidden: true }, { key: 'size' }, { key: 'done', pinned: true }, { key: 'gone' }];
    expect(orderedColumns(COLUMNS, { columns }).map((c) => c.key)).toEqual(['done', 'tags', 'size', 'name', 'amount']);
    expect(visibleColumns(COLUMNS, { columns })).toEqual(['done', 'size', 'name', 'amount']);
  });
});

/** The same view computed the obvious way: the shared comparisons, row by row, no caches. */
function naive(rows: readonly SourceRow[], columns: string[], view: ViewState) {
  const value = (r: SourceRow, field: string) => (columns.includes(field) ? r[columns.indexOf(field) + 2] : undefined);
  const visible = visibleColumns(columns, view);
  const search = foldText(view.search.trim());
  const kept = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => view.filters.every((f) => matchesFilter(value(r, f.field), f)))
    .filter(({ r }) => search === '' || visible.some((key) => matchesFilter(value(r, key), { field: key, op: 'contains', value: search })));
  const order = [...(view.groupBy ? [{ field: view.groupBy, direction: 'asc' }] : []), ...view.sort].filter((k) => columns.includes(k.field));
  kept.sort((a, b) => {
    for (const k of order) {
      const by = compareValues(value(a.r, k.field), value(b.r, k.field), k.direction === 'desc' ? -1 : 1);
      if (by !== 0) return by;
    }
    return a.i - b.i;
  });
  const sorted = kept.map(({ r }) => r);
  const totals = (part: SourceRow[]) =>
    Object.fromEntries(
      visible.map((key) => {
        const values = part.map((r) => value(r, key));
        const numbers = values.filter((v): v is number => typeof v === 'number');
        const money: Record<string, bigint> = {};
        for (const v of values) if (v && typeof v === 'object' && 'currency' in v) money[(v as { currency: string }).currency] = (money[(v as { currency: string }).currency] ?? 0n) + toMinor(v as { amount: string; currency: string });
        return [key, { filled: values.filter((v) => !(v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length))).length, sum: numbers.length ? numbers.reduce((s, n) => s + n, 0) : undefined, money: Object.fromEntries(Object.entries(money).map(([c, m]) => [c, fromMinor(m, c).amount])) }];
      }),
    );
  // A group sums only the columns holding numbers or money.
  const sums = (part: SourceRow[]) =>
    Object.fromEntries(
      Object.entries(totals(part))
        .filter(([, t]) => t.sum !== undefined || Object.keys(t.money).length)
        .map(([key, t]) => [key, { filled: undefined, sum: t.sum, money: t.money }]),
    );
  const groups: { count: number; sums: ReturnType<typeof sums> }[] = [];
  if (view.groupBy && columns.includes(view.groupBy)) {
    let start = 0;
    for (let i = 1; i <= sorted.length; i++) {
      if (i < sorted.length && compareValues(value(sorted[i], view.groupBy), value(sorted[start], view.groupBy)) === 0) continue;
      groups.push({ count: i - start, sums: sums(sorted.slice(start, i)) });
      start = i;
    }
  }
  return { rows: sorted, groups, totals: totals(sorted) };
}

const summary = (view: ReturnType<typeof applyView>) => {
  const totals = (aggregates: Record<string, { filled?: number; number?: { sum: number }; money?: Record<string, { sum: string } | string> }>) =>
    Object.fromEntries(
      Object.entries(aggregates).map(([key, a]) => [key, { filled: a.filled, sum: a.number?.sum, money: Object.fromEntries(Object.entries(a.money ?? {}).map(([c, m]) => [c, typeof m === 'string' ? m : m.sum])) }]),
    );
  return {
    rows: view.rows,
    groups: (view.groups ?? []).map((g) => ({ count: g.count, sums: totals(Object.fromEntries(Object.entries(g.sums).map(([k, s]) => [k, { number: s.number === undefined ? undefined : { sum: s.number }, money: s.money }]))) })),
    totals: totals(view.aggregates),
  };
};

describe('applyView agrees with the naive implementation', () => {
  const text = fc.constantFrom('Ada', 'ada', 'Ádá', 'item 9', 'item 10', 'Item 010', 'bob', 'b', '', ' ', 'Zoë', '2024-01-05', '2024-12-01', '10');
  const scalar = fc.oneof(text, fc.constantFrom(null, 0, 1, 2.5, -3, 10, 100, true, false), fc.constantFrom(eur('1.50'), eur('-2.00'), { amount: '7', currency: 'JPY' }));
  const value = fc.oneof(scalar, fc.array(fc.oneof(text, fc.constantFrom(1, 10)), { maxLength: 3 }));
  const field = fc.constantFrom('c0', 'c1', 'c2', 'c3', 'missing');
  const filter: fc.Arbitrary<ViewFilter> = fc.tuple(field, fc.constantFrom(...FILTER_OPS), fc.oneof(text, fc.constantFrom(0, 2, 10, true)), fc.array(fc.oneof(text, fc.constantFrom(1, 10)), { minLength: 1, maxLength: 3 })).map(([f, op, v, list]) =>
    op === 'empty' || op === 'notEmpty' ? { field: f, op } : op === 'in' ? { field: f, op, value: list } : { field: f, op, value: v },
  );
  const view: fc.Arbitrary<ViewState> = fc.record({
    columns: fc.array(fc.record({ key: field, hidden: fc.boolean(), pinned: fc.boolean() }), { maxLength: 3 }),
    filters: fc.array(filter, { maxLength: 2 }),
    sort: fc.array(fc.record({ field, direction: fc.constantFrom('asc' as const, 'desc' as const) }), { maxLength: 3 }),
    groupBy: fc.option(field, { nil: undefined }),
    search: fc.oneof(fc.constant(''), text),
  });
  const columns = ['c0', 'c1', 'c2', 'c3'];
  const rowOf = fc.tuple(value, value, value, value);

  it('for any rows and any sequence of views, with rows replaced, changed in place, added and removed in between', () => {
    const change = fc.record({ kind: fc.constantFrom('replace' as const, 'in place' as const, 'add' as const, 'remove' as const), at: fc.nat(), values: rowOf });
    fc.assert(
      fc.property(fc.array(rowOf, { maxLength: 40 }), fc.array(fc.tuple(view, fc.array(change, { maxLength: 2 })), { minLength: 1, maxLength: 6 }), (values, steps) => {
        let rows: unknown[][] = values.map((v, i) => [`r${i}`, 1, ...v]);
        for (const [state, changes] of steps) {
          for (const c of changes) {
            const at = rows.length ? c.at % rows.length : 0;
            if (c.kind === 'replace' && rows.length) rows[at] = [rows[at][0], 2, ...c.values];
            // A change in place comes with a new version (a save's answer), as the grid writes it.
            if (c.kind === 'in place' && rows.length) {
              rows[at][2 + (c.at % 4)] = c.values[0];
              rows[at][1] = (rows[at][1] as number) + 1;
            }
            if (c.kind === 'add') rows = [...rows.slice(0, at), [`n${rows.length}`, 1, ...c.values], ...rows.slice(at)];
            if (c.kind === 'remove') rows = rows.filter((_, i) => i !== at);
          }
          expect(summary(applyView(rows, columns, state))).toEqual(naive(rows, columns, state));
        }
      }),
      { numRuns: 300 },
    );
    // 300 sequences take ~1 s on a quiet machine and over 8 s on a loaded CI one: no timing here.
  }, 60_000);

  it('while the user types, deletes, adds and drops filters, hides columns (incremental filtering)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('type' as const), into: fc.constantFrom('search', 'filter'), char: fc.constantFrom('a', 'd', 'i', 't', 'e', 'm', ' ', '1', '0', 'Á') }),
      fc.record({ kind: fc.constant('delete' as const), into: fc.constantFrom('search', 'filter') }),
      fc.record({ kind: fc.constant('add' as const), filter }),
      fc.record({ kind: fc.constant('drop' as const) }),
      fc.record({ kind: fc.constant('hide' as const), key: field, hidden: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(rowOf, { maxLength: 40 }), field, fc.array(step, { minLength: 1, maxLength: 12 }), (values, f, steps) => {
        const rows: SourceRow[] = values.map((v, i) => [`r${i}`, 1, ...v]);
        let typed = '';
        let state: ViewState = EMPTY_VIEW_STATE;
        for (const s of steps) {
          if (s.kind === 'type' || s.kind === 'delete') {
            const next = (was: string) => (s.kind === 'type' ? was + s.char : was.slice(0, -1));
            if (s.into === 'search') state = { ...state, search: next(state.search) };
            else typed = next(typed);
          }
          const others = state.filters.filter((x) => !(x.field === f && x.op === 'contains'));
          if (s.kind === 'add') state = { ...state, filters: [...others, s.filter] };
          if (s.kind === 'drop') state = { ...state, filters: others.slice(1) };
          if (s.kind === 'hide') state = { ...state, columns: [...state.columns.filter((c) => c.key !== s.key), { key: s.key, hidden: s.hidden }] };
          state = { ...state, filters: [...state.filters.filter((x) => !(x.field === f && x.op === 'contains')), ...(typed ? [{ field: f, op: 'contains' as const, value: typed }] : [])] };
          expect(summary(applyView(rows, columns, state))).toEqual(naive(rows, columns, state));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('while a text filter and the search are typed one character at a time (incremental filtering)', () => {
    fc.assert(
      fc.property(fc.array(rowOf, { maxLength: 40 }), field, fc.constantFrom('contains', 'startsWith') as fc.Arbitrary<'contains' | 'startsWith'>, text, text, (values, f, op, typed, search) => {
        const rows: SourceRow[] = values.map((v, i) => [`r${i}`, 1, ...v]);
        for (let n = 0; n <= Math.max(typed.length, search.length); n++) {
          const state: ViewState = { ...EMPTY_VIEW_STATE, filters: typed.slice(0, n) ? [{ field: f, op, value: typed.slice(0, n) }] : [], search: search.slice(0, n) };
          expect(summary(applyView(rows, columns, state))).toEqual(naive(rows, columns, state));
        }
      }),
      { numRuns: 200 },
    );
  });
});
