import { describe, expect, it } from 'vitest';
import { TRANSACTION_ITEMS } from './derived-items.ts';
import { itemBytes } from './item-size.ts';
import { fitsOneTransaction, TRANSACTION_BYTES, transactionCost, transactionGroups, type Transactable } from './transaction-groups.ts';

/** A write of `items` Puts, each of about `bytes`. */
const write = (id: number, items: number, bytes: number): Transactable & { id: number } => ({
  id,
  items: Array.from({ length: items }, (_, i) => ({ Put: { TableName: 't', Item: { pk: `R#${id}`, sk: `#${i}`, text: 'x'.repeat(bytes) } } })),
});
const costOf = (group: Transactable[]) => group.map(transactionCost);

describe('transactionGroups', () => {
  it('keeps large records under 4 MB a transaction, in order, never splitting a write', () => {
    // 25 records of two items of 200 KB (a record and its history): 10 MB counted by items alone.
    const writes = Array.from({ length: 25 }, (_, id) => write(id, 2, 200 * 1024));
    const groups = transactionGroups(writes, (w) => w);
    expect(groups.flat().map((w) => w.id)).toEqual(writes.map((w) => w.id));
    for (const group of groups) {
      expect(fitsOneTransaction(costOf(group))).toBe(true);
      expect(group.reduce((sum, w) => sum + w.items.reduce((s, a) => s + itemBytes(a.Put!.Item!), 0), 0)).toBeLessThanOrEqual(TRANSACTION_BYTES);
    }
    // As full as the limit allows: each group but the last could take no further record.
    for (const [i, group] of groups.slice(0, -1).entries()) expect(fitsOneTransaction(costOf([...group, groups[i + 1][0]]))).toBe(false);
    expect(groups.length).toBe(Math.ceil(25 / Math.floor(TRANSACTION_BYTES / transactionCost(writes[0]).bytes)));
  });

  it('keeps small records under 100 items a transaction', () => {
    const writes = Array.from({ length: 70 }, (_, id) => write(id, 3, 10));
    const groups = transactionGroups(writes, (w) => w);
    expect(groups.map((group) => group.length)).toEqual([33, 33, 4]);
    expect(Math.max(...groups.map((group) => group.reduce((sum, w) => sum + w.items.length, 0)))).toBeLessThanOrEqual(TRANSACTION_ITEMS);
  });

  it('counts an update or a delete by its key and values', () => {
    const update = { items: [{ Update: { TableName: 't', Key: { pk: 'a', sk: 'b' }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': 'x'.repeat(1000) } } }, { Delete: { TableName: 't', Key: { pk: 'a', sk: 'c' } } }] };
    expect(transactionCost(update)).toEqual({ items: 2, bytes: itemBytes({ pk: 'a', sk: 'b' }) + itemBytes({ ':v': 'x'.repeat(1000) }) + itemBytes({ pk: 'a', sk: 'c' }) });
  });
});
