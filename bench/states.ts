/**
 * The local Step Functions engine inside the whole embedded cloud (local/dynamo on disk, the
 * app's functions loaded, the gateway up), driven through @aws-sdk/client-sfn over HTTP, with a
 * 4 KB payload, side by side in one run:
 *  - starts per second (StartExecution acknowledged = its first checkpoint durable), 16 at a time;
 *  - state transitions per second: executions of a 12-state machine (Pass, Choice, lambda:invoke),
 *    32 at a time, every checkpoint durable;
 *  - parking human tasks: executions started that park on lambda:invoke.waitForTaskToken, until
 *    every token is handed out; then completing them all with SendTaskSuccess, 16 at a time,
 *    until none runs;
 *  - where the time of the transitions goes (a CPU profile of this process, by area).
 * STATES_BENCH_STARTS, STATES_BENCH_EXECUTIONS, STATES_BENCH_PARKED scale it; PROFILE=0 skips the profile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startEmbeddedCloud } from '../local/embedded-cloud.ts';
import { inParallel } from '../functions/in-parallel.ts';
import { profileOf, type ProfileSummary } from './support/cpu-profile.ts';

const STARTS = Number(process.env.STATES_BENCH_STARTS ?? 500);
const EXECUTIONS = Number(process.env.STATES_BENCH_EXECUTIONS ?? 300);
const PARKED = Number(process.env.STATES_BENCH_PARKED ?? 2000);
const PROFILE = process.env.PROFILE !== '0';
const ROLE = 'arn:aws:iam::000000000000:role/bench';
/** The order every execution carries: about 4 KB of JSON. */
const ORDER = {
  customer: 'c-1',
  lines: Array.from({ length: 30 }, (_, i) => ({ sku: `SKU-${1000 + i}`, name: `Product number ${i} with a longer name`, qty: 1 + (i % 5), price: 12.5 + i, note: 'deliver to the back door, ring twice' })),
};

const tokens: string[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-states-'));
const cloud = await startEmbeddedCloud({
  dataDir,
  httpPort: 0,
  dynamoPort: 0,
  sfnPort: 0,
  extraTaskFunctions: {
    price: async (order: typeof ORDER) => ({ ...order, total: order.lines.reduce((sum, l) => sum + l.qty * l.price, 0) }),
    inbox: async (event: { token: string }) => {
      tokens.push(event.token);
      return { queued: true };
    },
  },
});
const sfn = new SFNClient({ endpoint: cloud.sfnEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' }, maxAttempts: 1 });
const load = () => loadavg().map((n) => n.toFixed(1)).join(' ');
const machine = async (name: string, States: object, StartAt: string) =>
  (await sfn.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify({ QueryLanguage: 'JSONata', StartAt, States }) }))).stateMachineArn!;

/** Polls DescribeExecution every 100 ms: more often, the polls themselves would load the engine being measured. */
async function untilEnded(executionArn: string): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status === 'SUCCEEDED') return;
    if (out.status !== 'RUNNING') throw new Error(`${executionArn} ended ${out.status}: ${out.error} ${out.cause}`);
  }
}
async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

console.log(`load average at start: ${load()}`);

// 1. Starts: a one-state machine, so that the figure is the start itself.
const one = await machine('bench-start', { Done: { Type: 'Pass', End: true } }, 'Done');
const input = JSON.stringify(ORDER);
console.log(`starting ${STARTS} executions, 16 at a time...`);
const startSeconds = await seconds(() => inParallel(Array.from({ length: STARTS }, (_, i) => i), 16, async (i) => void (await sfn.send(new StartExecutionCommand({ stateMachineArn: one, name: `s-${i}`, input })))));
console.log(`  ${(STARTS / startSeconds).toFixed(1)} starts/s`);

// 2. Transitions: 12 states, two of them Lambda tasks.
const STATES_PER_EXECUTION = 12;
const flow = await machine(
  'bench-flow',
  {
    Receive: { Type: 'Pass', Assign: { customer: '{% $states.input.customer %}' }, Next: 'Price' },
    Price: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'price', Payload: '{% $states.input %}' }, Output: '{% $states.result.Payload %}', Next: 'Big?' },
    'Big?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.total > 100 %}', Next: 'Discount' }], Default: 'Discount' },
    Discount: { Type: 'Pass', Output: "{% $merge([$states.input, {'discount': $states.input.total * 0.05}]) %}", Next: 'Tax' },
    Tax: { Type: 'Pass', Output: "{% $merge([$states.input, {'tax': $states.input.total * 0.2}]) %}", Next: 'Lines' },
    Lines: { Type: 'Pass', Assign: { lines: '{% $count($states.input.lines) %}' }, Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Condition: '{% $lines > 0 %}', Next: 'Reprice' }], Default: 'Reprice' },
    Reprice: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'price', Payload: '{% $states.input %}' }, Output: '{% $states.result.Payload %}', Next: 'Stamp' },
    Stamp: { Type: 'Pass', Output: "{% $merge([$states.input, {'at': $now()}]) %}", Next: 'Owner' },
    Owner: { Type: 'Pass', Output: "{% $merge([$states.input, {'owner': $customer}]) %}", Next: 'Final?' },
    'Final?': { Type: 'Choice', Choices: [{ Condition: '{% $exists($states.input.owner) %}', Next: 'Done' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  },
  'Receive',
);
const runFlows = (prefix: string, count: number) =>
  inParallel(Array.from({ length: count }, (_, i) => i), 32, async (i) => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: flow, name: `${prefix}-${i}`, input }));
    await untilEnded(executionArn!);
  });
await runFlows('warm', 20);
console.log(`running ${EXECUTIONS} executions of ${STATES_PER_EXECUTION} states, 32 at a time...`);
const loadBefore = load();
let profile: ProfileSummary | undefined;
const flowSeconds = await seconds(async () => {
  if (PROFILE) profile = (await profileOf(() => runFlows('f', EXECUTIONS))).summary;
  else await runFlows('f', EXECUTIONS);
});
const transitionsPerSecond = (EXECUTIONS * STATES_PER_EXECUTION) / flowSeconds;
console.log(`  ${transitionsPerSecond.toFixed(1)} state transitions/s (${(EXECUTIONS / flowSeconds).toFixed(1)} executions/s); load ${loadBefore} -> ${load()}`);
if (profile) {
  console.log('  where the time goes (ms of CPU in this process, by area):', JSON.stringify(profile.byArea));
  for (const f of profile.topFunctions.slice(0, 10)) console.log(`    ${String(f.ms).padStart(6)} ms  ${f.name}  ${f.where}`);
}

// 3. Human tasks: park, then complete.
const human = await machine(
  'bench-human',
  {
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: { FunctionName: 'inbox', Payload: { token: '{% $states.context.Task.Token %}', order: '{% $states.input %}' } },
      HeartbeatSeconds: 86_400,
      Next: 'Close',
    },
    Close: { Type: 'Pass', End: true },
  },
  'Approve',
);
console.log(`parking ${PARKED} executions on a human task...`);
const parkSeconds = await seconds(async () => {
  await inParallel(Array.from({ length: PARKED }, (_, i) => i), 16, async (i) => void (await sfn.send(new StartExecutionCommand({ stateMachineArn: human, name: `deal-${i}`, input }))));
  while (tokens.length < PARKED) await new Promise((r) => setTimeout(r, 20));
});
const heldWhileParked = cloud.states.engine.liveCount;
console.log(`  ${(PARKED / parkSeconds).toFixed(1)} parked/s; executions in memory while they wait: ${heldWhileParked}`);
console.log(`completing ${PARKED} human tasks, 16 at a time...`);
const completeSeconds = await seconds(async () => {
  await inParallel(tokens, 16, async (taskToken) => void (await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ approved: true }) }))));
  while (((await sfn.send(new ListExecutionsCommand({ stateMachineArn: human, statusFilter: 'RUNNING', maxResults: 1 }))).executions ?? []).length) {
    await new Promise((r) => setTimeout(r, 50));
  }
});
console.log(`  ${(PARKED / completeSeconds).toFixed(1)} completed/s`);

sfn.destroy();
await cloud.close();
rmSync(dataDir, { recursive: true, force: true });
const r1 = (n: number) => Math.round(n * 10) / 10;
console.log(
  JSON.stringify({
    loadAverage_end: load(),
    payload_bytes: input.length,
    starts_perSecond: r1(STARTS / startSeconds),
    transitions_perSecond: r1(transitionsPerSecond),
    executions12States_perSecond: r1(EXECUTIONS / flowSeconds),
    humanTasksParked_perSecond: r1(PARKED / parkSeconds),
    humanTasksParked_count: PARKED,
    executionsInMemoryWhileParked: heldWhileParked,
    humanTasksCompleted_perSecond: r1(PARKED / completeSeconds),
    ...(profile ? { profile_msByArea: profile.byArea } : {}),
  }),
);
