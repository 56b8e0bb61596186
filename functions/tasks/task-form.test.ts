/**
 * A completed form against its task's form: each value as a custom field of its type takes it,
 * within the form's own bounds, every refusal named by its field.
 */
import { describe, expect, it } from 'vitest';
import type { FormValues, TaskForm } from '../contracts/forms.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { checkForm } from './task-form.ts';

const FORM: TaskForm = {
  fields: [
    { key: 'rating', label: 'Rating', type: 'number', required: true, min: 1, max: 5, integer: true },
    { key: 'carrier', label: 'Carrier', type: 'single_select', options: ['DHL', 'UPS'] },
    { key: 'extras', label: 'Extras', type: 'multi_select', options: ['Gift wrap', 'Insurance'] },
    { key: 'charge', label: 'Charge', type: 'money', currency: 'EUR' },
    { key: 'done', label: 'Done', type: 'checkbox' },
    { key: 'on', label: 'On', type: 'date' },
    { key: 'contact', label: 'Contact', type: 'email' },
    { key: 'note', label: 'Note', type: 'long_text' },
  ],
};

/** The paths a form is refused for; none when it is taken. */
function refused(values: FormValues): string[] {
  try {
    checkForm(FORM, values);
    return [];
  } catch (err) {
    if (!(err instanceof FieldValidationError)) throw err;
    return err.issues.map((issue) => issue.path).sort();
  }
}

describe('checkForm', () => {
  it('takes values of each type, within their bounds and options', () => {
    expect(refused({ rating: 5, carrier: 'UPS', extras: ['Insurance'], charge: { amount: '12.50', currency: 'EUR' }, done: true, on: '2026-12-07', contact: 'ann@example.com', note: 'n'.repeat(10_000) })).toEqual([]);
    expect(refused({ rating: 1, carrier: null, extras: [] })).toEqual([]);
  });

  it('refuses a value out of its field\'s type, bounds or options, naming each', () => {
    expect(refused({ rating: 0 })).toEqual(['form.rating']);
    expect(refused({ rating: 6 })).toEqual(['form.rating']);
    expect(refused({ rating: 2.5 })).toEqual(['form.rating']);
    expect(refused({ rating: '4' })).toEqual(['form.rating']);
    expect(refused({ rating: 3, carrier: 'FedEx', extras: ['Gift wrap', 'Gift wrap'], done: 'yes', on: '2026-02-30', contact: 'nobody' })).toEqual(['form.carrier', 'form.contact', 'form.done', 'form.extras', 'form.on']);
    expect(refused({ rating: 3, charge: { amount: '12.50', currency: 'USD' } })).toEqual(['form.charge']);
    expect(refused({ rating: 3, note: 'n'.repeat(10_001) })).toEqual(['form.note']);
  });

  it('refuses a missing required value and a field the form does not have', () => {
    expect(refused({})).toEqual(['form.rating']);
    expect(refused({ rating: null, colour: 'red' })).toEqual(['form.colour', 'form.rating']);
  });
});
