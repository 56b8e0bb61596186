/**
 * The form of a human task: fields of the custom-field types (contracts/fields.ts) a person fills
 * in, each maybe required, checked by the server when the task is completed
 * (functions/tasks/task-form.ts). A process's configuration holds the forms of its steps.
 */
import { z } from 'zod';
import { distinctBy } from './distinct.ts';
import { FIELD_TYPES } from './fields.ts';
import { Currency } from './money.ts';
import { Name } from './text.ts';

/** The custom-field types a form offers: all but those naming other things (a user, a record), which a form does not look up. */
export const FORM_FIELD_TYPES = FIELD_TYPES.filter((type) => type !== 'user' && type !== 'relation') as Exclude<(typeof FIELD_TYPES)[number], 'user' | 'relation'>[];
export const FormFieldType = z.enum(FORM_FIELD_TYPES as [FormFieldType, ...FormFieldType[]]);
export type FormFieldType = Exclude<(typeof FIELD_TYPES)[number], 'user' | 'relation'>;

/** At most this many fields a form. */
export const MAX_FORM_FIELDS = 50;
/** The most a completed form may hold, as JSON: its values ride in the execution's state (256 KiB). */
export const MAX_FORM_BYTES = 32 * 1024;
/** The most a text value (text or long text) of a form may hold. */
export const MAX_FORM_TEXT = 10_000;

const Options = z
  .array(Name(100))
  .min(1)
  .max(100)
  .refine((options) => new Set(options).size === options.length, 'must not repeat an option');

/** A field of a task's form: what the person fills in. */
export const FormField = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, 'must be a letter, then letters, digits or _ (at most 64)'),
    label: Name(200),
    type: FormFieldType,
    required: z.boolean().optional(),
    /** single_select / multi_select: the allowed values. */
    options: Options.optional(),
    /** money: the one currency a value must be in. */
    currency: Currency.optional(),
    /** number: its bounds, and whether it must be whole. */
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    integer: z.boolean().optional(),
  })
  .superRefine((field, ctx) => {
    const isSelect = field.type === 'single_select' || field.type === 'multi_select';
    if (isSelect && !field.options) ctx.addIssue({ code: 'custom', path: ['options'], message: `is required for a ${field.type} field` });
    if (!isSelect && field.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'is only for select fields' });
    if (field.type !== 'money' && field.currency) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is only for money fields' });
    for (const bound of ['min', 'max', 'integer'] as const) {
      if (field.type !== 'number' && field[bound] !== undefined) ctx.addIssue({ code: 'custom', path: [bound], message: 'is only for number fields' });
    }
    if (field.min !== undefined && field.max !== undefined && field.min > field.max) ctx.addIssue({ code: 'custom', path: ['max'], message: 'must not be less than min' });
  });
export type FormField = z.infer<typeof FormField>;

export const TaskForm = z.strictObject({
  fields: z
    .array(FormField)
    .max(MAX_FORM_FIELDS)
    .superRefine(distinctBy('key', "must differ from the other fields' keys")),
});
export type TaskForm = z.infer<typeof TaskForm>;

/** A value as sent: text, a number, yes/no, a money amount, the options of a multi-select; null or absent for none. */
export const FormValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.string()).max(100),
  z.strictObject({ amount: z.string(), currency: z.string() }),
]);
/** Values of a form as sent: checked against the task's form (functions/tasks/task-form.ts). */
export const FormValues = z.record(z.string().max(64), FormValue);
export type FormValues = z.infer<typeof FormValues>;

/** A completed form's value as text, as people read it: yes/no, the options picked, an amount and its currency, a percent. */
export function formValueText(field: FormField, value: FormValues[string] | undefined): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return `${value.amount} ${value.currency}`;
  if (field.type === 'percent') return `${value}%`;
  return String(value);
}

/** A completed form as people read it: each field's label and its value's text, in the form's order (values of no field of the form last, by key). */
export const FormAnswerLine = z.object({ key: z.string(), label: z.string(), text: z.string() });
export type FormAnswerLine = z.infer<typeof FormAnswerLine>;

export function formAnswerLines(form: TaskForm, values: FormValues): FormAnswerLine[] {
  const known = new Set(form.fields.map((field) => field.key));
  return [
    ...form.fields.filter((field) => values[field.key] !== undefined).map((field) => ({ key: field.key, label: field.label, text: formValueText(field, values[field.key]) })),
    ...Object.keys(values)
      .filter((key) => !known.has(key))
      .map((key) => ({ key, label: key, text: formValueText({ key, label: key, type: 'text' }, values[key]) })),
  ];
}
