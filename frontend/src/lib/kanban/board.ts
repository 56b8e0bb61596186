/**
 * The kanban board as data: deals grouped into stage columns, each with its count and the sum of
 * its amounts per currency (money is summed in minor units, never as floats). Pure, so moving a
 * card is computing the board again from the deals as they are.
 */
import { fromMinor, toMinor, type Money } from '$contracts/money.ts';
import type { DealStage } from './deal-stages.ts';

export interface BoardDeal {
  id: string;
  version: number;
  name: string;
  /** undefined: the deal has no stage yet. */
  stage?: string;
  amount?: Money | null;
  companyId?: string | null;
}

export interface BoardColumn {
  /** The stage's value; null for deals that have none. */
  stage: string | null;
  label: string;
  deals: BoardDeal[];
  /** Per currency, in the order currencies first appear. */
  totals: Money[];
}

export function buildBoard(deals: readonly BoardDeal[], stages: readonly DealStage[]): BoardColumn[] {
  const byStage = new Map<string | null, BoardDeal[]>();
  for (const deal of deals) {
    const stage = deal.stage ?? null;
    byStage.set(stage, [...(byStage.get(stage) ?? []), deal]);
  }
  const known = new Set(stages.map((s) => s.value));
  const unlisted = [...byStage.keys()].filter((s): s is string => s !== null && !known.has(s)).sort();
  const columns: Array<{ stage: string | null; label: string }> = [
    // Deals without a stage come first, and only when there are some.
    ...(byStage.has(null) ? [{ stage: null, label: 'No stage' }] : []),
    ...stages.map((s) => ({ stage: s.value, label: s.label })),
    ...unlisted.map((stage) => ({ stage, label: stage })),
  ];
  return columns.map(({ stage, label }) => {
    const inColumn = byStage.get(stage) ?? [];
    return { stage, label, deals: inColumn, totals: totalsOf(inColumn) };
  });
}

function totalsOf(deals: readonly BoardDeal[]): Money[] {
  const sums = new Map<string, bigint>();
  for (const { amount } of deals) {
    if (!amount) continue;
    sums.set(amount.currency, (sums.get(amount.currency) ?? 0n) + toMinor(amount));
  }
  return [...sums].map(([currency, minor]) => fromMinor(minor, currency));
}

/** The deals with one moved to `stage` (or given `changes`, e.g. a newer version). */
export const withDeal = (deals: readonly BoardDeal[], id: string, changes: Partial<BoardDeal>): BoardDeal[] =>
  deals.map((deal) => (deal.id === id ? { ...deal, ...changes } : deal));

/** Money as people read it: `€12,500.00`. */
export function moneyText(money: Money): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency }).format(Number(money.amount));
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}
