/**
 * A report's number as people read it, by its unit (`$contracts/analytics.ts` Unit): counts as
 * whole numbers, money in the report's currency, ratios as percents, days with one decimal.
 * The browser's locale formats them; tables, tooltips and chart labels all say it the same way.
 */
import type { Unit } from '$contracts/analytics.ts';

const counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percents = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const days = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const plain = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(currency: string): Intl.NumberFormat {
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 });
    } catch {
      format = plain;
    }
    moneyFormats.set(currency, format);
  }
  return format;
}

const months = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A row's or a mark's name: a month (`2026-03`, how reports key them) as people say it, `Mar 2026`; any other text as it is. */
export function categoryText(text: string): string {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text) ? months.format(new Date(`${text}-01T00:00:00Z`)) : text;
}

/** The text of a value of `unit`; an empty value is a dash. Money without a currency is a plain number. */
export function figureText(value: number | string | null | undefined, unit: Unit, currency: string | null = null): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'string') return categoryText(value);
  switch (unit) {
    case 'count':
      return counts.format(value);
    case 'money':
      return currency ? moneyFormat(currency).format(value) : plain.format(value);
    case 'ratio':
      return percents.format(value);
    case 'days':
      return `${days.format(value)} d`;
    case 'text':
      return String(value);
  }
}

/** The axis's short text of a value of `unit` (money without its decimals, days as a number). */
export function axisText(value: number, unit: Unit, currency: string | null): string {
  if (unit === 'days') return days.format(value);
  return figureText(value, unit, currency);
}
