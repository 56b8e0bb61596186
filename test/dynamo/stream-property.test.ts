/**
 * Property: whatever the writes and however the handler fails (throws, or reports a partial
 * batch failure), every change is processed, each item's changes in the order they were made.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { DynamoServer } from '../../local/dynamo/index.ts';
import { clientsFor, deliveredUpToMarker, startTestDynamo, TABLE_NAME as TableName, tempDir } from '../support/dynamo.ts';

type Outcome = { kind: 'ok' } | { kind: 'throw' } | { kind: 'fail-from'; at: number };

const temp = tempDir();
let server: DynamoServer;
let doc: ReturnType<typeof clientsFor>['doc'];
/** What the handler does on its next calls (then it succeeds). */
let script: Outcome[] = [];
/** Records the handler processed, in processing order (repeats included). */
const processed: DynamoDBRecord[] = [];

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  server = await startTestDynamo(temp.dir, { streamRetryDelayMs: 1 });
  doc = clientsFor(server.endpoint).doc;
  server.attachStreamConsumer({
    batchSize: 4,
    maxRetries: 1000,
    handler: async ({ Records }): Promise<DynamoDBBatchResponse | void> => {
      const outcome = script.shift() ?? { kind: 'ok' };
      if (outcome.kind === 'throw') throw new Error('scripted failure');
      if (outcome.kind === 'ok') {
        processed.push(...Records);
        return;
      }
      const at = Math.min(outcome.at, Records.length - 1);
      processed.push(...Records.slice(0, at));
      return { batchItemFailures: Records.slice(at).map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })) };
    },
  });
});
afterAll(async () => {
  await server?.close();
  temp.remove();
  vi.restoreAllMocks();
});

const write = fc.record({
  item: fc.integer({ min: 0, max: 2 }),
  kind: fc.constantFrom('put', 'add', 'delete'),
  value: fc.integer({ min: 0, max: 2 }),
});
const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  fc.constant({ kind: 'ok' as const }),
  fc.constant({ kind: 'throw' as const }),
  fc.integer({ min: 0, max: 3 }).map((at) => ({ kind: 'fail-from' as const, at })),
);

let run = 0;
it('processes every change once or more, in order per item', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 12 }), fc.array(outcome, { maxLength: 6 }), async (writes, outcomes) => {
      const prefix = `prop${run++}-`;
      script = [...outcomes];
      // The model: each item's successive images (undefined = absent), as the stream must show them.
      const images = new Map<string, Array<number | undefined>>();
      const current = new Map<string, number | undefined>();
      for (const w of writes) {
        const pk = `${prefix}${w.item}`;
        const before = current.get(pk);
        let after: number | undefined;
        if (w.kind === 'put') {
          await doc.send(new PutCommand({ TableName, Item: { pk, sk: 'x', v: w.value } }));
          after = w.value;
        } else if (w.kind === 'add') {
          await doc.send(new UpdateCommand({ TableName, Key: { pk, sk: 'x' }, UpdateExpression: 'ADD v :d', ExpressionAttributeValues: { ':d': w.value } }));
          after = (before ?? 0) + w.value;
        } else {
          await doc.send(new DeleteCommand({ TableName, Key: { pk, sk: 'x' } }));
          after = undefined;
        }
        current.set(pk, after);
        if (before !== after) images.set(pk, [...(images.get(pk) ?? []), after]);
      }
      const expected = [...images.values()].reduce((n, list) => n + list.length, 0);

      const firstSeen = () => {
        const seen = new Map<string, DynamoDBRecord>();
        for (const r of processed) {
          if (r.dynamodb?.Keys?.pk?.S?.startsWith(prefix)) seen.set(r.dynamodb.SequenceNumber!, seen.get(r.dynamodb.SequenceNumber!) ?? r);
        }
        return [...seen.values()];
      };
      // Past the marker, every change is processed and nothing else is (a write that changed nothing has no record).
      await deliveredUpToMarker(doc, () => processed, `marker-${prefix}`, 20_000);
      const records = firstSeen();
      expect(records).toHaveLength(expected);
      for (const [pk, history] of images) {
        const mine = records.filter((r) => r.dynamodb?.Keys?.pk?.S === pk);
        const sequences = mine.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
        expect(sequences.every((s, i) => i === 0 || s > sequences[i - 1])).toBe(true);
        expect(mine.map((r) => (r.dynamodb?.NewImage ? Number(r.dynamodb.NewImage.v.N) : undefined))).toEqual(history);
      }
    }),
    { numRuns: 15 },
  );
});
