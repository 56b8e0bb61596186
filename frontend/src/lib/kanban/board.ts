/**
 * The kanban board as data: deals grouped into the pipeline's stage columns, each with its count,
 * the sum of its amounts and its weighted amount (amount x probability) per currency, and the
 * board's own sums: the open pipeline, won and lost. Money is summed in minor units, never as
 * floats, and never across currencies. Filters by owner and close date pick the deals first. Pure,
 * so moving a card or changing a filter is computing the board again from the deals as they are.
 */
import { divideRounded, fromMinor, toMinor, type Money } from '$contracts/money.ts';
import { dealProbability, pipelineNamed, stageNamed, type Pipeline } from '$contracts/deal-stages.ts';

export interface BoardDeal {
  id: string;
  version: number;
  name: string;
  /** As stored; undefined: the deal has no stage. */
  stage?: string;
  amount?: Money | null;
  companyId?: string | null;
  /** The deal's own probability (percent); none: its stage's. */
  probability?: number | null;
  /** Expected close date, YYYY-MM-DD. */
  expectedClose?: string | null;
  owner?: string;
  /** The pipeline's key as stored; undefined: the tenant's first. */
  pipeline?: string;
}

export interface BoardColumn {
  /** The stage's key; a stored value that names no stage; null for deals that have none. */
  stage: string | null;
  label: string;
  outcome?: 'won' | 'lost';
  deals: BoardDeal[];
  /** Per currency, in the order currencies first appear. */
  totals: Money[];
  /** Amount x probability, per currency. */
  weighted: Money[];
}

/** The column a deal is in: the stage its value names (any case), else the value itself, or null. */
export function columnOf(pipeline: Pipeline, deal: Pick<BoardDeal, 'stage'>): string | null {
  if (deal.stage === undefined || deal.stage === '') return null;
  return stageNamed(pipeline, deal.stage)?.key ?? deal.stage;
}

/** The percent a deal counts at in weighted sums: won 100, lost 0, its own, else its stage's. */
export const probabilityOf = (pipeline: Pipeline, deal: Pick<BoardDeal, 'stage' | 'probability'>): number | undefined =>
  dealProbability(stageNamed(pipeline, deal.stage), deal.probability);

/** amount x percent / 100, rounded half away from zero to the currency's minor unit. */
export function weightedAmount(amount: Money, percent: number): Money {
  return fromMinor(divideRounded(toMinor(amount) * BigInt(Math.round(percent * 100)), 10_000n), amount.currency);
}

export function buildBoard(deals: readonly BoardDeal[], pipeline: Pipeline): BoardColumn[] {
  const byStage = new Map<string | null, BoardDeal[]>();
  for (const deal of deals) {
    const stage = columnOf(pipeline, deal);
    byStage.set(stage, [...(byStage.get(stage) ?? []), deal]);
  }
  const known = new Set(pipeline.stages.map((s) => s.key));
  const unlisted = [...byStage.keys()].filter((s): s is string => s !== null && !known.has(s)).sort();
  const columns: Array<Pick<BoardColumn, 'stage' | 'label' | 'outcome'>> = [
    // Deals without a stage come first, and only when there are some.
    ...(byStage.has(null) ? [{ stage: null, label: 'No stage' }] : []),
    ...pipeline.stages.map((s) => ({ stage: s.key, label: s.label, outcome: s.outcome })),
    ...unlisted.map((stage) => ({ stage, label: stage })),
  ];
  return columns.map((column) => {
    const inColumn = byStage.get(column.stage) ?? [];
    return { ...column, deals: inColumn, totals: moneyTotals(inColumn, (deal) => deal.amount), weighted: weightedTotals(pipeline, inColumn) };
  });
}

export interface BoardSummary {
  /** Deals in no won or lost stage: what is still to be won. */
  open: { count: number; totals: Money[]; weighted: Money[] };
  won: { count: number; totals: Money[] };
  lost: { count: number; totals: Money[] };
}

/** The board's sums over its columns: the open pipeline (total and weighted), won, lost. */
export function summarise(columns: readonly BoardColumn[], pipeline: Pipeline): BoardSummary {
  const of = (outcome: BoardColumn['outcome']) => columns.filter((column) => column.outcome === outcome).flatMap((column) => column.deals);
  const [open, won, lost] = [of(undefined), of('won'), of('lost')];
  return {
    open: { count: open.length, totals: moneyTotals(open, (deal) => deal.amount), weighted: weightedTotals(pipeline, open) },
    won: { count: won.length, totals: moneyTotals(won, (deal) => deal.amount) },
    lost: { count: lost.length, totals: moneyTotals(lost, (deal) => deal.amount) },
  };
}

function weightedTotals(pipeline: Pipeline, deals: readonly BoardDeal[]): Money[] {
  return moneyTotals(deals, (deal) => {
    const percent = probabilityOf(pipeline, deal);
    return deal.amount && percent !== undefined ? weightedAmount(deal.amount, percent) : undefined;
  });
}

/** Sums per currency of what `pick` gives each deal, in the order currencies first appear. */
function moneyTotals(deals: readonly BoardDeal[], pick: (deal: BoardDeal) => Money | null | undefined): Money[] {
  const sums = new Map<string, bigint>();
  for (const deal of deals) {
    const money = pick(deal);
    if (money) sums.set(money.currency, (sums.get(money.currency) ?? 0n) + toMinor(money));
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

/** Close-date periods a manager reads the board by. */
export const CLOSE_PERIODS = [
  { value: 'any', label: 'Any close date' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'this-month', label: 'Closing this month' },
  { value: 'next-month', label: 'Closing next month' },
  { value: 'this-quarter', label: 'Closing this quarter' },
  { value: 'next-quarter', label: 'Closing next quarter' },
  { value: 'this-year', label: 'Closing this year' },
  { value: 'none', label: 'No close date' },
] as const;
export type ClosePeriod = (typeof CLOSE_PERIODS)[number]['value'];

export const isClosePeriod = (value: unknown): value is ClosePeriod => CLOSE_PERIODS.some((period) => period.value === value);

export interface BoardFilter {
  /** The pipeline shown (its key); undefined: the tenant's first. */
  pipeline?: string;
  /** Only this user's deals (their sub); undefined: everyone's. */
  owner?: string;
  close: ClosePeriod;
}

const day = (year: number, month: number, date: number) => {
  // Months past 12 roll into the next year (next quarter of Q4).
  const d = new Date(Date.UTC(year, month - 1, date));
  return d.toISOString().slice(0, 10);
};

/** The first and last day (YYYY-MM-DD) of a period around `today` (YYYY-MM-DD). */
export function closeWindow(period: Exclude<ClosePeriod, 'any' | 'overdue' | 'none'>, today: string): { from: string; to: string } {
  const [year, month] = today.split('-').map(Number);
  const quarter = Math.floor((month - 1) / 3) * 3 + 1;
  switch (period) {
    case 'this-month':
      return { from: day(year, month, 1), to: day(year, month + 1, 0) };
    case 'next-month':
      return { from: day(year, month + 1, 1), to: day(year, month + 2, 0) };
    case 'this-quarter':
      return { from: day(year, quarter, 1), to: day(year, quarter + 3, 0) };
    case 'next-quarter':
      return { from: day(year, quarter + 3, 1), to: day(year, quarter + 6, 0) };
    case 'this-year':
      return { from: day(year, 1, 1), to: day(year, 12, 31) };
  }
}

/** Whether a deal's close date has passed while it is still open (not won or lost). */
export function isOverdue(pipeline: Pipeline, deal: Pick<BoardDeal, 'stage' | 'expectedClose'>, today: string): boolean {
  return !!deal.expectedClose && deal.expectedClose < today && !stageNamed(pipeline, deal.stage)?.outcome;
}

/**
 * The deals the filter keeps: those of `pipeline` (a deal without one is in the tenant's first of
 * `pipelines`), then by owner and close date; `today` is the user's date, YYYY-MM-DD.
 */
export function filterDeals(deals: readonly BoardDeal[], filter: BoardFilter, pipeline: Pipeline, today: string, pipelines: readonly Pipeline[] = [pipeline]): BoardDeal[] {
  const { owner, close } = filter;
  const window = close === 'any' || close === 'overdue' || close === 'none' ? undefined : closeWindow(close, today);
  return deals.filter((deal) => {
    if (pipelineNamed(pipelines, deal.pipeline)?.key !== pipeline.key) return false;
    if (owner !== undefined && deal.owner !== owner) return false;
    if (close === 'none') return !deal.expectedClose;
    if (close === 'overdue') return isOverdue(pipeline, deal, today);
    return !window || (!!deal.expectedClose && deal.expectedClose >= window.from && deal.expectedClose <= window.to);
  });
}

/** Today where the user is, YYYY-MM-DD (close dates are days, not instants). */
export function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
