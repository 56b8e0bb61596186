/**
 * Test fixtures for the local Step Functions: plain dynalite (in memory, or on disk for restart
 * tests), the engine behind its HTTP API, and a real @aws-sdk/client-sfn client pointed at it.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  SFNClient,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { expect } from 'vitest';
import { startStates, type States, type StatesOptions } from '../../local/states/index.ts';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (opts: { path?: string; createTableMs?: number }) => Server;

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/test`;

export async function startDynalite(path?: string): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = dynalite({ path, createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Harness {
  states: States;
  sfn: SFNClient;
  close(): Promise<void>;
}

export async function startHarness(
  dynamoEndpoint: string,
  options: Partial<StatesOptions> = {},
): Promise<Harness> {
  const states = await startStates({
    port: 0,
    dynamo: { endpoint: dynamoEndpoint, tableName: 'states-test' },
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
export async function waitForEnd(sfn: SFNClient, executionArn: string, timeout = 20_000): Promise<DescribeExecutionCommandOutput> {
  let out: DescribeExecutionCommandOutput | undefined;
  await expect
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
