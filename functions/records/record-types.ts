/**
 * The registry of record types: the contracts' list (contracts/record-types.ts), each type data
 * (contracts/<type>.ts). The API serves every one through the same routes and the same
 * repository; a type only adds its rules of writing here (`writeRules`): a deal computes its
 * amounts from its product lines, keeps its stage one of its pipeline's (with the stage's rules)
 * and writes a stage move with every move (deals/deal-writes.ts).
 */
import type { z } from 'zod';
import type { RecordTypeInfo } from '../contracts/record-type.ts';
import { RECORD_TYPE_INFOS } from '../contracts/record-types.ts';
import type { StageMoveSource } from '../contracts/stage-moves.ts';
import { dealWriteRules } from '../deals/deal-writes.ts';
import type { StoredRecord } from './errors.ts';
import type { TransactItem } from '../store/commands.ts';
import { claimRecordTypeKeys } from '../store/item-kinds.ts';
import type { Writer } from '../access/actor.ts';

export type Fields = Record<string, unknown>;

/** What made a write (a stage move records it): a creation, a PATCH, a paste, a board drag, an import, a process, a stage merge. */
export type WriteSource = StageMoveSource;

/** A write of one record as a type's rules see it, before it is planned. */
export interface TypedWrite {
  writer: Writer;
  id: string;
  /** The time the write stamps. */
  at: string;
  /** The record before (absent: a creation). */
  current?: StoredRecord;
  /** The record's fields as they will be (after the change). */
  next: Fields;
  /** The fields the write sets (all of them for a creation). */
  changed: Fields;
  /** The version the write makes. */
  version: number;
  source: WriteSource;
  /** What the rules of the type are told besides (a deal: the stage moves an import of stage history gives). */
  given?: unknown;
}

/** What a type's rules add to a write: fields the server computes, and items written in the same transaction. */
export interface TypedWritePlan {
  fields: Fields;
  items: TransactItem[];
}

/** A type's rules of writing its records in one tenant (what they read of its configuration, they read when a write needs it). */
export interface WriteRules {
  /** May refuse the write with a FieldValidationError. */
  plan(write: TypedWrite): Promise<TypedWritePlan>;
}

export interface RecordTypeSpec extends RecordTypeInfo<z.ZodObject> {
  /** The tenant's rules of writing a record of the type; none: it is written as given. */
  writeRules?: (tenant: string) => WriteRules;
}

/** The types with rules of their own, by type name. */
const WRITE_RULES: Readonly<Record<string, RecordTypeSpec['writeRules']>> = {
  deal: dealWriteRules,
};

export const RECORD_TYPES: readonly RecordTypeSpec[] = RECORD_TYPE_INFOS.map((info) => (WRITE_RULES[info.name] ? { ...info, writeRules: WRITE_RULES[info.name] } : info));

// A record's items begin with its type's key: no other kind of item may take it (store/item-kinds.ts).
claimRecordTypeKeys(RECORD_TYPES.map((type) => type.key));

const byName = new Map(RECORD_TYPES.map((type) => [type.name, type]));
const byKey = new Map(RECORD_TYPES.map((type) => [type.key, type]));

/** The type called `name` (singular, e.g. `company`), if there is one. */
export const recordTypeNamed = (name: string): RecordTypeSpec | undefined => byName.get(name);

/** The type whose table key is `key` (e.g. `COMPANY`), if there is one. */
export const recordTypeWithKey = (key: string): RecordTypeSpec | undefined => byKey.get(key);

export type { StoredRecord };
