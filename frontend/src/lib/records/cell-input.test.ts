import { describe, expect, it } from 'vitest';
import { CompanyFields } from '$contracts/company.ts';
import { fieldMessage, parseCellInput } from './cell-input.ts';

const { name, domain, industry } = CompanyFields.shape;

describe('parseCellInput (by the API contract)', () => {
  it('normalizes a value the way the API stores it', () => {
    expect(parseCellInput(domain, '  Example.COM ', 'Domain')).toEqual({ ok: true, value: 'example.com' });
    expect(parseCellInput(name, ' Acme ', 'Name')).toEqual({ ok: true, value: 'Acme' });
  });

  it('clears an optional field when the cell is emptied', () => {
    expect(parseCellInput(industry, '   ', 'Industry')).toEqual({ ok: true, value: null });
    expect(parseCellInput(domain, '', 'Domain')).toEqual({ ok: true, value: null });
  });

  it("refuses bad input with the contract's reason, phrased as a sentence", () => {
    expect(parseCellInput(name, '  ', 'Name')).toEqual({ ok: false, message: 'Name is required.' });
    expect(parseCellInput(domain, 'not a domain', 'Domain')).toEqual({
      ok: false,
      message: 'Domain must be a domain like example.com.',
    });
    const tooLong = parseCellInput(name, 'x'.repeat(201), 'Name');
    expect(tooLong.ok).toBe(false);
  });
});

describe('fieldMessage', () => {
  it('keeps a whole-sentence reason as it is', () => {
    expect(fieldMessage('Name', 'Too big: expected string to have <=200 characters')).toBe(
      'Too big: expected string to have <=200 characters',
    );
    expect(fieldMessage('Name', 'is required.')).toBe('Name is required.');
  });
});
