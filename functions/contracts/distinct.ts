/** A list whose items are told apart by one field (a form's fields by key, a process's steps by name). */
import type { z } from 'zod';

/** Refuses each item whose `key` an item before it has, at that item's `key` (`[i, key]`) with `message`. */
export const distinctBy =
  <K extends string>(key: K, message: string) =>
  (items: ReadonlyArray<Record<K, unknown>>, ctx: z.RefinementCtx): void => {
    const seen = new Set<unknown>();
    items.forEach((item, i) => {
      if (seen.has(item[key])) ctx.addIssue({ code: 'custom', path: [i, key], message });
      seen.add(item[key]);
    });
  };
