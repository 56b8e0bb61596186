/**
 * The product lines of an order as typed in the quick sale's form: text in each box, read into a
 * deal's line (`DealLineInput`, the start's contract) with its amount as the server computes it
 * (`lineMinor`, `$contracts/deal.ts`), and the order's total. A line whose boxes do not read yet
 * has no amount (the total says so); it is sent as typed and the server names what is wrong.
 */
import { lineMinor } from '$contracts/deal.ts';
import { fromMinor, minorDigits, type Money } from '$contracts/money.ts';

export interface LineDraft {
  productId: string | null;
  name: string;
  quantity: string;
  /** The unit price's amount, in `currency`. */
  unitPrice: string;
  currency: string;
  /** Percent off, `''` for none. */
  discount: string;
}

export const emptyLine = (currency: string): LineDraft => ({ productId: null, name: '', quantity: '1', unitPrice: '', currency, discount: '' });

const DECIMAL = /^\d+(\.\d+)?$/;

/** A typed number (`1,5` or `1.5`, spaces and a trailing % aside); NaN when it is none. */
export function numberOf(text: string): number {
  const cleaned = text.trim().replace(/%$/, '').trim().replace(',', '.');
  return cleaned !== '' && DECIMAL.test(cleaned) ? Number(cleaned) : Number.NaN;
}

/** The line as the start sends it: numbers where the text reads as one, the text otherwise (refused by the server, by field). */
export function lineInput(line: LineDraft) {
  const quantity = numberOf(line.quantity);
  const discount = line.discount.trim() === '' ? undefined : numberOf(line.discount);
  return {
    ...(line.productId ? { productId: line.productId } : {}),
    name: line.name.trim(),
    quantity: Number.isNaN(quantity) ? (line.quantity as unknown as number) : quantity,
    unitPrice: { amount: line.unitPrice.trim().replace(',', '.'), currency: line.currency.trim().toUpperCase() },
    ...(discount === undefined ? {} : { discount: Number.isNaN(discount) ? (line.discount as unknown as number) : discount }),
  };
}

/** The line's amount as the server will compute it; undefined while a box does not read. */
export function lineAmount(line: LineDraft): Money | undefined {
  const quantity = numberOf(line.quantity);
  const discount = line.discount.trim() === '' ? 0 : numberOf(line.discount);
  const price = line.unitPrice.trim().replace(',', '.');
  const currency = line.currency.trim().toUpperCase();
  if (!(quantity > 0) || Number.isNaN(discount) || discount > 100 || !DECIMAL.test(price) || !/^[A-Z]{3}$/.test(currency)) return undefined;
  const fraction = price.split('.')[1] ?? '';
  if (fraction.replace(/0+$/, '').length > minorDigits(currency)) return undefined;
  return fromMinor(lineMinor({ quantity, unitPrice: { amount: price, currency }, discount }), currency);
}

/** The order's total: the lines' sum, when every line reads and all are in one currency. */
export function orderTotal(lines: readonly LineDraft[]): Money | undefined {
  const amounts = lines.map(lineAmount);
  if (amounts.length === 0 || amounts.some((amount) => amount === undefined)) return undefined;
  const currency = amounts[0]!.currency;
  if (amounts.some((amount) => amount!.currency !== currency)) return undefined;
  const minor = amounts.reduce((sum, amount) => sum + BigInt(amount!.amount.replace('.', '')), 0n);
  return fromMinor(minor, currency);
}

/** Money as the form shows it: `1,234.50 EUR`. */
export const moneyText = (money: Money | undefined) =>
  money ? `${Number(money.amount).toLocaleString('en', { minimumFractionDigits: minorDigits(money.currency), maximumFractionDigits: minorDigits(money.currency) })} ${money.currency}` : '—';
