import { describe, expect, it } from 'vitest';
import type { TaskForm } from '$contracts/forms.ts';
import { ApiError } from '../api/api-client.ts';
import { emptyDraft, formValuesOf, issuesOf, valueText } from './task-form-values.ts';

const FORM: TaskForm = {
  fields: [
    { key: 'shippedOn', label: 'Shipped on', type: 'date', required: true },
    { key: 'parcels', label: 'Parcels', type: 'number', integer: true },
    { key: 'insured', label: 'Insured', type: 'checkbox' },
    { key: 'carrier', label: 'Carrier', type: 'single_select', options: ['DHL', 'UPS'] },
    { key: 'extras', label: 'Extras', type: 'multi_select', options: ['Gift wrap', 'Signature'] },
    { key: 'fee', label: 'Fee', type: 'money', currency: 'EUR' },
    { key: 'note', label: 'Note', type: 'long_text' },
  ],
};

describe('a task\'s form', () => {
  it('starts empty: text boxes blank, boxes unticked, no options picked', () => {
    expect(emptyDraft(FORM)).toEqual({ shippedOn: '', parcels: '', insured: false, carrier: '', extras: [], fee: '', note: '' });
  });

  it('sends each field\'s value by its type, the empty ones left out', () => {
    const draft = { ...emptyDraft(FORM), shippedOn: '2026-12-07', parcels: ' 3 ', insured: true, carrier: 'UPS', extras: ['Signature'], fee: '4.90', note: '  ' };
    expect(formValuesOf(FORM, draft)).toEqual({ shippedOn: '2026-12-07', parcels: 3, insured: true, carrier: 'UPS', extras: ['Signature'], fee: { amount: '4.90', currency: 'EUR' } });
  });

  it('sends a text that is no number as typed: the server refuses it, naming the field', () => {
    expect(formValuesOf(FORM, { ...emptyDraft(FORM), parcels: 'three' })).toMatchObject({ parcels: 'three' });
    expect(formValuesOf(FORM, { ...emptyDraft(FORM), fee: '12.50 usd' })).toMatchObject({ fee: { amount: '12.50', currency: 'USD' } });
  });

  it('puts the server\'s refusals on their fields, and the rest under the form', () => {
    const refused = new ApiError(400, 'ValidationFailed', 'bad', [
      { path: 'form.shippedOn', message: 'is required' },
      { path: 'form.parcels', message: 'must be a whole number' },
      { path: 'form', message: 'must be at most 32768 bytes as JSON' },
    ]);
    expect(issuesOf(FORM, refused)).toEqual({ byField: { shippedOn: 'is required', parcels: 'must be a whole number' }, other: ['form: must be at most 32768 bytes as JSON'] });
    expect(issuesOf(FORM, new ApiError(409, 'TaskNotOpen', 'task is done'))).toEqual({ byField: {}, other: ['task is done'] });
  });

  it('shows a completed form\'s values as text', () => {
    const [shipped, , insured, , extras, fee] = FORM.fields;
    expect([valueText(shipped, '2026-12-07'), valueText(insured, false), valueText(extras, ['Gift wrap', 'Signature']), valueText(fee, { amount: '4.90', currency: 'EUR' }), valueText(shipped, undefined)]).toEqual([
      '2026-12-07',
      'No',
      'Gift wrap, Signature',
      '4.90 EUR',
      '—',
    ]);
  });
});
