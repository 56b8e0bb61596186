/**
 * What each custom field type accepts. A definition becomes a zod schema for its values, so a
 * custom value is checked exactly as a built-in field is, and its error names the field, the
 * value and the reason in the same ApiErrorBody issues.
 */
import { z } from 'zod';
import type { FieldDefinition, FieldType } from '../contracts/fields.ts';
import { Money } from '../contracts/money.ts';
import { Email, IsoDate, IsoDateTime, Percent, Phone, RecordId, Url } from '../contracts/values.ts';
import { LongText, Text } from '../contracts/text.ts';

type Definition = Pick<FieldDefinition, 'type' | 'options' | 'multiple' | 'currency'>;

const VALUE_SCHEMAS: Record<FieldType, (definition: Definition) => z.ZodType> = {
  text: () => Text(1000),
  // Bounded by the item size check (400 KB per record), not here: one long text may use most of it.
  long_text: () => LongText(),
  number: () => z.number('must be a number').finite(),
  money: ({ currency }) =>
    currency ? Money.refine((money) => money.currency === currency, `must be in ${currency}`) : Money,
  percent: () => Percent,
  date: () => IsoDate,
  datetime: () => IsoDateTime,
  checkbox: () => z.boolean('must be true or false'),
  single_select: ({ options = [] }) => z.enum(options as [string, ...string[]], `must be one of: ${options.join(', ')}`),
  multi_select: ({ options = [] }) =>
    z
      .array(z.enum(options as [string, ...string[]], `must be one of: ${options.join(', ')}`))
      .refine((values) => new Set(values).size === values.length, 'must not repeat an option'),
  // A user's `sub`; that it names an active user of the tenant is checked on write (records/user-fields.ts).
  user: () => z.string().trim().min(1).max(128),
  relation: ({ multiple }) => (multiple ? z.array(RecordId).max(100) : RecordId),
  email: () => Email,
  phone: () => Phone,
  url: () => Url,
};

/** The schema of a value of the field; `null` (clearing it) is allowed unless the field is required. */
export function valueSchema(definition: Definition & { required?: boolean }): z.ZodType {
  const schema = VALUE_SCHEMAS[definition.type](definition);
  return definition.required ? schema : schema.nullable();
}
