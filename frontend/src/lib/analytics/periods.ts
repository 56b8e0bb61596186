/**
 * The periods a report is read by, as the filter offers them: each a `from`/`to` pair of days
 * (both included) worked out from today. The URL keeps the days, not the name, so a shared link
 * shows the same months to whoever opens it later; the name shown is the one those days are.
 * A URL without days reads the report's default period as of the day it is opened: the last 12
 * months, and for the forecast (deals expected to close) the next 12. The API is always sent
 * the days.
 */
import type { AnalyticsReport } from '$contracts/analytics.ts';

export const PERIODS = [
  { key: 'last-12-months', label: 'Last 12 months' },
  { key: 'next-12-months', label: 'Next 12 months' },
  { key: 'this-month', label: 'This month' },
  { key: 'last-month', label: 'Last month' },
  { key: 'this-quarter', label: 'This quarter' },
  { key: 'last-quarter', label: 'Last quarter' },
  { key: 'this-year', label: 'This year' },
  { key: 'last-year', label: 'Last year' },
] as const;
export type PeriodKey = (typeof PERIODS)[number]['key'];

export interface Period {
  from?: string;
  to?: string;
}

/** `YYYY-MM-DD` of a UTC date. */
const day = (date: Date) => date.toISOString().slice(0, 10);
/** The first day of the month `months` after the one of `year`/`month` (0-based; may overflow either way). */
const firstOf = (year: number, month: number) => new Date(Date.UTC(year, month, 1));
/** The day before the first of that month: the last day of the month before it. */
const lastBefore = (year: number, month: number) => new Date(Date.UTC(year, month, 0));
/** `today` moved by whole years and days. */
const shifted = (today: string, years: number, days: number) => {
  const date = new Date(`${today}T00:00:00Z`);
  const month = date.getUTCMonth();
  date.setUTCFullYear(date.getUTCFullYear() + years);
  // 29 February in a year without one is the 28th, not 1 March.
  if (date.getUTCMonth() !== month) date.setUTCDate(0);
  date.setUTCDate(date.getUTCDate() + days);
  return day(date);
};

/** The days a period covers, seen on `today` (`YYYY-MM-DD`). */
export function periodRange(key: PeriodKey, today: string): Required<Period> {
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1];
  const quarter = month - (month % 3);
  switch (key) {
    case 'last-12-months':
      return { from: shifted(today, -1, 1), to: today };
    case 'next-12-months':
      return { from: today, to: shifted(today, 1, -1) };
    case 'this-month':
      return { from: day(firstOf(year, month)), to: day(lastBefore(year, month + 1)) };
    case 'last-month':
      return { from: day(firstOf(year, month - 1)), to: day(lastBefore(year, month)) };
    case 'this-quarter':
      return { from: day(firstOf(year, quarter)), to: day(lastBefore(year, quarter + 3)) };
    case 'last-quarter':
      return { from: day(firstOf(year, quarter - 3)), to: day(lastBefore(year, quarter)) };
    case 'this-year':
      return { from: `${year}-01-01`, to: `${year}-12-31` };
    case 'last-year':
      return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
  }
}

/** The name of the period `from`/`to` are on `today`, or `custom` for days no name gives. */
export function periodOf(period: Period, today: string): PeriodKey | 'custom' {
  const found = PERIODS.find(({ key }) => {
    const range = periodRange(key, today);
    return range.from === period.from && range.to === period.to;
  });
  return found?.key ?? 'custom';
}

/** The period a report reads when the URL names none. */
export const defaultPeriod = (report: AnalyticsReport): PeriodKey => (report === 'forecast' ? 'next-12-months' : 'last-12-months');

/**
 * The days a report covers: the URL's, else its default period's. A day named alone keeps the
 * default's other end, or itself where that end would come before it.
 */
export function periodShown(report: AnalyticsReport, period: Period, today: string): Required<Period> {
  const fallback = periodRange(defaultPeriod(report), today);
  const from = period.from ?? (period.to && period.to < fallback.from ? period.to : fallback.from);
  const to = period.to ?? (from > fallback.to ? from : fallback.to);
  return { from, to };
}
