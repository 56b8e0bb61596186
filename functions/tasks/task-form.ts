/**
 * A completed form checked against the task's: only its fields, the required ones filled, each
 * value as a custom field of its type takes it (fields/field-types.ts: a select's options, a money
 * field's currency) and within the form's own bounds (a number's min, max and wholeness; text up
 * to MAX_FORM_TEXT), the whole within MAX_FORM_BYTES (its values ride in the execution's state, at
 * most 256 KiB). Every refused value is named (`form.<key>`).
 */
import { z } from 'zod';
import { MAX_FORM_BYTES, MAX_FORM_TEXT, type FormField, type FormValues, type TaskForm } from '../contracts/forms.ts';
import { LongText } from '../contracts/text.ts';
import { FieldValidationError, type FieldIssue } from '../errors/field-validation-error.ts';
import { valueSchema } from '../fields/field-types.ts';

/** The schema of a filled-in value of the field. */
function schemaOf(field: FormField): z.ZodType {
  if (field.type === 'long_text') return LongText(MAX_FORM_TEXT);
  if (field.type !== 'number') return valueSchema({ ...field, required: true });
  let number = z.number('must be a number').finite();
  if (field.integer) number = number.int('must be a whole number');
  if (field.min !== undefined) number = number.min(field.min, `must be at least ${field.min}`);
  if (field.max !== undefined) number = number.max(field.max, `must be at most ${field.max}`);
  return number;
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

export function checkForm(form: TaskForm, values: FormValues): void {
  const issues: FieldIssue[] = [];
  const fields = new Map(form.fields.map((field) => [field.key, field]));
  const bytes = Buffer.byteLength(JSON.stringify(values));
  if (bytes > MAX_FORM_BYTES) issues.push({ path: 'form', message: `must be at most ${MAX_FORM_BYTES} bytes as JSON (is ${bytes})` });
  for (const key of Object.keys(values)) if (!fields.has(key)) issues.push({ path: `form.${key}`, message: 'is not a field of this form' });
  for (const field of form.fields) {
    const value = values[field.key];
    const path = `form.${field.key}`;
    if (isEmpty(value)) {
      if (field.required) issues.push({ path, message: 'is required' });
      continue;
    }
    const checked = schemaOf(field).safeParse(value);
    if (!checked.success) {
      for (const issue of checked.error.issues) issues.push({ path: [path, ...issue.path.map(String)].join('.'), message: issue.message, value });
    }
  }
  if (issues.length) throw new FieldValidationError(issues);
}
