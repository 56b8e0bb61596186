/**
 * A view's totals: per column, one pass over its values (`Profile`: which rows are empty, their
 * numbers, their money in minor units) kept with the column's caches (column-cache.ts), and the
 * totals over any run of rows read from it (the rows shown, each group's).
 */
import { divideRounded, fromMinor, toMinor } from '$contracts/money.ts';
import { isEmptyValue } from '$contracts/view-matching.ts';
import type { Moves } from './column-cache.ts';

export interface NumberAggregate {
  count: number;
  sum: number;
  avg: number;
  min: number;
  max: number;
}

/** Amounts as decimal strings, exact (summed in minor units); `avg` rounded half away from zero. */
export interface MoneyAggregate {
  count: number;
  sum: string;
  avg: string;
  min: string;
  max: string;
}

/** A column's totals over the rows shown: how many are filled; numbers and money per currency. */
export interface ColumnAggregate {
  filled: number;
  number?: NumberAggregate;
  /** By currency code (in code order). */
  money?: Record<string, MoneyAggregate>;
}

/** One pass over a column: which rows are empty, their numbers, their money (null: none at all). */
export interface Profile {
  empty: Uint8Array;
  numbers: Float64Array | null;
  money: { minor: (bigint | null)[]; currency: (string | null)[] } | null;
}

/** Row `row` of a profile set from its value (arrays for numbers and money made when first needed). */
export function profiled(profile: Profile, row: number, value: unknown, rows: number): void {
  profile.empty[row] = isEmptyValue(value) ? 1 : 0;
  const number = typeof value === 'number' && Number.isFinite(value) ? value : NaN;
  if (profile.numbers || !Number.isNaN(number)) (profile.numbers ??= new Float64Array(rows).fill(NaN))[row] = number;
  const money = isMoney(value) ? moneyOf(value) : undefined;
  if (profile.money || money) {
    profile.money ??= { minor: new Array(rows).fill(null), currency: new Array(rows).fill(null) };
    [profile.money.minor[row], profile.money.currency[row]] = money ?? [null, null];
  }
}

/** A profile rearranged by `moves`; new rows profiled from their values. */
export function movedProfile(old: Profile, moves: Moves, value: (row: number) => unknown): Profile {
  const n = moves.length;
  const profile: Profile = {
    empty: new Uint8Array(n),
    numbers: old.numbers && new Float64Array(n).fill(NaN),
    money: old.money && { minor: new Array(n).fill(null), currency: new Array(n).fill(null) },
  };
  for (let row = 0; row < n; row++) {
    const from = moves[row];
    if (from < 0) {
      profiled(profile, row, value(row), n);
      continue;
    }
    profile.empty[row] = old.empty[from];
    // (A new row may have brought the column's first number or money: the others have none.)
    if (profile.numbers && old.numbers) profile.numbers[row] = old.numbers[from];
    if (profile.money && old.money) [profile.money.minor[row], profile.money.currency[row]] = [old.money.minor[from], old.money.currency[from]];
  }
  return profile;
}

/** Totals of a column over `order[from..to)`, from its profile. */
export function aggregate({ empty, numbers, money }: Profile, order: Uint32Array, from: number, to: number): ColumnAggregate {
  let filled = 0;
  for (let i = from; i < to; i++) if (!empty[order[i]]) filled++;
  const result: ColumnAggregate = { filled };
  if (numbers) {
    let [count, sum, min, max] = [0, 0, Infinity, -Infinity];
    for (let i = from; i < to; i++) {
      const n = numbers[order[i]];
      if (Number.isNaN(n)) continue;
      count++;
      sum += n;
      if (n < min) min = n;
      if (n > max) max = n;
    }
    if (count) result.number = { count, sum, avg: sum / count, min, max };
  }
  const byCurrency = money && moneyAggregates(money, order, from, to);
  if (byCurrency && Object.keys(byCurrency).length) result.money = byCurrency;
  return result;
}

function moneyAggregates(money: NonNullable<Profile['money']>, order: Uint32Array, from: number, to: number): Record<string, MoneyAggregate> {
  const totals = new Map<string, { count: number; sum: bigint; min: bigint; max: bigint }>();
  for (let i = from; i < to; i++) {
    const [m, c] = [money.minor[order[i]], money.currency[order[i]]];
    if (m === null || c === null) continue;
    const total = totals.get(c);
    if (!total) totals.set(c, { count: 1, sum: m, min: m, max: m });
    else {
      total.count++;
      total.sum += m;
      if (m < total.min) total.min = m;
      if (m > total.max) total.max = m;
    }
  }
  const amount = (minor: bigint, currency: string) => fromMinor(minor, currency).amount;
  return Object.fromEntries(
    // By currency code, so that the order does not depend on which row came first.
    [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, t]) => [c, { count: t.count, sum: amount(t.sum, c), avg: amount(divideRounded(t.sum, BigInt(t.count)), c), min: amount(t.min, c), max: amount(t.max, c) }]),
  );
}

const isMoney = (value: unknown): value is { amount: string; currency: string } =>
  typeof value === 'object' && value !== null && typeof (value as { amount?: unknown }).amount === 'string' && typeof (value as { currency?: unknown }).currency === 'string';

function moneyOf(value: { amount: string; currency: string }): [bigint | null, string | null] {
  try {
    return [toMinor(value), value.currency];
  } catch {
    // Not a valid amount or currency (the server never sends one): not counted.
    return [null, null];
  }
}
