/**
 * A human task's form in the browser: what each field's input holds (text, a box ticked, options
 * picked) and the values sent on completion (`FormValues`), by the field's type. Nothing is
 * refused here: the server checks the form (functions/tasks/task-form.ts) and names each refused
 * field (`form.<key>`), which the form shows on the field; a text that is no number is sent as
 * the text, and refused there in the server's words.
 */
import type { FormField, FormValues, TaskForm } from '$contracts/forms.ts';
import type { ApiError } from '../api/api-client.ts';

/** What a field's input holds: text for most, a tick for a checkbox, the options picked of a multi-select. */
export type FormDraft = Record<string, string | boolean | string[]>;

export function emptyDraft(form: TaskForm): FormDraft {
  return Object.fromEntries(form.fields.map((field) => [field.key, field.type === 'checkbox' ? false : field.type === 'multi_select' ? [] : '']));
}

/** The value sent for one field's input; undefined leaves the field out (empty). */
export function valueOfInput(field: FormField, input: string | boolean | string[] | undefined): FormValues[string] | undefined {
  if (field.type === 'checkbox') return input === true;
  if (Array.isArray(input)) return input.length ? input : undefined;
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') return undefined;
  switch (field.type) {
    case 'number':
    case 'percent': {
      const number = Number(text.replace(/%$/, '').trim());
      return text !== '' && Number.isFinite(number) ? number : text;
    }
    case 'money': {
      // `12.50 EUR`, or the amount alone in the field's one currency.
      const match = /^(-?[\d.]+)\s*([A-Za-z]{3})?$/.exec(text.replace(/,/g, ''));
      const currency = match?.[2]?.toUpperCase() ?? field.currency;
      return match && currency ? { amount: match[1], currency } : text;
    }
    case 'datetime': {
      // A datetime-local input's text is the browser's local time.
      const at = new Date(text);
      return Number.isNaN(at.getTime()) ? text : at.toISOString();
    }
    default:
      return text;
  }
}

/** The values sent: each field's, the empty ones left out. */
export function formValuesOf(form: TaskForm, draft: FormDraft): FormValues {
  const values: FormValues = {};
  for (const field of form.fields) {
    const value = valueOfInput(field, draft[field.key]);
    if (value !== undefined) values[field.key] = value;
  }
  return values;
}

/** The server's refusal, by field (`form.<key>`), and what it said of the form as a whole. */
export function issuesOf(form: TaskForm, error: ApiError): { byField: Record<string, string>; other: string[] } {
  const keys = new Set(form.fields.map((field) => field.key));
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of error.issues) {
    const key = issue.path.startsWith('form.') ? issue.path.slice('form.'.length).split('.')[0] : undefined;
    if (key && keys.has(key)) byField[key] ??= issue.message;
    else other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  if (error.issues.length === 0) other.push(error.message);
  return { byField, other };
}

/** A completed form's value as text, for the record of what was done (the one the timeline shows too). */
export { formValueText as valueText } from '$contracts/forms.ts';
