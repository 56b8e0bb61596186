/**
 * Many record writes made a few to a transaction (an import's rows, the records a merge points at
 * the survivor): DynamoDB takes at most TRANSACTION_ITEMS items and 4 MB of them in one
 * TransactWriteItems. Counting items alone, 25 large records with their history items came to
 * 15 MB, which DynamoDB (and local/dynamo) refuse as a whole.
 */
import type { TransactItem } from '../store/commands.ts';
import { TRANSACTION_ITEMS } from './derived-items.ts';
import { itemBytes } from './item-size.ts';

/** DynamoDB's limit of the items of one write transaction together. */
export const TRANSACTION_BYTES = 4 * 1024 * 1024;

/** What can be grouped: the items of one write, which stay in one transaction. */
export interface Transactable {
  items: TransactItem[];
}

/**
 * What an action adds to the transaction's size: a Put its item; the rest their key and values
 * (record writes Put the items that are large). itemBytes over-estimates, so a group that fits
 * here fits DynamoDB.
 */
function actionBytes(action: TransactItem): number {
  if (action.Put) return itemBytes(action.Put.Item as Record<string, unknown>);
  const { Key, ExpressionAttributeValues } = (action.Update ?? action.Delete ?? action.ConditionCheck)!;
  return itemBytes(Key as Record<string, unknown>) + (ExpressionAttributeValues ? itemBytes(ExpressionAttributeValues) : 0);
}

/** The items and bytes a write adds to its transaction. */
export function transactionCost(write: Transactable): { items: number; bytes: number } {
  return { items: write.items.length, bytes: write.items.reduce((sum, action) => sum + actionBytes(action), 0) };
}

/** Whether writes of these costs fit one transaction together. */
export const fitsOneTransaction = (costs: Array<{ items: number; bytes: number }>) =>
  costs.reduce((sum, cost) => sum + cost.items, 0) <= TRANSACTION_ITEMS && costs.reduce((sum, cost) => sum + cost.bytes, 0) <= TRANSACTION_BYTES;

/** Entries in order, in groups whose writes fit one transaction each (a write is never split). */
export function transactionGroups<T>(entries: readonly T[], writeOf: (entry: T) => Transactable): T[][] {
  const groups: T[][] = [[]];
  let held = { items: 0, bytes: 0 };
  for (const entry of entries) {
    const cost = transactionCost(writeOf(entry));
    if (!fitsOneTransaction([held, cost])) {
      groups.push([]);
      held = { items: 0, bytes: 0 };
    }
    groups.at(-1)!.push(entry);
    held = { items: held.items + cost.items, bytes: held.bytes + cost.bytes };
  }
  return groups.filter((group) => group.length > 0);
}
