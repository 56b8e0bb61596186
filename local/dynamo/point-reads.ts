/**
 * Point reads through an iterator, never LevelDB's Get. classic-level 3 bundles LevelDB 1.20,
 * whose Get can answer a value a key had before (google/leveldb#320, fixed in LevelDB 1.21): when
 * versions of a key kept for a snapshot are written to two files of one level and a compaction
 * then moves the file with the newest version down a level without the other, Get, which looks
 * level by level and stops at the first one holding the key, finds the older version. Large items
 * (a few to a 2 MB file) and the snapshots that every read and iterator holds make that happen
 * here: CI saw a record read one write behind (a restore found a trashed record live at its
 * previous version; a PATCH refused as "at version 1" right after it had answered version 2). An
 * iterator merges every level and answers the newest version of a key, so every point read of
 * the store goes through one: GetItem, BatchGetItem and dynalite's other reads (`get`), the item
 * writer's current images and TransactGetItems (`getMany`).
 */
import type { Callback, LevelDb } from './dynalite.ts';

/** The values of `keys` in order (undefined where there is none), read from one snapshot. */
export async function readPoints(db: LevelDb, keys: readonly string[]): Promise<unknown[]> {
  if (keys.length === 0) return [];
  const sorted = [...new Set(keys)].sort();
  // One iterator: one snapshot for all the keys, as getMany reads them.
  const iterator = db.iterator({ gte: sorted[0], lte: sorted.at(-1) });
  const found = new Map<string, unknown>();
  try {
    for (const key of sorted) {
      iterator.seek(key);
      const entry = await iterator.next();
      if (entry && entry[0] === key) found.set(key, entry[1]);
    }
  } finally {
    await iterator.close();
  }
  return keys.map((key) => found.get(key));
}

/**
 * Makes the store's `get` (a promise, or dynalite's callback) and `getMany` read through
 * `readPoints`. dynalite's sub-databases call the main database's `get`, so this covers them.
 */
export function readThroughIterators(db: LevelDb): void {
  db.getMany = (keys) => readPoints(db, keys);
  db.get = ((key: string, callback?: Callback) => {
    const read = readPoints(db, [key]).then(([value]) => value);
    if (typeof callback !== 'function') return read;
    read.then(
      (value) => setImmediate(callback, null, value),
      (err) => setImmediate(callback, err),
    );
  }) as LevelDb['get'];
}
