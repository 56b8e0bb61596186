/**
 * A request for many records (`POST /api/bulk`, `/api/trash`, `/api/trash/restore`) does those
 * its work budget allows and answers the rest `later` (functions/records/work-budget.ts: a
 * thousand records of ~350 KB do not fit the gateway's 30 s). This sends the items, then those
 * answered `later` in a request of their own, until none is: one result per item, in order.
 * Each request does at least one item, so it ends. No imports: the API tests run it as it is.
 */
export async function untilDone<Item, Result extends { status: string }>(items: readonly Item[], send: (items: Item[]) => Promise<Result[]>): Promise<Array<Exclude<Result, { status: 'later' }>>> {
  const results: Array<Exclude<Result, { status: 'later' }>> = new Array(items.length);
  let pending = items.map((item, index) => ({ item, index }));
  while (pending.length > 0) {
    const answered = await send(pending.map(({ item }) => item));
    const later = pending.filter((_, i) => answered[i].status === 'later');
    if (later.length === pending.length) throw new Error(`the server did none of ${pending.length} items`);
    pending.forEach(({ index }, i) => {
      if (answered[i].status !== 'later') results[index] = answered[i] as Exclude<Result, { status: 'later' }>;
    });
    pending = later;
  }
  return results;
}
