import { describe, expect, it } from 'vitest';
import { QuickSaleStart } from '$contracts/quick-sale.ts';
import { emptyLine, lineAmount, lineInput, moneyText, numberOf, orderTotal, type LineDraft } from './order-lines.ts';

const line = (fields: Partial<LineDraft>): LineDraft => ({ ...emptyLine('EUR'), name: 'Widget', ...fields });

describe('an order\'s lines as typed', () => {
  it('reads numbers as people type them', () => {
    expect([numberOf('2'), numberOf(' 1,5 '), numberOf('10 %'), numberOf('0.125')]).toEqual([2, 1.5, 10, 0.125]);
    expect([numberOf(''), numberOf('two'), numberOf('-1')].every(Number.isNaN)).toBe(true);
  });

  it('computes a line\'s amount as the server does: quantity x price x (1 - discount), rounded once', () => {
    expect(lineAmount(line({ quantity: '3', unitPrice: '19.99', discount: '10' }))).toEqual({ amount: '53.97', currency: 'EUR' });
    expect(lineAmount(line({ quantity: '0.333', unitPrice: '10' }))).toEqual({ amount: '3.33', currency: 'EUR' });
    expect(lineAmount(line({ quantity: '2', unitPrice: '1000', currency: 'jpy' }))).toEqual({ amount: '2000', currency: 'JPY' });
  });

  it('has no amount while a box does not read, and no total then, nor across currencies', () => {
    expect(lineAmount(line({ quantity: '', unitPrice: '5' }))).toBeUndefined();
    expect(lineAmount(line({ quantity: '1', unitPrice: '5.555' }))).toBeUndefined();
    expect(lineAmount(line({ quantity: '1', unitPrice: '5', discount: '120' }))).toBeUndefined();
    const two = [line({ quantity: '2', unitPrice: '12.50' }), line({ quantity: '1', unitPrice: '99.99', discount: '50' })];
    expect(orderTotal(two)).toEqual({ amount: '75.00', currency: 'EUR' });
    expect(orderTotal([...two, line({ quantity: '1', unitPrice: '1', currency: 'USD' })])).toBeUndefined();
    expect(moneyText({ amount: '1234.5', currency: 'EUR' })).toBe('1,234.50 EUR');
  });

  it('sends what the start\'s contract takes, and what it cannot read as typed (refused by field)', () => {
    const input = { lines: [lineInput(line({ productId: '01JAAAAAAAAAAAAAAAAAAAAAAA', quantity: '2', unitPrice: '12,50', discount: '5' }))], delivery: { address: 'Dock 4', date: '2026-12-10' } };
    expect(QuickSaleStart.safeParse(input).success).toBe(true);
    expect(input.lines[0]).toEqual({ productId: '01JAAAAAAAAAAAAAAAAAAAAAAA', name: 'Widget', quantity: 2, unitPrice: { amount: '12.50', currency: 'EUR' }, discount: 5 });
    const refused = QuickSaleStart.safeParse({ ...input, lines: [lineInput(line({ quantity: 'lots', unitPrice: '3' }))] });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['lines.0.quantity']);
  });
});
