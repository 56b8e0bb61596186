/**
 * Every key begins with the tenant and one word (store/item-kinds.ts): a record type's key or a
 * kind's own. These tests prove that no kind of item can share a partition with a record type's
 * items, whatever the type and the id, and that a kind (or a type) that would is refused when it
 * is registered. (That no module outside the store builds a key by hand: test/architecture/partition-keys.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { RECORD_TYPES } from '../records/record-types.ts';
import { changeKeys, listKeys, parseRecordPk, recordPk, trashKeys } from '../records/keys.ts';
import { lookupPk } from '../records/duplicate-keys.ts';
import { ITEM_KINDS, claimRecordTypeKeys, claimedWords, itemKind, parsePartitionKey } from './item-kinds.ts';
const KINDS = Object.values(ITEM_KINDS);
const TYPES = RECORD_TYPES.map((type) => type.key);
/** A kind's key with any parts (the test builds keys of every kind alike). */
const anyParts = (kind: (typeof KINDS)[number]) => kind.pk as (tenant: string, ...parts: string[]) => string;

describe('the registry of item kinds', () => {
  it('holds every record type and every kind, each under a word of its own', () => {
    const words = claimedWords();
    for (const type of TYPES) expect(words.get(type)).toBe(`record type ${type}`);
    for (const kind of KINDS) expect(words.get(kind.word)).toBe(kind.holds);
    expect(new Set([...TYPES, ...KINDS.map((kind) => kind.word)]).size).toBe(TYPES.length + KINDS.length);
  });

  it('gives no kind a partition that a record type\'s items have', () => {
    const tenant = 'acme';
    const id = '01J8ZZZZZZZZZZZZZZZZZZZZZZ';
    for (const type of TYPES) {
      // A record, its history and its lookups; its lists (gsi1, gsi5): all under the type's word.
      const typeKeys = [recordPk(tenant, type, id), lookupPk(tenant, type, { field: 'emails', value: 'a@b.example' }), listKeys(tenant, type, id).gsi1pk, changeKeys(tenant, type, { id }).gsi5pk];
      for (const key of typeKeys) expect(parsePartitionKey(key)).toMatchObject({ tenant, word: type });
      expect(parseRecordPk(recordPk(tenant, type, id))).toEqual({ tenant, type, id });
      for (const kind of KINDS) {
        const kindKey = anyParts(kind)(tenant, type, id);
        expect(parsePartitionKey(kindKey)).toMatchObject({ tenant, word: kind.word });
        // Words are whole segments: a kind's key neither is nor begins (nor ends) a partition of the type's.
        for (const key of typeKeys) expect(`${kindKey}#`.startsWith(`${key}#`) || `${key}#`.startsWith(`${kindKey}#`)).toBe(false);
        // The stream tells a record's item by its key's form: a kind's key of that form is never read as a record type's.
        expect(TYPES).not.toContain(parseRecordPk(anyParts(kind)(tenant, id))?.type);
      }
    }
    // The trash is a kind of its own: a type's trashed records are listed under TRASH, not under the type.
    expect(parsePartitionKey(trashKeys(tenant, TYPES[0], id).gsi1pk)).toMatchObject({ word: 'TRASH', parts: [TYPES[0]] });
  });

  it('refuses a kind whose word is taken by a record type or another kind, or is no word', () => {
    expect(() => itemKind('COMPANY', 'tasks')).toThrow(/COMPANY is taken by record type COMPANY/);
    expect(() => itemKind('IMPORT', 'processes')).toThrow(/IMPORT is taken by import jobs/);
    expect(() => itemKind('TASK#X', 'tasks')).toThrow(/not a key word/);
    expect(() => itemKind('task', 'tasks')).toThrow(/not a key word/);
    expect(() => itemKind('', 'tasks')).toThrow(/not a key word/);
  });

  it('refuses a record type whose key is taken by a kind or another type', () => {
    expect(() => claimRecordTypeKeys(['SNAPSHOT'])).toThrow(/SNAPSHOT is taken by stored snapshots/);
    expect(() => claimRecordTypeKeys(['TRASH'])).toThrow(/TRASH is taken by trashed records/);
    expect(() => claimRecordTypeKeys([TYPES[0]])).toThrow(new RegExp(`${TYPES[0]} is taken by record type ${TYPES[0]}`));
    expect(() => claimRecordTypeKeys(['TASK1'])).toThrow(/a type's key is capitals and _/);
  });
});
