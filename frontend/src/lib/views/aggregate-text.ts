/**
 * How totals and sums read, in the grid's group rows and in the totals under it alike: numbers
 * with thousands separators, money as `EUR 1,200.50` (one sum per currency, never one across).
 */
import type { Group } from './apply-view.ts';

export const numberText = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 2 });

export const moneyText = (amount: string, currency: string) => `${currency} ${Number(amount).toLocaleString('en', { minimumFractionDigits: amount.split('.')[1]?.length ?? 0 })}`;

/** A group's sum of one column: `Σ 17`, `Σ EUR 1,500.51 · Σ USD 99.99`; '' when it has none. */
export function groupSumText(sum: Group['sums'][string] | undefined): string {
  if (!sum) return '';
  return [...(sum.number === undefined ? [] : [`Σ ${numberText(sum.number)}`]), ...Object.entries(sum.money ?? {}).map(([currency, amount]) => `Σ ${moneyText(amount, currency)}`)].join(' · ');
}
