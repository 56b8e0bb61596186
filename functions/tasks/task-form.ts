/**
 * A completed form checked against the task's: only its fields, the required ones filled, each
 * value of its field's type, the whole within MAX_FORM_BYTES (its values ride in the execution's
 * state, at most 256 KiB). Every refused value is named (`form.<key>`).
 */
import { MAX_FORM_BYTES, MAX_FORM_TEXT, type FormValues, type TaskForm } from '../contracts/tasks.ts';
import { IsoDate } from '../contracts/values.ts';
import { FieldValidationError, type FieldIssue } from '../errors/field-validation-error.ts';

export function checkForm(form: TaskForm, values: FormValues): void {
  const issues: FieldIssue[] = [];
  const fields = new Map(form.fields.map((field) => [field.key, field]));
  const bytes = Buffer.byteLength(JSON.stringify(values));
  if (bytes > MAX_FORM_BYTES) issues.push({ path: 'form', message: `must be at most ${MAX_FORM_BYTES} bytes as JSON (is ${bytes})` });
  for (const key of Object.keys(values)) if (!fields.has(key)) issues.push({ path: `form.${key}`, message: 'is not a field of this form' });
  for (const field of form.fields) {
    const value = values[field.key];
    const path = `form.${field.key}`;
    if (value === undefined || value === null || value === '') {
      if (field.required) issues.push({ path, message: 'is required' });
      continue;
    }
    const wrong = (message: string) => issues.push({ path, message, value });
    if (field.type === 'text' && typeof value !== 'string') wrong('must be text');
    else if (field.type === 'text' && (value as string).length > MAX_FORM_TEXT) wrong(`must be at most ${MAX_FORM_TEXT} characters`);
    else if (field.type === 'number' && (typeof value !== 'number' || !Number.isFinite(value))) wrong('must be a number');
    else if (field.type === 'boolean' && typeof value !== 'boolean') wrong('must be true or false');
    else if (field.type === 'date' && !IsoDate.safeParse(value).success) wrong('must be a date like 2026-03-31');
  }
  if (issues.length) throw new FieldValidationError(issues);
}
