/**
 * A deal's product lines carry their amounts, and with lines the deal's amount is their sum:
 * computed here, in BigInt minor units, so that a total never drifts from its lines by a cent.
 */
import { exceedsAmountDigits, fromMinor, MAX_WHOLE_DIGITS, type Money } from '../contracts/money.ts';
import { lineMinor } from '../contracts/deal.ts';
import { FieldValidationError, type FieldIssue } from '../errors/field-validation-error.ts';

type Fields = Record<string, unknown>;

interface LineInput {
  quantity: number;
  unitPrice: Money;
  discount?: number;
  [field: string]: unknown;
}

/** The computed `lines` (with `amount`) and `amount` when the lines or the amount change; nothing otherwise. */
export function deriveDealAmounts(next: Fields, changed: Fields): Fields {
  if (!('lines' in changed) && !('amount' in changed)) return {};
  const lines = (next.lines ?? []) as LineInput[];
  if (lines.length === 0) return {};
  const issues: FieldIssue[] = [];
  if ('amount' in changed) issues.push({ path: 'amount', message: 'is the sum of the product lines; change the lines instead', value: changed.amount });
  const currency = lines[0].unitPrice.currency;
  lines.forEach((line, i) => {
    if (line.unitPrice.currency !== currency) {
      issues.push({ path: `lines.${i}.unitPrice.currency`, message: `must be ${currency}, the currency of the deal's first line`, value: line.unitPrice.currency });
    }
  });
  if (issues.length > 0) throw new FieldValidationError(issues);
  const minors = lines.map(lineMinor);
  const total = minors.reduce((sum, minor) => sum + minor, 0n);
  // Computed amounts are bound as typed ones are: 200 lines of 10^9 x 10^15 would reach 27 digits.
  minors.forEach((minor, i) => {
    if (exceedsAmountDigits(minor, currency)) issues.push({ path: `lines.${i}`, message: tooLarge('quantity x unit price comes to', minor, currency), value: lines[i] });
  });
  if (issues.length === 0 && exceedsAmountDigits(total, currency)) issues.push({ path: 'lines', message: tooLarge('the lines add up to', total, currency) });
  if (issues.length > 0) throw new FieldValidationError(issues);
  return { lines: lines.map((line, i) => ({ ...line, amount: fromMinor(minors[i], currency) })), amount: fromMinor(total, currency) };
}

const tooLarge = (what: string, minor: bigint, currency: string) =>
  `${what} ${fromMinor(minor, currency).amount} ${currency}, more than an amount may be (${MAX_WHOLE_DIGITS} digits before the decimal point)`;
