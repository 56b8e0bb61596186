/**
 * Money is `{amount, currency}`: `amount` a decimal string ("1234.50"), `currency` an ISO 4217
 * code. A decimal string rather than a float so no cent is lost in JSON or arithmetic, and
 * rather than integer minor units so the value reads as written and the client needs no
 * per-currency exponent table to show it. It is normalised to the currency's minor digits
 * (EUR "12.5" -> "12.50", JPY "12" stays "12"); arithmetic is done in BigInt minor units.
 */
import { z } from 'zod';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const MINOR_DIGITS = new Map<string, number>();

/** The currency's number of minor digits (EUR 2, JPY 0, KWD 3), as the platform's ICU knows it. */
export function minorDigits(currency: string): number {
  // Remembered: a NumberFormat costs tens of µs, and a grid sums 100,000 amounts at a time.
  let digits = MINOR_DIGITS.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    MINOR_DIGITS.set(currency, digits);
  }
  return digits;
}

export const Currency = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => CURRENCIES.has(code), 'must be an ISO 4217 currency code like EUR');

/**
 * An amount has at most 15 digits before the decimal point, typed or computed (a deal's lines
 * and their total): 15 significant digits are what a spreadsheet (a double) holds exactly, so
 * an export never reads back changed.
 */
export const MAX_WHOLE_DIGITS = 15;
const DECIMAL = new RegExp(`^-?\\d{1,${MAX_WHOLE_DIGITS}}(\\.\\d+)?$`);

/** Whether an amount in minor units has more whole digits than an amount may (see MAX_WHOLE_DIGITS). */
export function exceedsAmountDigits(minor: bigint, currency: string): boolean {
  return (minor < 0n ? -minor : minor) >= 10n ** BigInt(MAX_WHOLE_DIGITS + minorDigits(currency));
}

export interface Money {
  amount: string;
  currency: string;
}

export const Money: z.ZodType<Money, unknown> = z
  .strictObject({
    amount: z.string().trim().regex(DECIMAL, 'must be a decimal number written as a string, like "1234.50"'),
    currency: Currency,
  })
  .superRefine((money, ctx) => {
    const digits = minorDigits(money.currency);
    const fraction = money.amount.split('.')[1] ?? '';
    if (fraction.replace(/0+$/, '').length > digits) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `${money.currency} has at most ${digits} decimal places` });
    }
  })
  .transform((money) => fromMinor(toMinor(money), money.currency));

/**
 * Money that cannot be below zero: a deal's value, a price. A discount is a percentage of a
 * line (0-100), so a line never goes negative either; a credit is not a negative price. Custom
 * money fields stay signed: a tenant's field may be a balance or an adjustment.
 */
export const NonNegativeMoney = Money.refine((money) => !money.amount.startsWith('-'), { path: ['amount'], message: 'must not be negative' });

/** The amount in the currency's minor units (cents). Assumes a valid Money. */
export function toMinor(money: Money): bigint {
  const digits = minorDigits(money.currency);
  // Fast path for an amount already written with the currency's digits (every stored one): a
  // grid totals 100,000 of them per keystroke.
  const dot = money.amount.indexOf('.');
  if (dot === -1 ? digits === 0 : money.amount.length - dot - 1 === digits && dot > 0) {
    return BigInt(dot === -1 ? money.amount : money.amount.slice(0, dot) + money.amount.slice(dot + 1));
  }
  const negative = money.amount.startsWith('-');
  const [whole, fraction = ''] = money.amount.replace('-', '').split('.');
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt((fraction + '0'.repeat(digits)).slice(0, digits) || '0');
  return negative ? -minor : minor;
}

export function fromMinor(minor: bigint, currency: string): Money {
  const digits = minorDigits(currency);
  const sign = minor < 0n ? '-' : '';
  const text = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  const amount = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return { amount: `${sign}${amount}`, currency };
}

/** a / b rounded half away from zero, as money is rounded on an invoice. */
export function divideRounded(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  const q = (x * 2n + y) / (y * 2n);
  return negative ? -q : q;
}
