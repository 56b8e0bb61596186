/**
 * Test fixtures for the local Step Functions: the local DynamoDB the product runs on
 * (local/dynamo, as local/embedded-cloud.ts starts it; in a temp folder, or a given one for
 * restart tests), the engine behind its HTTP API, and a real @aws-sdk/client-sfn client pointed at it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SFNClient,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { expect, type ExpectStatic } from 'vitest';
import { startDynamo, type DynamoDispatch } from '../../local/dynamo/index.ts';
import { startStates, type States, type StatesOptions } from '../../local/states/index.ts';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/test`;

export interface LocalDynamo {
  endpoint: string;
  /** The same DynamoDB in process, as the embedded cloud gives it to the engine. */
  dispatch: DynamoDispatch;
  close(): Promise<void>;
}

/** local/dynamo on a free port, its data in `dataDir` (kept) or else in a temp folder (removed at close). */
export async function startLocalDynamo(dataDir?: string): Promise<LocalDynamo> {
  const temp = dataDir ? undefined : mkdtempSync(join(tmpdir(), 'states-dynamo-'));
  const server = await startDynamo({ dataDir: dataDir ?? temp!, port: 0 });
  return {
    endpoint: server.endpoint,
    dispatch: server.dispatch,
    close: async () => {
      await server.close();
      if (temp) rmSync(temp, { recursive: true, force: true });
    },
  };
}

export interface Harness {
  states: States;
  sfn: SFNClient;
  close(): Promise<void>;
}

export async function startHarness(
  db: Pick<LocalDynamo, 'endpoint' | 'dispatch'>,
  options: Partial<StatesOptions> = {},
): Promise<Harness> {
  const states = await startStates({
    port: 0,
    dynamo: { endpoint: db.endpoint, tableName: 'states-test', inProcess: db.dispatch },
    region: REGION,
    accountId: ACCOUNT,
    lambdas: {},
    workflows: {},
    ...options,
  });
  const sfn = new SFNClient({ endpoint: states.endpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  return {
    states,
    sfn,
    close: async () => {
      sfn.destroy();
      await states.close();
    },
  };
}

/** Polls DescribeExecution until the execution leaves RUNNING; fails if it has not within `timeout` ms. */
export async function waitForEnd(sfn: SFNClient, executionArn: string, timeout = 20_000, check: ExpectStatic = expect): Promise<DescribeExecutionCommandOutput> {
  let out: DescribeExecutionCommandOutput | undefined;
  await check
    .poll(async () => (out = await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, { timeout, interval: 10, message: `execution ${executionArn} ended` })
    .not.toBe('RUNNING');
  return out!;
}

/** Polls the history until an event satisfies `predicate`; fails if none has within `timeout` ms. */
export async function waitForEvent(sfn: SFNClient, executionArn: string, predicate: (e: HistoryEvent) => boolean, timeout = 20_000): Promise<HistoryEvent> {
  let found: HistoryEvent | undefined;
  await expect
    .poll(async () => (found = (await history(sfn, executionArn)).find(predicate)), { timeout, interval: 10, message: `a matching event in ${executionArn}` })
    .toBeDefined();
  return found!;
}

export async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
