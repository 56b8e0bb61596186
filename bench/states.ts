/**
 * The local Step Functions engine, driven through @aws-sdk/client-sfn over HTTP:
 *  - executions/s of a 6-state machine with two lambda:invoke tasks, one at a time and 50 at once;
 *  - N executions (default 10,000; STATES_BENCH_PARKED) parked on a human task
 *    (lambda:invoke.waitForTaskToken): time to start them, memory while they wait, engine restart
 *    time, and time to complete all of them with SendTaskSuccess after the restart.
 * dynalite runs on disk in the same process; the engine is closed and started again on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startStates, type States } from '../local/states/index.ts';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (opts: { path: string; createTableMs: number }) => Server;

const SEQUENTIAL = Number(process.env.STATES_BENCH_SEQUENTIAL ?? 50);
const CONCURRENT = Number(process.env.STATES_BENCH_CONCURRENT ?? 300);
const PARKED = Number(process.env.STATES_BENCH_PARKED ?? 10_000);
const CONCURRENCY = 50;
const REGION = 'us-east-1';
const ROLE = 'arn:aws:iam::000000000000:role/bench';

const dir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-states-'));
const db = dynalite({ path: dir, createTableMs: 0 });
await new Promise<void>((resolve) => db.listen(0, '127.0.0.1', () => resolve()));
const dynamoEndpoint = `http://127.0.0.1:${(db.address() as AddressInfo).port}`;

const tokens: string[] = [];
const lambdas = {
  price: async (e: { qty: number }) => ({ qty: e.qty, total: e.qty * 12.5 }),
  notify: async (e: { total: number }) => ({ sent: true, total: e.total }),
  inbox: async (e: { token: string }) => {
    tokens.push(e.token);
    return { queued: true };
  },
};

async function start(): Promise<{ states: States; sfn: SFNClient }> {
  const states = await startStates({ port: 0, dynamo: { endpoint: dynamoEndpoint, tableName: 'states-bench' }, region: REGION, accountId: '000000000000', lambdas, workflows: {} });
  const sfn = new SFNClient({ endpoint: states.endpoint, region: REGION, credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, maxAttempts: 1 });
  return { states, sfn };
}

async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function untilDone(sfn: SFNClient, executionArn: string): Promise<void> {
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status === 'SUCCEEDED') return;
    if (out.status !== 'RUNNING') throw new Error(`${executionArn} ended ${out.status}: ${out.error} ${out.cause}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function running(sfn: SFNClient, stateMachineArn: string): Promise<boolean> {
  const out = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 }));
  return (out.executions ?? []).length > 0;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
// A full collection before each memory reading, so that the figures are live memory, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let { states, sfn } = await start();
const lambda = (fn: string, payload: string) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: fn, Payload: payload }, Output: '{% $states.result.Payload %}' });
const sixStates = await sfn.send(
  new CreateStateMachineCommand({
    name: 'six-states',
    roleArn: ROLE,
    definition: JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { customer: '{% $states.input.customer %}' }, Next: 'Price' },
        Price: { ...lambda('price', '{% $states.input %}'), Next: 'Big' },
        Big: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.total > 100 %}', Next: 'Notify' }], Default: 'Done' },
        Notify: { ...lambda('notify', '{% $states.input %}'), Next: 'Record' },
        Record: { Type: 'Pass', Output: '{% $merge([$states.input, {"customer": $customer}]) %}', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    }),
  }),
);
const runOne = async (i: number) => {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: sixStates.stateMachineArn, input: JSON.stringify({ customer: `c${i}`, qty: 10 + (i % 5) }) }));
  await untilDone(sfn, executionArn!);
};
await inParallel(10, 5, runOne); // warm-up
console.log(`six-state machine: ${SEQUENTIAL} executions one at a time...`);
const sequentialSeconds = await inParallel(SEQUENTIAL, 1, runOne);
console.log(`  ${(SEQUENTIAL / sequentialSeconds).toFixed(1)} executions/s`);
console.log(`six-state machine: ${CONCURRENT} executions, ${CONCURRENCY} at a time...`);
const concurrentSeconds = await inParallel(CONCURRENT, CONCURRENCY, runOne);
console.log(`  ${(CONCURRENT / concurrentSeconds).toFixed(1)} executions/s`);

const human = await sfn.send(
  new CreateStateMachineCommand({
    name: 'human-task',
    roleArn: ROLE,
    definition: JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Approve',
      States: {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Arguments: { FunctionName: 'inbox', Payload: { token: '{% $states.context.Task.Token %}', deal: '{% $states.input.deal %}' } },
          Next: 'Close',
        },
        Close: { Type: 'Pass', End: true },
      },
    }),
  }),
);
console.log(`parking ${PARKED} executions on a human task...`);
gc();
const heapBefore = process.memoryUsage();
const parkSeconds = await inParallel(PARKED, CONCURRENCY, async (i) => {
  await sfn.send(new StartExecutionCommand({ stateMachineArn: human.stateMachineArn, name: `deal-${i}`, input: JSON.stringify({ deal: i }) }));
  if (i % 1000 === 999) console.log(`  ${i + 1} started`);
});
while (tokens.length < PARKED) await new Promise((r) => setTimeout(r, 20));
await new Promise((r) => setTimeout(r, 500));
gc();
const waiting = process.memoryUsage();
const heapGrowth = mb(waiting.heapUsed - heapBefore.heapUsed);
console.log(
  `  started in ${parkSeconds.toFixed(1)} s; executions held in memory while waiting: ${states.engine.liveCount}; ` +
    `heap ${mb(waiting.heapUsed)} MB (${heapGrowth >= 0 ? '+' : ''}${heapGrowth} MB since before parking), rss ${mb(waiting.rss)} MB`,
);

console.log('restarting the engine...');
sfn.destroy();
await states.close();
const restartStarted = performance.now();
({ states, sfn } = await start());
const restartSeconds = (performance.now() - restartStarted) / 1000;
console.log(`  restarted in ${restartSeconds.toFixed(2)} s`);

console.log(`completing ${PARKED} human tasks after the restart...`);
const completeStarted = performance.now();
await inParallel(PARKED, CONCURRENCY, async (i) => {
  await sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[i], output: JSON.stringify({ approved: true }) }));
  if (i % 1000 === 999) console.log(`  ${i + 1} sent`);
});
while (await running(sfn, human.stateMachineArn!)) await new Promise((r) => setTimeout(r, 50));
const completeSeconds = (performance.now() - completeStarted) / 1000;
console.log(`  all completed in ${completeSeconds.toFixed(1)} s`);

sfn.destroy();
await states.close();
await new Promise<void>((resolve) => db.close(() => resolve()));
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    sixStateSequential_executionsPerSecond: Math.round((SEQUENTIAL / sequentialSeconds) * 10) / 10,
    sixStateConcurrency50_executionsPerSecond: Math.round((CONCURRENT / concurrentSeconds) * 10) / 10,
    parked_count: PARKED,
    parkedStart_seconds: Math.round(parkSeconds * 10) / 10,
    parkedWaiting_heapUsedMB: mb(waiting.heapUsed),
    parkedWaiting_heapGrowthMB: heapGrowth,
    parkedWaiting_rssMB: mb(waiting.rss),
    parkedWaiting_executionsInMemory: states.engine.liveCount,
    restart_seconds: Math.round(restartSeconds * 100) / 100,
    parkedCompleteAfterRestart_seconds: Math.round(completeSeconds * 10) / 10,
  }),
);
