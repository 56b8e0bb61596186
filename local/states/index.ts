/**
 * The local Step Functions: a durable JSONata ASL engine behind the Step Functions JSON API.
 * See README.md in this folder for the design and its guarantees.
 */
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inProcessDocumentClient } from '../dynamo/in-process-client.ts';
import type { DynamoDispatch } from '../dynamo/endpoint.ts';
import type { Context } from 'aws-lambda';
import { repoRoot } from '../ensure-installed.mjs';
import { startApiServer } from './api/server.ts';
import { Engine } from './engine.ts';
import { StatesStore } from './store.ts';
import { deployWorkflows, type WorkflowList } from './workflows.ts';
import type { Clock } from './clock.ts';
import type { StatusEventTarget } from './status-events.ts';

export interface StatesOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /**
   * Where the engine keeps its records (a table with the app table's key schema; created if
   * missing). With `inProcess` (the local DynamoDB serving `endpoint`, in this process) the
   * checkpoints go to it directly rather than through the SDK and HTTP; DynamoDB tasks of the
   * workflows always use the endpoint, as a Lambda would.
   */
  dynamo: { endpoint: string; tableName: string; inProcess?: DynamoDispatch };
  region: string;
  accountId: string;
  /** Handlers by function name, for lambda:invoke tasks (read at each call: it may be filled later). */
  lambdas: Record<string, (event: any, ctx: Context) => Promise<any>>;
  /**
   * false: serve the API but resume no execution and fire no timer until `resume()` - for a
   * composition that can load the handlers only once the SFN endpoint is known. Default true.
   */
  autoResume?: boolean;
  /** Table the workflows' DynamoDB tasks use (${TableName}); default: dynamo.tableName. */
  appTableName?: string;
  /** Workflows to create at start-up (default: infra/app-resources.ts WORKFLOWS, files under workflows/). */
  workflows?: WorkflowList;
  workflowsDir?: string;
  /**
   * Test hooks: the clock (an AdjustableClock a test moves; `now` is a clock that cannot jump)
   * and a factor applied to every duration in definitions.
   */
  clock?: Clock;
  now?: () => number;
  timeScale?: number;
  /** Executions loaded at once to fire their timers (default 32). */
  timerConcurrency?: number;
  /** Where "Step Functions Execution Status Change" events go, at least once (from resume() on). */
  statusEvents?: StatusEventTarget;
}

export interface States {
  endpoint: string;
  engine: Engine;
  /** State machine ARNs of the workflows, by workflow key. */
  stateMachineArns: Record<string, string>;
  /** Resumes interrupted executions and starts the timers (done by startStates unless autoResume is false). */
  resume(): Promise<void>;
  close(): Promise<void>;
}

export async function startStates(opts: StatesOptions): Promise<States> {
  const client = new DynamoDBClient({
    endpoint: opts.dynamo.endpoint,
    region: opts.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const doc = opts.dynamo.inProcess
    ? inProcessDocumentClient(opts.dynamo.inProcess)
    : DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const store = new StatesStore(doc, opts.dynamo.tableName);
  await store.ensureTable();
  const engine = new Engine({
    store,
    dynamo: client,
    region: opts.region,
    accountId: opts.accountId,
    lambdas: opts.lambdas,
    clock: opts.clock ?? (opts.now ? { now: opts.now } : undefined),
    timeScale: opts.timeScale,
    timerConcurrency: opts.timerConcurrency,
    statusEvents: opts.statusEvents,
  });
  const stateMachineArns = await deployWorkflows(engine, {
    region: opts.region,
    accountId: opts.accountId,
    tableName: opts.appTableName ?? opts.dynamo.tableName,
    dir: opts.workflowsDir ?? join(repoRoot, 'workflows'),
    workflows: opts.workflows,
  });
  let resumed: Promise<void> | undefined;
  const resume = () => (resumed ??= engine.start());
  if (opts.autoResume !== false) await resume();
  const { server, endpoint } = await startApiServer(engine, opts.port, opts.host ?? '127.0.0.1');
  return {
    endpoint,
    engine,
    stateMachineArns,
    resume,
    close: async () => {
      await engine.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      client.destroy();
    },
  };
}
