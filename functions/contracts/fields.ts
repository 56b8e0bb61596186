/**
 * Custom fields: definitions a tenant adds to a record type at run time. A record stores a
 * custom value under the field's `key` (`cf_...`), fixed when the field is created, so that a
 * rename (a new `label`) keeps every value where it is.
 */
import { z } from 'zod';
import { Currency } from './money.ts';
import { Name } from './text.ts';

export const FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'money',
  'percent',
  'date',
  'datetime',
  'checkbox',
  'single_select',
  'multi_select',
  'user',
  'relation',
  'email',
  'phone',
  'url',
] as const;
export const FieldType = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldType>;

export const FIELD_KEY = /^cf_[a-z0-9_]{1,60}$/;

const Options = z.array(Name(100)).min(1).max(500)
  .refine((options) => new Set(options).size === options.length, 'must not repeat an option');

/** What a user gives to add a field. The type cannot change later (values would stop fitting). */
export const CreateFieldBody = z
  .strictObject({
    label: Name(100),
    type: FieldType,
    required: z.boolean().optional(),
    /** single_select / multi_select: the allowed values. */
    options: Options.optional(),
    /** relation: the type (singular name, e.g. `company`) the field points at. */
    target: z.string().min(1).max(50).optional(),
    /** relation: many records rather than one. */
    multiple: z.boolean().optional(),
    /** money: the one currency values must be in (any, when absent). */
    currency: Currency.optional(),
  })
  .superRefine((body, ctx) => {
    const isSelect = body.type === 'single_select' || body.type === 'multi_select';
    if (isSelect && !body.options) ctx.addIssue({ code: 'custom', path: ['options'], message: `is required for a ${body.type} field` });
    if (!isSelect && body.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'is only for select fields' });
    if (body.type === 'relation' && !body.target) ctx.addIssue({ code: 'custom', path: ['target'], message: 'is required for a relation field' });
    if (body.type !== 'relation' && (body.target || body.multiple !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [body.target ? 'target' : 'multiple'], message: 'is only for relation fields' });
    }
    if (body.type !== 'money' && body.currency) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is only for money fields' });
  });
export type CreateFieldBody = z.infer<typeof CreateFieldBody>;

/** A rename, a new option list, or required on/off; conditional on the version the client saw. */
export const PatchFieldBody = z.strictObject({
  version: z.number().int().positive(),
  label: Name(100).optional(),
  required: z.boolean().optional(),
  options: Options.optional(),
});
export type PatchFieldBody = z.infer<typeof PatchFieldBody>;

export const FieldDefinition = z.object({
  key: z.string().regex(FIELD_KEY),
  /** The record type's key, e.g. `COMPANY`. */
  recordType: z.string(),
  label: z.string(),
  type: FieldType,
  required: z.boolean().optional(),
  options: z.array(z.string()).optional(),
  target: z.string().optional(),
  multiple: z.boolean().optional(),
  currency: z.string().optional(),
  version: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
  /** Set while deleted; the definition is restorable until `purgeAt`, its values stay on the records. */
  deletedAt: z.iso.datetime().optional(),
  purgeAt: z.iso.datetime().optional(),
});
export type FieldDefinition = z.infer<typeof FieldDefinition>;

export const FieldList = z.object({ items: z.array(FieldDefinition) });

export const FieldListQuery = z.strictObject({ deleted: z.enum(['true', 'false']).optional() });
