/**
 * The registry of record types: the contracts' list (contracts/record-types.ts), each type data
 * (contracts/<type>.ts). The API serves every one through the same routes and the same
 * repository; a type only adds what the server computes of its records here,
 * e.g. a deal computes its amounts from its product lines and keeps its stage one of its pipeline's.
 */
import type { z } from 'zod';
import type { RecordTypeInfo } from '../contracts/record-type.ts';
import { RECORD_TYPE_INFOS } from '../contracts/record-types.ts';
import { deriveDealAmounts } from '../deals/deal-amounts.ts';
import { deriveDealStage } from '../deals/deal-stage.ts';
import type { StoredRecord } from './errors.ts';
import { claimRecordTypeKeys } from '../store/item-kinds.ts';

export type Fields = Record<string, unknown>;

export interface RecordTypeSpec extends RecordTypeInfo<z.ZodObject> {
  /**
   * Fields the server computes from the record as it will be (`next`, after the change;
   * `creating`: a new record, which may get defaults); may refuse the change with a
   * FieldValidationError. Returns the computed fields to store.
   */
  derive?: (next: Fields, changed: Fields, creating: boolean) => Fields;
}

/** What the server computes of a type's records, by type name. */
const DERIVE: Readonly<Record<string, RecordTypeSpec['derive']>> = {
  deal: (next, changed, creating) => ({ ...deriveDealStage(next, changed, creating), ...deriveDealAmounts(next, changed) }),
};

export const RECORD_TYPES: readonly RecordTypeSpec[] = RECORD_TYPE_INFOS.map((info) => (DERIVE[info.name] ? { ...info, derive: DERIVE[info.name] } : info));

// A record's items begin with its type's key: no other kind of item may take it (store/item-kinds.ts).
claimRecordTypeKeys(RECORD_TYPES.map((type) => type.key));

const byName = new Map(RECORD_TYPES.map((type) => [type.name, type]));
const byKey = new Map(RECORD_TYPES.map((type) => [type.key, type]));

/** The type called `name` (singular, e.g. `company`), if there is one. */
export const recordTypeNamed = (name: string): RecordTypeSpec | undefined => byName.get(name);

/** The type whose table key is `key` (e.g. `COMPANY`), if there is one. */
export const recordTypeWithKey = (key: string): RecordTypeSpec | undefined => byKey.get(key);

export type { StoredRecord };
