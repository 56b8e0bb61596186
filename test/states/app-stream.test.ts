/**
 * The engine's checkpoints stay out of the application's change stream (issue 15, defect 2):
 * the engine's own table has no stream, and the app's stream consumer reads the app table's
 * records only, as an event source mapping reads one table's stream in AWS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { TABLE } from '../../infra/app-resources.ts';
import { startDynamo, type DynamoServer } from '../../local/dynamo/index.ts';
import { startStates, type States } from '../../local/states/index.ts';
import { STATES_TABLE } from '../../local/embedded-cloud.ts';
import { ACCOUNT, REGION, ROLE, waitForEnd } from '../support/states-harness.ts';
import { lambdaTask } from '../support/states-engine.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'states-app-stream-'));
let dynamo: DynamoServer;
let states: States;
let sfn: SFNClient;
let ddb: DynamoDBClient;
const delivered: DynamoDBRecord[] = [];

beforeAll(async () => {
  dynamo = await startDynamo({ dataDir, port: 0 });
  await dynamo.ensureTable();
  // As the embedded cloud attaches the app's stream consumer.
  dynamo.attachStreamConsumer({ tableName: TABLE.name, batchSize: 100, maxRetries: 3, handler: async (event) => void delivered.push(...event.Records) });
  states = await startStates({
    port: 0,
    dynamo: { endpoint: dynamo.endpoint, tableName: STATES_TABLE },
    appTableName: TABLE.name,
    region: REGION,
    accountId: ACCOUNT,
    workflows: {},
    lambdas: { step: async (event: { n: number }) => ({ n: event.n + 1 }) },
  });
  sfn = new SFNClient({ endpoint: states.endpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterAll(async () => {
  sfn?.destroy();
  ddb?.destroy();
  await states?.close();
  await dynamo?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('a 5-task execution adds nothing to the app table stream; the engine table has no stream', async () => {
  const { Table } = await ddb.send(new DescribeTableCommand({ TableName: STATES_TABLE }));
  expect(Table!.StreamSpecification?.StreamEnabled ?? false).toBe(false);

  const task = (i: number) => ({ ...lambdaTask('step'), ...(i < 5 ? { Next: `S${i + 1}` } : { End: true }) });
  const sm = await sfn.send(
    new CreateStateMachineCommand({
      name: 'five-tasks',
      roleArn: ROLE,
      definition: JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'S1', States: Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`S${i}`, task(i)])) }),
    }),
  );
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{"n":0}' }));
  expect(JSON.parse((await waitForEnd(sfn, executionArn!)).output!)).toEqual({ n: 5 });

  // A write to the app table after the execution ended: once its record arrives, anything the
  // execution put on the stream would have arrived before it.
  await ddb.send(new PutItemCommand({ TableName: TABLE.name, Item: { pk: { S: 'marker' }, sk: { S: 'after-execution' } } }));
  await expect.poll(() => delivered.some((r) => r.dynamodb?.Keys?.pk?.S === 'marker')).toBe(true);
  expect(delivered.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['marker']);
});
