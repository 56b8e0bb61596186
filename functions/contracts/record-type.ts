/**
 * What describes a record type as data: its names, its table key TYPE, the fields a user may
 * set, how it is searched and deduplicated, and which fields point at other records. One such
 * description per type lives beside its schema (company.ts, contact.ts, ...); the API builds
 * every type's routes and checks from it, and the frontend reads the same description.
 */
import type { z } from 'zod';
import type { Choice } from './choices.ts';

/** A field that holds ids of other records. `path` may go through arrays: `lines.productId`. */
export interface RelationInfo {
  path: string;
  /** The target type's key, e.g. `COMPANY`. */
  target: string;
}

/** How a field is found: by its normalised value, prefix-matched, case-insensitive. */
export interface SearchKey {
  field: string;
  kind: 'name' | 'email' | 'phone' | 'domain' | 'text';
}

export interface RecordTypeInfo<F extends z.ZodObject = z.ZodObject> {
  /** Singular, lower case: `company`. */
  name: string;
  /** The path segment of its routes: `/api/companies`. */
  plural: string;
  /** The TYPE inside table keys: `COMPANY`. */
  key: string;
  /** Every field a user may set; strict, so an unknown field is named in a 400. */
  fields: F;
  search: readonly SearchKey[];
  /** Sets of fields that, equal in two records, make them likely duplicates. */
  duplicates: readonly (readonly string[])[];
  relations: readonly RelationInfo[];
  /** Fields whose value is one of a list, stored by key and shown by label (choices.ts). */
  choices?: Readonly<Record<string, readonly Choice[]>>;
  /** Fields that hold a user (their `sub`): an active user of the tenant, checked on every write that sets one, as custom `user` fields are. */
  users?: readonly string[];
  /**
   * Of `users`, the fields that assign the record to someone (an activity's `assignee`): whoever
   * one of them names has the record in their scope as its owner has (access/record-scope.ts).
   * Scope is by owner or assignee; a type declares its fields here, no code branches on it.
   */
  assignees?: readonly string[];
}

export const defineRecordType = <F extends z.ZodObject>(info: RecordTypeInfo<F>) => info;
