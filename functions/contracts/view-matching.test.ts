import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareValues, matchesFilter, naturalKey } from './view-matching.ts';

describe('view order', () => {
  it('is natural, case- and accent-insensitive, numbers before text, empty values last', () => {
    const values = ['item 10', 'Item 9', null, 'émile', 'Emile', 'item 9a', '', 'zed', 3, 'a 100000000000', 'a 99999999999', { amount: '2.50', currency: 'EUR' }, [], ['b', 'z']];
    const sorted = [...values].sort((a, b) => compareValues(a, b));
    expect(sorted).toEqual([{ amount: '2.50', currency: 'EUR' }, 3, 'a 99999999999', 'a 100000000000', ['b', 'z'], 'émile', 'Emile', 'Item 9', 'item 9a', 'item 10', 'zed', null, '', []]);
    expect(compareValues(null, 'a', -1)).toBe(1);
  });

  it('orders runs of digits by their number, however long', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.bigInt({ min: 0n, max: 10n ** 40n }), (a, b) => {
        const [x, y] = [naturalKey(`n${a}x`), naturalKey(`n${b}x`)];
        expect(Math.sign(x < y ? -1 : x > y ? 1 : 0)).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});

describe('view filters', () => {
  it('match text ignoring case and accents, numbers written as text as numbers, lists by any value', () => {
    expect(matchesFilter('Émile Zola', { field: 'f', op: 'contains', value: 'EMILE' })).toBe(true);
    expect(matchesFilter('Émile Zola', { field: 'f', op: 'startsWith', value: 'zola' })).toBe(false);
    expect(matchesFilter(50, { field: 'f', op: 'gt', value: '9' })).toBe(true);
    expect(matchesFilter({ amount: '10.00', currency: 'EUR' }, { field: 'f', op: 'lte', value: 10 })).toBe(true);
    expect(matchesFilter(['a', 'vip'], { field: 'f', op: 'in', value: ['VIP'] })).toBe(true);
    expect(matchesFilter(['a', 'vip'], { field: 'f', op: 'neq', value: 'vip' })).toBe(false);
    expect(matchesFilter(null, { field: 'f', op: 'neq', value: 'vip' })).toBe(true);
    expect(matchesFilter([], { field: 'f', op: 'empty' })).toBe(true);
    expect(matchesFilter('2024-03-01', { field: 'f', op: 'gte', value: '2024-02-15' })).toBe(true);
  });
});

describe('an in filter', () => {
  it('matches a value exactly when one of its values would as eq', () => {
    const scalar = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constantFrom('7', ' 7', '07', 'a', 'A', 'é', 'e', '1.5', 'x 9'), fc.double({ min: -3, max: 3, noNaN: true }));
    const value = fc.oneof(scalar, fc.constantFrom(null, '', true, false), fc.array(scalar, { maxLength: 3 }), fc.constant({ amount: '7.00', currency: 'EUR' }));
    fc.assert(
      fc.property(value, fc.array(scalar, { minLength: 1, maxLength: 5 }), (tested, wanted) => {
        const asEq = wanted.some((one) => matchesFilter(tested, { field: 'f', op: 'eq', value: one }));
        expect(matchesFilter(tested, { field: 'f', op: 'in', value: wanted })).toBe(asEq);
      }),
      { numRuns: 2000 },
    );
  });
});
