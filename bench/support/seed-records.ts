/**
 * Seeding for benchmarks: records written straight into the table as the repository plans them
 * (every index key and derived item of a creation, no history: seeding is not what is measured),
 * 25 per BatchWriteItem, 8 at a time; and waiting for the stream consumer to catch up, so what is
 * measured does not compete with it for the same database.
 */
/** `ownerOf`: who owns record i (its creator); 'bench' when absent. Answers the records' ids, in order. */
export async function seedRecords(tenant: string, typeKey: string, count: number, fieldsOf: (i: number) => Record<string, unknown>, ownerOf: (i: number) => string = () => 'bench'): Promise<string[]> {
  const { creation } = await import('../../functions/records/repository.ts');
  const { recordTypeWithKey } = await import('../../functions/records/record-types.ts');
  const type = recordTypeWithKey(typeKey);
  if (!type) throw new Error(`no record type ${typeKey}`);
  const at = new Date().toISOString();
  const items = Array.from({ length: count }, (_, i) => (creation({ tenant, sub: ownerOf(i) }, type, fieldsOf(i), at).items[0] as { Put: { Item: Record<string, unknown> } }).Put.Item);
  await writeItems(items);
  return items.map((item) => item.id as string);
}

/** Items put as they are, 25 per BatchWriteItem, 8 at a time. */
export async function writeItems(items: Array<Record<string, unknown>>): Promise<void> {
  const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
  const { documentClient, tableName } = await import('../../functions/store/table.ts');
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const batch = items.slice(next, (next += 25));
      let request: Record<string, unknown[]> | undefined = { [tableName()]: batch.map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length > 0) {
        const result = await documentClient.send(new BatchWriteCommand({ RequestItems: request as never }));
        request = result.UnprocessedItems as typeof request;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/**
 * Waits until the stream's consumers have caught up with every write (the change feed's entries,
 * a snapshot's build steps): in AWS they run in functions of their own; here they share the
 * bench's process with the API, and their catching up would be measured as the API's time.
 */
export async function streamSettled(cloud: { streamBacklog(): number }): Promise<void> {
  const t0 = performance.now();
  while (cloud.streamBacklog() > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  console.log(`the stream's consumers caught up in ${Math.round(performance.now() - t0)} ms`);
}
