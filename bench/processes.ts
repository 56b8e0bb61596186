/**
 * Issue 16's benchmark: quick sales through the HTTP API, as people run them, in the whole
 * embedded cloud (gateway, functions, local/dynamo on disk, local/states on a clock the bench
 * moves when nothing is left to do but wait):
 *  - starts: PROCESS_BENCH_SALES quick sales (1,000) started on companies, 16 at a time;
 *  - completions: 16 workers take what the inbox offers (the team's tasks and their own) and
 *    complete each with its form, until every sale is closed; rounds of sales go on until at
 *    least PROCESS_BENCH_TASKS (3,000) tasks were completed (a sale has two: its fulfilment and
 *    its quality control, configured at once);
 *  - beside them, in the same run, two clients PATCH companies (the target: a completion's p95 at
 *    most twice a PATCH's);
 *  - the engine's state transitions per second (states entered, from the executions' histories),
 *    the heap at its highest;
 *  - the inbox's first page for a user whose team holds PROCESS_BENCH_INBOX (10,000) open tasks
 *    (target: under 300 ms), the tasks written by the code a waitForTaskToken step runs.
 * The last line is one JSON object.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { AdjustableClock } from '../local/states/clock.ts';
import { inParallel } from '../functions/in-parallel.ts';
import type { FormValues, Task } from '../functions/contracts/tasks.ts';

const SALES = Number(process.env.PROCESS_BENCH_SALES ?? 1000);
const MIN_TASKS = Number(process.env.PROCESS_BENCH_TASKS ?? 3000);
const INBOX_TASKS = Number(process.env.PROCESS_BENCH_INBOX ?? 10_000);
const CONCURRENCY = 16;
const COMPANIES = 200;

const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const { ApiClient, signIn } = await import('../test/support/cloud.ts');
const clock = new AdjustableClock();
const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-processes-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0, statesClock: clock });
const load = () => loadavg().map((n) => n.toFixed(1)).join(' ');
const r1 = (n: number) => Math.round(n * 10) / 10;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};
async function timed<T>(latencies: number[], work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    latencies.push(performance.now() - t0);
  }
}
let heapPeak = 0;
const heapSampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 250);

/** A form filled as its person would: its required fields, each with a value of its type (a rating of 4: no follow-up). */
function filled(task: Task): FormValues {
  const value = (type: string): FormValues[string] => (type === 'number' ? 4 : type === 'boolean' ? true : type === 'date' ? '2026-12-07' : 'done');
  return Object.fromEntries(task.form.fields.filter((field) => field.required).map((field) => [field.key, value(field.type)]));
}

try {
  console.log(`load average at start: ${load()}`);
  const { IdToken } = await signIn(cloud.url, cloud.identity.clientId, cloud.demoAdmin.email, cloud.demoAdmin.password!);
  const api = new ApiClient(cloud.url, IdToken);
  const me = (await api.get('/api/me')).json.sub as string;
  const teamOf = async (name: string) => (await api.post('/api/teams', { name, supervisor: null })).json.id as string;
  const joinTeams = async (teams: string[]) => {
    const version = (await api.get('/api/users')).json.items.find((user: { sub: string }) => user.sub === me).version;
    const joined = await api.patch(`/api/users/${me}`, { version, fields: { teams } });
    if (joined.status !== 200) throw new Error(`joining ${teams}: ${joined.text}`);
  };
  const fulfilment = await teamOf('Warehouse');
  await joinTeams([fulfilment]);
  // The tenant's quick sale: one fulfilment step and quality control at once, both the warehouse's.
  const config = {
    fulfilment: [{ name: 'Fulfil the order', team: fulfilment, form: { fields: [{ key: 'shippedOn', label: 'Shipped on', type: 'date', required: true }] }, due: { amount: 3, unit: 'days' } }],
    qc: { team: fulfilment, delay: 0, threshold: 3, due: { amount: 2, unit: 'days' } },
    followUp: { due: { amount: 2, unit: 'days' } },
    reminderShare: 0.5,
    escalation: 'supervisor',
  };
  const configured = await api.put('/api/processes/quick-sale/config', { version: (await api.get('/api/processes/quick-sale/config')).json.version, config });
  if (configured.status !== 200) throw new Error(`configuring the quick sale: ${configured.text}`);
  console.log(`seeding ${COMPANIES} companies ...`);
  const companies = new Map<string, number>();
  await inParallel(Array.from({ length: COMPANIES }, (_, i) => i), CONCURRENCY, async (i) => {
    const created = (await api.post('/api/companies', { name: `Client ${i}` })).json;
    companies.set(created.id, created.version);
  });
  const companyIds = [...companies.keys()];

  // PATCHes beside the sales, at the version each client last saw.
  const patchLatencies: number[] = [];
  let patching = false;
  const patcher = async (client: number) => {
    for (let n = 0; patching; n++) {
      const id = companyIds[(client * 7919 + n) % companyIds.length];
      const answer = await timed(patchLatencies, () => api.patch(`/api/companies/${id}`, { version: companies.get(id), fields: { industry: `edit ${client}-${n}` } }));
      companies.set(id, answer.status === 200 ? answer.json.version : answer.json.error.current.version);
    }
  };

  const instances: string[] = [];
  const startLatencies: number[] = [];
  const completionLatencies: number[] = [];
  let startSeconds = 0;
  let completed = 0;
  let clockMoves = 0;
  const began = performance.now();
  for (let round = 0; completed < MIN_TASKS; round++) {
    console.log(`round ${round + 1}: starting ${SALES} quick sales, ${CONCURRENCY} at a time ...`);
    const roundStart = performance.now();
    const started: string[] = [];
    await inParallel(Array.from({ length: SALES }, (_, i) => i), CONCURRENCY, async (i) => {
      const input = { lines: [{ name: 'Widget', quantity: 1 + (i % 5), unitPrice: { amount: '10.00', currency: 'EUR' } }], delivery: { address: '1 Harbour Road, Portsmouth', date: '2026-12-20' } };
      const body = { process: 'quick-sale', idempotencyKey: `bench-${round}-${i}`, input };
      const answer = await timed(startLatencies, () => api.post(`/api/companies/${companyIds[i % companyIds.length]}/processes`, body));
      if (answer.status !== 201) throw new Error(`start: ${answer.status} ${answer.text}`);
      started.push(answer.json.id);
    });
    startSeconds += (performance.now() - roundStart) / 1000;
    instances.push(...started);
    console.log(`  ${r1(SALES / ((performance.now() - roundStart) / 1000))} starts/s; completing what the inbox offers ...`);

    patching = true;
    const patchers = [patcher(0), patcher(1)];
    const taken = new Set<string>();
    const queue: Task[] = [];
    for (;;) {
      for (const view of ['team', 'mine']) {
        const page = (await api.get(`/api/tasks?view=${view}&limit=100`)).json as { items: Task[] };
        for (const task of page.items) {
          if (taken.has(task.id) || (task.status !== 'open' && task.status !== 'claimed')) continue;
          taken.add(task.id);
          queue.push(task);
        }
      }
      if (queue.length) {
        await inParallel(queue.splice(0), CONCURRENCY, async (task) => {
          const answer = await timed(completionLatencies, () => api.post(`/api/tasks/${task.id}/complete`, { form: filled(task) }));
          if (answer.status !== 200 && answer.status !== 202) throw new Error(`complete: ${answer.status} ${answer.text}`);
          completed++;
        });
        continue;
      }
      // Nothing offered: the sales still running wait for the engine, or for time (a timer on the calendar).
      const running = (await api.get('/api/processes/instances?process=quick-sale&status=running&limit=1')).json.items;
      if (!running.length) break;
      // Time moves only while the engine has nothing in hand (every running sale parked on a timer); else it is busy: look again shortly.
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (cloud.states.engine.liveCount > 0) continue;
      clock.advance(60 * 60 * 1000);
      clockMoves++;
    }
    patching = false;
    await Promise.all(patchers);
    console.log(`  ${completed} tasks completed so far`);
  }
  const allClosedSeconds = (performance.now() - began) / 1000;
  const completionSeconds = allClosedSeconds - startSeconds;

  console.log(`reading ${instances.length} executions' histories ...`);
  const sfn = new SFNClient({ endpoint: cloud.sfnEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' } });
  const machine = cloud.states.stateMachineArns['quick-sale'];
  let transitions = 0;
  await inParallel(instances, CONCURRENCY, async (id) => {
    const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: `${machine.replace(':stateMachine:', ':execution:')}:${id}`, maxResults: 1000 }))).events ?? [];
    transitions += events.filter((event) => event.type?.endsWith('StateEntered')).length;
  });
  sfn.destroy();

  console.log(`offering ${INBOX_TASKS} open tasks to one team ...`);
  const { offerTask } = await import('../functions/tasks/tasks.ts');
  const inbox = await teamOf('Inbox');
  await joinTeams([inbox]);
  const due = Date.now() + 86_400_000;
  await inParallel(Array.from({ length: INBOX_TASKS }, (_, i) => i), 32, async (i) => {
    const id = createHash('sha256').update(`inbox-${i}`).digest('hex').slice(0, 32);
    await offerTask({
      instance: { tenant: cloud.demoAdmin.tenant, id, process: 'quick-sale', subject: { type: 'company', id: companyIds[i % companyIds.length] } },
      execution: `arn:aws:states:us-east-1:000000000000:execution:quick-sale:${id}`,
      step: 'Fulfil',
      enteredAt: new Date(due).toISOString(),
      token: `bench-token-${i}`,
      spec: { title: 'Fulfil the order', assignee: { team: inbox }, due: new Date(due + i * 1000).toISOString(), form: { fields: [] } },
    });
  });
  const inboxLatencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const page = await timed(inboxLatencies, () => api.get('/api/tasks?view=team'));
    if (page.json.items.length !== 50) throw new Error(`inbox page: ${page.text.slice(0, 200)}`);
  }

  const figures = {
    loadAverage_end: load(),
    sales_count: instances.length,
    starts_perSecond: r1(instances.length / startSeconds),
    start_p50_ms: r1(percentile(startLatencies, 50)),
    start_p95_ms: r1(percentile(startLatencies, 95)),
    tasksCompleted_count: completed,
    completions_perSecond: r1(completed / completionSeconds),
    completion_p50_ms: r1(percentile(completionLatencies, 50)),
    completion_p95_ms: r1(percentile(completionLatencies, 95)),
    patch_count: patchLatencies.length,
    patch_p95_ms: r1(percentile(patchLatencies, 95)),
    completionP95_perPatchP95: r1(percentile(completionLatencies, 95) / percentile(patchLatencies, 95)),
    allClosed_seconds: r1(allClosedSeconds),
    engineClockMoves_count: clockMoves,
    transitions_perSecond: r1(transitions / allClosedSeconds),
    heapPeak_MB: r1(heapPeak / 2 ** 20),
    inboxTeamTasks_count: INBOX_TASKS,
    inboxFirstPage_p50_ms: r1(percentile(inboxLatencies, 50)),
    inboxFirstPage_p95_ms: r1(percentile(inboxLatencies, 95)),
  };
  console.log(JSON.stringify(figures));
} finally {
  clearInterval(heapSampler);
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
