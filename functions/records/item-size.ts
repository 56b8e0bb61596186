/**
 * DynamoDB refuses an item over 400 KB, and a record grows field by field (a PATCH can add a
 * long text to one that already has several). Checking before the write turns what would be a
 * ValidationException from the table into an answer that names the fields to shorten.
 */
import { ItemTooLargeError } from './errors.ts';

/** DynamoDB's item size limit (names and values, UTF-8). */
export const ITEM_LIMIT_BYTES = 400 * 1024;

/**
 * The item's size as DynamoDB counts it, over-estimated by JSON's punctuation (a few bytes per
 * attribute), so an item that passes here also passes the table.
 */
export const itemBytes = (item: Record<string, unknown>) => Buffer.byteLength(JSON.stringify(item));

/** Throws ItemTooLargeError naming the heaviest of `candidates` when `item` is over the limit. */
export function assertFits(item: Record<string, unknown>, candidates: string[]): void {
  const bytes = itemBytes(item);
  if (bytes <= ITEM_LIMIT_BYTES) return;
  const heaviest = candidates
    .map((field) => ({ field, bytes: itemBytes({ [field]: item[field] ?? null }) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map(({ field }) => field);
  throw new ItemTooLargeError(bytes, ITEM_LIMIT_BYTES, heaviest);
}
