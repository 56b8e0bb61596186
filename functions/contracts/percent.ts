/**
 * A percent as people type and read it. The number written is the percent, with or without its
 * sign: `25`, `25%`, `25 %` and `25,5 %` are 25 and 25.5 (a comma before one or two digits is a
 * decimal one: a percent is at most 100), and `0.1` is 0.1 %, not 10 %: a cell never guesses that a number was
 * meant as a fraction. Shown as `25%`. Stored as the number (contracts/values.ts `Percent`).
 */

/** What a refused percent is told, after the field's name. */
export const NOT_A_PERCENT = 'must be a percent from 0 to 100, like 25%';

// A comma is a decimal one only before one or two digits: `1,000` is a thousand, never 1.
const PERCENT = /^([+-]?)(\d{1,3}(?:\.\d+|,\d{1,2})?|\.\d+|,\d{1,2})\s*%?$/;

/** The percent a text stands for; undefined when it is none, or outside 0-100. */
export function percentFromText(text: string): number | undefined {
  const match = PERCENT.exec(text.trim());
  if (!match) return undefined;
  const value = Number(`${match[1]}${match[2].replace(',', '.')}`);
  return value >= 0 && value <= 100 ? value : undefined;
}

/** A stored percent as it reads: `25%`, `12.5%`; '' for none. */
export function percentText(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value === null || value === undefined ? '' : String(value);
  return `${Number(value.toFixed(4))}%`;
}
