/**
 * What the reports are made of: the period, the deals behind each number (`Drills`), sums of
 * money in the report's currency, the deals closed in the period, and tables and charts.
 */
import type { AnalyticsQuery, Cell, Chart, Column, Series, Table, Unit } from '../contracts/analytics.ts';
import type { Pipeline } from '../contracts/deal-stages.ts';
import { minorDigits } from '../contracts/money.ts';
import type { Amount, DealHistory, Step } from './deal-histories.ts';

export const DAY_MS = 86_400_000;

/** The report's days, `from` and `to` both included: `start` <= at < `end`. */
export interface Period {
  from: string;
  to: string;
  start: number;
  end: number;
}

export function periodOf(from: string, to: string): Period {
  return { from, to, start: Date.parse(`${from}T00:00:00Z`), end: Date.parse(`${to}T00:00:00Z`) + DAY_MS };
}

export const within = (period: Period, at: number) => at >= period.start && at < period.end;

/** `2026-03` of a time. */
export const monthOf = (at: number) => new Date(at).toISOString().slice(0, 7);

/** Every month the period touches, oldest first. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  const date = new Date(`${period.from.slice(0, 7)}-01T00:00:00Z`);
  for (const last = period.to.slice(0, 7); ; date.setUTCMonth(date.getUTCMonth() + 1)) {
    const month = date.toISOString().slice(0, 7);
    months.push(month);
    if (month >= last) return months;
  }
}

/** Everything a report computes from. */
export interface ReportInput {
  pipeline: Pipeline;
  histories: DealHistory[];
  period: Period;
  now: number;
  /** The currency amounts are summed in; null when no deal has an amount. */
  currency: string | null;
  conversion: NonNullable<AnalyticsQuery['conversion']>;
  by: NonNullable<AnalyticsQuery['by']>;
  /** How a user is shown (their name, else e-mail). */
  userLabel: (sub: string) => string;
}

/** What a report answers, and the deals behind each `drill` it names. */
export interface ReportResult {
  note?: string;
  figures: Record<string, Cell>;
  charts: Chart[];
  tables: Table[];
  drills: ReadonlyMap<string, readonly string[]>;
}

/** The deals behind each number, by the name its cells carry as `drill`. */
export class Drills {
  readonly sets = new Map<string, readonly string[]>();

  /** A number and the deals it counts, as a cell; a number of no deals drills nowhere. */
  cell(value: number | null, drill: string, deals: Iterable<string>): Cell {
    const ids = [...new Set(deals)];
    if (ids.length === 0) return { value };
    this.sets.set(drill, ids);
    return { value, drill };
  }
}

/** Money summed in minor units of one currency; amounts in another are left out. */
export class MoneySum {
  minor = 0;
  /** How many amounts were added. */
  count = 0;

  constructor(private readonly currency: string | null) {}

  add(amount: Amount | null, share = 1): void {
    if (!amount || amount.currency !== this.currency) return;
    this.minor += amount.minor * share;
    this.count++;
  }

  /** In major units, rounded to the currency's minor unit. */
  get major(): number {
    return majorOf(this.minor, this.currency);
  }
}

export function majorOf(minor: number, currency: string | null): number {
  const scale = 10 ** (currency ? minorDigits(currency) : 2);
  return Math.round(minor) / scale;
}

/** part / whole, or null when the whole is nothing. */
export const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export const mean = (values: readonly number[]) => (values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length);

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Days, to the minute's precision (0.001 day is 86 s). */
export const daysOf = (ms: number) => Math.round((ms / DAY_MS) * 1000) / 1000;

/** How a deal ended in the period: its last move into a won or lost stage within it. */
export interface Closing {
  history: DealHistory;
  step: Step;
  won: boolean;
}

/**
 * The deals closed in the period: each by its last move into a won or lost stage in it. A deal
 * lost, reopened and won in the period is won (once); one lost twice is lost once, from where it
 * was lost the last time.
 */
export function closingsOf(input: Pick<ReportInput, 'pipeline' | 'histories' | 'period'>): Closing[] {
  const closings: Closing[] = [];
  for (const history of input.histories) {
    for (let i = history.steps.length - 1; i >= 0; i--) {
      const step = history.steps[i];
      const outcome = input.pipeline.stages[step.stage]?.outcome;
      if (outcome && within(input.period, step.at)) {
        closings.push({ history, step, won: outcome === 'won' });
        break;
      }
    }
  }
  return closings;
}

export const column = (key: string, label: string, unit: Unit): Column => ({ key, label, unit });

/** A table's row: its category and cells. */
export interface Row {
  key: string;
  cells: Record<string, Cell>;
}

export const table = (key: string, title: string, columns: Column[], rows: Row[]): Table => ({ key, title, columns, rows });

/** A chart of some of a table's columns, a series per column, a point per row (labelled by `labelColumn`). */
export function chartOf(key: string, title: string, kind: Chart['kind'], source: Table, seriesColumns: string[], labelColumn: string): Chart {
  const series = seriesColumns.map((name): Series => {
    const col = source.columns.find((c) => c.key === name)!;
    return {
      key: col.key,
      label: col.label,
      unit: col.unit,
      points: source.rows.map((row) => {
        const cell = row.cells[name];
        return { x: row.key, label: String(row.cells[labelColumn].value), value: typeof cell.value === 'number' ? cell.value : null, ...(cell.drill ? { drill: cell.drill } : {}) };
      }),
    };
  });
  return { key, title, kind, series };
}

export const text = (value: string): Cell => ({ value });
