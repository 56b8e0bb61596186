import { describe, expect, it } from 'vitest';
import { aggregate, movedProfile, profiled, type Profile } from './aggregates.ts';

const eur = (amount: string) => ({ amount, currency: 'EUR' });

function profileOf(values: unknown[]): Profile {
  const profile: Profile = { empty: new Uint8Array(values.length), numbers: null, money: null };
  values.forEach((value, row) => profiled(profile, row, value, values.length));
  return profile;
}

/** Totals over all rows, in their order. */
const totals = (profile: Profile) => aggregate(profile, Uint32Array.from(profile.empty, (_, row) => row), 0, profile.empty.length);

describe('aggregate', () => {
  it('counts filled cells, and totals numbers, leaving out what is no finite number', () => {
    expect(totals(profileOf([3, null, '', 'x', 1.5, [], ['a'], NaN, Infinity, -2]))).toEqual({
      filled: 7,
      number: { count: 3, sum: 2.5, avg: 2.5 / 3, min: -2, max: 3 },
    });
    expect(totals(profileOf(['a', null]))).toEqual({ filled: 1 });
  });

  it('totals money exactly per currency, in code order, the average rounded half away from zero; an unreadable amount is not counted', () => {
    const profile = profileOf([eur('0.10'), { amount: '5', currency: 'JPY' }, eur('0.20'), eur('-0.01'), { amount: 'lots', currency: 'EUR' }, eur('0.02')]);
    expect(totals(profile)).toEqual({
      filled: 6,
      money: {
        EUR: { count: 4, sum: '0.31', avg: '0.08', min: '-0.01', max: '0.20' },
        JPY: { count: 1, sum: '5', avg: '5', min: '5', max: '5' },
      },
    });
    expect(totals(profileOf([eur('-0.01'), eur('-0.02')])).money?.EUR.avg).toBe('-0.02');
  });

  it('totals a run of rows in the order given (a group)', () => {
    const profile = profileOf([1, 10, 100, 1000]);
    expect(aggregate(profile, Uint32Array.of(3, 0, 2, 1), 1, 3).number).toEqual({ count: 2, sum: 101, avg: 50.5, min: 1, max: 100 });
  });
});

describe('movedProfile', () => {
  it('keeps the rows that stayed, and profiles new ones, which may bring the column its first number or money', () => {
    const before = profileOf(['a', null]);
    // Row 1 went away, row 0 moved to 1; two new rows.
    const after = movedProfile(before, Int32Array.of(-1, 0, -1), (row) => [7, 'a', eur('1.00')][row]);
    expect(totals(after)).toEqual({ filled: 3, number: { count: 1, sum: 7, avg: 7, min: 7, max: 7 }, money: { EUR: { count: 1, sum: '1.00', avg: '1.00', min: '1.00', max: '1.00' } } });
    expect(totals(after)).toEqual(totals(profileOf([7, 'a', eur('1.00')])));
  });
});
