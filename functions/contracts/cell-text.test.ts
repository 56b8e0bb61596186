/** A file's cells read as their fields take them: phones by a country, web addresses as domains, numbers by a locale; refusals in plain words. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CompanyFields } from './company.ts';
import { ContactFields } from './contact.ts';
import { DealFields } from './deal.ts';
import { LeadFields } from './lead.ts';
import { NOT_A_PERCENT } from './percent.ts';
import { plainIssue } from './plain-words.ts';
import { readCell } from './cell-text.ts';
import { readDecimal } from './locale-numbers.ts';

const { phones, domain, size } = CompanyFields.shape;
const en = { locale: 'en' };

describe('readCell', () => {
  it('reads national phone numbers in the import’s country, and international ones anywhere', () => {
    // A list's parts come out as their schema stores them (E.164); a field of one phone gets the international text, which its schema reads.
    // The extension is kept (issue 12: it was dropped).
    expect(readCell(CompanyFields.shape.phones, '(415) 555-0134 x12', { country: 'US', locale: 'en-US' })).toEqual({ value: ['+14155550134 ext. 12'], problems: [] });
    expect(readCell(LeadFields.shape.phone, '(415) 555-0134 x12', { country: 'US', locale: 'en-US' })).toEqual({ value: '+1 415 555 0134 ext. 12' });
    expect(readCell(phones, '(415) 555-0134', { country: 'US', locale: 'en-US' })).toEqual({ value: ['+14155550134'], problems: [] });
    expect(readCell(phones, '030 1234567', { country: 'DE', locale: 'de-DE' })).toEqual({ value: ['+49301234567'], problems: [] });
    expect(readCell(phones, '01 23 45 67 89', { country: 'FR', locale: 'fr-FR' })).toEqual({ value: ['+33123456789'], problems: [] });
    // 00 is the international prefix in most of the world, also where it is not (US: 011).
    expect(readCell(phones, '0044 20 7946 0958', { country: 'US', locale: 'en-US' })).toEqual({ value: ['+442079460958'], problems: [] });
    expect(readCell(phones, '+44 20 7946 0958; 030 1234567', { country: 'DE', locale: 'de' })).toEqual({ value: ['+442079460958', '+49301234567'], problems: [] });
    // One part that is no number is named; the others are kept.
    expect(readCell(phones, '030 1234567; 12', { country: 'DE', locale: 'de' })).toEqual({ value: ['+49301234567'], problems: ['"12" is not a phone number in Germany (numbers without a country code are read as DE)'] });
    expect(readCell(phones, '(415) 555-0134', en)).toEqual({ value: [], problems: ['"(415) 555-0134" has no country code: write it like +49 30 1234567, or choose the country of numbers without one for the import'] });
  });

  it('reads a web address or an e-mail address as its domain', () => {
    for (const cell of ['https://www.acme.com/about', 'http://acme.com:8080/x?y#z', 'www.acme.com', 'WWW.ACME.COM/', 'acme.com.', 'info@acme.com', 'acme.com']) expect(readCell(domain, cell, en), cell).toEqual({ value: 'acme.com' });
    expect(readCell(domain, 'https://shop.acme.co.uk/en/', en)).toEqual({ value: 'shop.acme.co.uk' });
  });

  it('reads numbers as the file’s locale writes them, and no words', () => {
    expect(readCell(size, '1,200', en)).toEqual({ value: 1200 });
    expect(readCell(size, '1.200', { locale: 'de-DE' })).toEqual({ value: 1200 });
    expect(readCell(size, '1 200', { locale: 'fr-FR' })).toEqual({ value: 1200 });
    // What the locale does not write, the plain form an export writes reads still.
    expect(readCell(size, '1200', { locale: 'de-DE' })).toEqual({ value: 1200 });
    expect(readCell(size, 'approx 40', en)).toEqual({ refused: 'is not a number as this file writes them (like 1,234.5)' });
    expect(readCell(size, '40+', { locale: 'de-DE' })).toEqual({ refused: 'is not a number as this file writes them (like 1.234,5)' });
    expect(readDecimal('1,200', 'de-DE')).toBe('1.200');
    expect(readDecimal('1.200', 'en')).toBe('1.200');
    expect(readDecimal('-1,234,567.25', 'en')).toBe('-1234567.25');
    expect(readDecimal("1'234.5", 'de-CH')).toBe('1234.5');
    expect(readDecimal('1,20', 'en')).toBeUndefined();
  });

  it('reads a percent as the grid does, whatever the locale: with or without its sign, a decimal comma before one or two digits', () => {
    const { probability } = DealFields.shape;
    for (const [cell, value] of [['25%', 25], ['25 %', 25], ['25', 25], ['12,5 %', 12.5], ['12.5%', 12.5], ['0.1', 0.1], ['100%', 100]] as const) {
      expect(readCell(probability, cell, en), cell).toEqual({ value });
      expect(readCell(probability, cell, { locale: 'de-DE' }), cell).toEqual({ value });
    }
    for (const cell of ['101%', '-5%', 'approx 40%', '1,000']) expect(readCell(probability, cell, en), cell).toEqual({ refused: NOT_A_PERCENT });
  });

  it('reads amounts with their currency, in the locale', () => {
    const revenue = z.object({ amount: z.string(), currency: z.string() }).nullable().optional();
    expect(readCell(revenue, '1.200,50 EUR', { locale: 'de-DE' })).toEqual({ value: { amount: '1200.50', currency: 'EUR' } });
    expect(readCell(revenue, '€ 1,200.5', en)).toEqual({ value: { amount: '1200.5', currency: 'EUR' } });
    expect(readCell(revenue, 'USD 12', en)).toEqual({ value: { amount: '12', currency: 'USD' } });
  });

  it('keeps the e-mails of a list that are addresses, naming the others', () => {
    expect(readCell(ContactFields.shape.emails, 'Ada@Example.com; not-an-email', en)).toEqual({ value: ['ada@example.com'], problems: ['"not-an-email" must be an e-mail address like name@example.com'] });
  });
});

describe('plainIssue', () => {
  const why = (schema: z.ZodType, value: unknown) => plainIssue(schema.safeParse(value).error!.issues[0]);
  it('says what zod says in a person’s words, and keeps our own', () => {
    expect(why(size, 'x')).toBe('is not a number');
    expect(why(size, 1.5)).toBe('is not a whole number');
    expect(why(size, 20_000_000)).toBe('is more than 10,000,000');
    expect(why(size, -1)).toBe('is less than 0');
    expect(why(z.string().max(5), 'abcdefg')).toBe('is longer than 5 characters');
    expect(why(z.strictObject({ name: z.string() }), {})).toBe('is required');
    expect(why(z.array(z.string()).max(1), ['a', 'b'])).toBe('has more than 1 values');
    expect(why(z.enum(['a', 'b']), 'c')).toBe('is not one of: a, b');
    expect(why(z.boolean(), 'x')).toBe('is not yes or no');
    expect(why(z.email(), 'x')).toBe('is not an e-mail address like name@example.com');
    expect(why(domain, 'not a domain')).toBe('must be a domain like example.com');
  });
});
