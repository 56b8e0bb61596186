/**
 * A record type's schema for one tenant: its built-in fields plus the custom fields the tenant
 * has defined, as one strict zod object. Built per request from definitions read then (no
 * cache to go stale): a field added a moment ago validates at once, a deleted one is refused.
 */
import { z } from 'zod';
import type { FieldDefinition } from '../contracts/fields.ts';
import type { RelationInfo } from '../contracts/record-type.ts';
import { patchBody } from '../contracts/record.ts';
import { valueSchema } from '../fields/field-types.ts';
import { fieldDefinitions } from '../fields/field-definitions.ts';
import type { Fields, RecordTypeSpec, WriteRules } from './record-types.ts';
import type { StoredRecord } from './errors.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import type { IndexedType } from './derived-items.ts';

export interface RecordSchema {
  type: RecordTypeSpec;
  /** The tenant's live custom fields of the type. */
  definitions: FieldDefinition[];
  /** Every field a user may set, built-in and custom. */
  fields: z.ZodObject;
  /** The body of a creation. */
  create: z.ZodType<Fields>;
  /** The body of a PATCH: `{version, fields}`. */
  patch: z.ZodType<{ version: number; fields: Fields }>;
  /** Built-in and custom fields that point at other records. */
  relations: RelationInfo[];
  /** Built-in and custom fields that name a user of the tenant (an activity's `assignee`, `user` fields). */
  users: string[];
  /** The type's rules of writing in this tenant (what they read, read once for the schema's request). */
  writeRules?: WriteRules;
}

export async function recordSchemaFor(tenant: string, type: RecordTypeSpec): Promise<RecordSchema> {
  return buildRecordSchema(type, await fieldDefinitions(tenant, type), tenant);
}

export function buildRecordSchema(type: RecordTypeSpec, definitions: FieldDefinition[], tenant?: string): RecordSchema {
  const custom = Object.fromEntries(
    definitions.map((definition) => [definition.key, definition.required ? valueSchema(definition) : valueSchema(definition).optional()]),
  );
  const fields = type.fields.extend(custom).strict();
  return {
    type,
    definitions,
    fields,
    create: fields as z.ZodType<Fields>,
    patch: patchBody(fields) as z.ZodType<{ version: number; fields: Fields }>,
    relations: [
      ...type.relations,
      ...definitions.filter((d) => d.type === 'relation' && d.target).map((d) => ({ path: d.key, target: d.target! })),
    ],
    users: [...(type.users ?? []), ...definitions.filter((d) => d.type === 'user').map((d) => d.key)],
    writeRules: tenant === undefined ? undefined : type.writeRules?.(tenant),
  };
}

/** What a write of a record of this schema derives its index items from (derived-items.ts): custom relation fields included. */
export const indexedType = (schema: RecordSchema): IndexedType => ({ key: schema.type.key, relations: schema.relations });

/**
 * The record as the client sees it: values of custom fields that are deleted (in the trash)
 * stay on the record, so that a restore brings them back, but are not shown.
 */
export function present(record: StoredRecord, schema: RecordSchema): StoredRecord {
  const live = new Set(schema.definitions.map((d) => d.key));
  return Object.fromEntries(Object.entries(record).filter(([field]) => !field.startsWith('cf_') || live.has(field))) as StoredRecord;
}

/**
 * Parses values the server itself composed (a lead's data becoming a company): a failure is a
 * FieldValidationError with paths under `prefix`, like a client's bad input.
 */
export function parseFields<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.infer<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  throw new FieldValidationError(
    result.error.issues.map((issue) => ({
      path: [prefix, ...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? [issue.keys.join(',')] : [])].filter(Boolean).join('.'),
      message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message,
      value: issue.input,
    })),
  );
}
