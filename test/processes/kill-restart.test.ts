/**
 * Issue 16, "Faults": kill -9 of the embedded cloud (a child process: API, engine, table and stream
 * in one) while quick sales wait on their human task, more are being started (mid-step: taking
 * the order, offering the task) and completions are in flight; then a start on the same data.
 * Clients send again what got no answer (a start with its idempotency key, a completion); every
 * instance goes on to its end, each has exactly one task, and every completion is applied exactly
 * once, with its own values.
 *
 * At the issue's scale: 200 sales wait on their task, 50 clients start sales (each with one start
 * in flight at any moment) and 8 completions are sent at once. The test makes sure the kill lands
 * mid-flight rather than counting on the numbers: it kills on an answer while both kinds of request
 * have some sent and unanswered (asserted: at least half the starters' starts, two completions),
 * and asserts afterwards that the engine was mid-step (a step of some execution, begun before the
 * kill, ran again after it).
 *
 * The child runs what `npm start` runs (local/start.mjs, without its install and SPA steps): the
 * esbuild bundles of the embedded cloud and its functions, which load in about a second where the
 * sources through tsx took 5-15 s a start on a loaded machine. Its demo administrator is the
 * test's user.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { GetExecutionHistoryCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../infra/app-resources.ts';
import { inParallel } from '../../functions/in-parallel.ts';
import { repoRoot } from '../../local/ensure-installed.mjs';
import { ensureServerBundle, serverBundleDir } from '../../local/server-bundle.mjs';
import { DEMO_ADMIN, readDemoAdmin } from '../../local/identity/index.ts';
import { ApiClient, signIn } from '../support/cloud.ts';
import { team } from '../support/people.ts';
import { freePort, run, waitForOutput, type Started } from '../support/processes.ts';
import { configureQuickSale, order, quickSaleConfig, startSale } from '../support/quick-sales.ts';

const TENANT = DEMO_ADMIN.tenant;
/** Requests the test's clients send at once, for set-up and after the restart. */
const CONCURRENCY = 8;
/** Sales waiting on their fulfilment task at the kill (the issue's 200). */
const WAITING = 200;
/** Clients starting sales until the kill, each with one start in flight: the sales mid-step at it (the issue's 50). */
const STARTERS = 50;
/** Completions sent around the kill: one a client, all at once (the kill comes on the second answer, six still unanswered). */
const IN_FLIGHT = CONCURRENCY;

const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-kill-'));
let cloud: Started | undefined;

interface Ready {
  url: string;
  clientId: string;
  sfn: string;
}

/** The embedded cloud as `npm start` runs it, on `ports` (the same after a restart, so the token issuer stays). */
async function startCloud(ports: Record<string, number>): Promise<Ready> {
  const main = await ensureServerBundle();
  cloud = run(process.execPath, [main], {
    cwd: repoRoot,
    env: {
      ...process.env,
      SHEETFLOW_FUNCTION_BUNDLES: serverBundleDir,
      SHEETFLOW_DATA: dataDir,
      SHEETFLOW_SAMPLE: 'off',
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    },
  });
  const url = (await waitForOutput(cloud, /running at (http:\/\/\S+)/, 120_000))[1];
  const clientId = (await (await fetch(`${url}/config.json`)).json()).auth.clientId as string;
  return { url, clientId, sfn: `http://127.0.0.1:${ports.SFN_PORT}` };
}
const signedIn = async (ready: Ready) => {
  const { email, password } = readDemoAdmin(join(dataDir, 'identity'))!;
  return new ApiClient(ready.url, (await signIn(ready.url, ready.clientId, email, password)).IdToken);
};
const note = (task: string) => `shipped ${task}`;
const complete = (client: ApiClient, task: string) => client.post(`/api/tasks/${task}/complete`, { form: { shippedOn: '2026-12-07', note: note(task) } });

/** The team's unclaimed tasks at `step`, every page: `{instance: task id}`. */
async function offered(client: ApiClient, step = 'Fulfil'): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = (await client.get(`/api/tasks?view=team&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json;
    for (const task of page.items) if (task.step === step) found.set(task.instance, task.id);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/** Requests of one kind sent around the kill: sent, and answered (before the kill, or after it by what the dying process had written). */
class Flight {
  sent = 0;
  answered = 0;
  get unanswered() {
    return this.sent - this.answered;
  }

  /** `request`, counted; undefined if the connection broke (the kill). */
  async send<T>(request: () => Promise<T>): Promise<T | undefined> {
    this.sent++;
    const answer = await request().catch(() => undefined);
    if (answer !== undefined) this.answered++;
    return answer;
  }
}

afterAll(() => {
  if (cloud?.child.exitCode === null) cloud.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

it('goes on after kill -9 with sales waiting, being started and being completed, the engine mid-step: nothing lost, nothing twice', async () => {
  const ports = { PORT: await freePort(), DYNAMODB_PORT: await freePort(), SFN_PORT: await freePort(), S3_PORT: await freePort(), SES_PORT: await freePort() };
  let ready = await startCloud(ports);
  let admin = await signedIn(ready);
  const fulfilment = await team(admin, 'Warehouse');
  const me = (await admin.get('/api/me')).json.sub;
  expect((await admin.patch(`/api/users/${me}`, { version: 1, fields: { teams: [fulfilment] } })).status).toBe(200);
  await configureQuickSale(admin, quickSaleConfig(fulfilment));
  const company = (await admin.post('/api/companies', { name: 'Acme' })).json.id as string;
  const start = (key: string) => startSale(admin, `/api/companies/${company}`, key, order());

  const instanceOf = new Map<string, string>();
  await inParallel(Array.from({ length: WAITING }, (_, i) => `waiting-${i}`), CONCURRENCY, async (key) => {
    const started = await start(key);
    expect(started.status, started.text).toBe(201);
    instanceOf.set(key, started.json.id);
  });
  let tasks = new Map<string, string>();
  await expect.poll(async () => (tasks = await offered(admin)).size, { timeout: 60_000 }).toBe(WAITING);

  // In flight: starts and completions, 8 clients each. Sales are started until the kill; the
  // completions join once a start was answered; the kill comes on the second completion answered.
  // So when it comes, each kind has some answered (applied before the kill) and more than the one
  // just sent unanswered (sent before this turn: on their way or being worked on).
  const inFlight = [...tasks.values()].slice(0, IN_FLIGHT);
  const answered = new Map<string, number>();
  const starts = new Flight();
  const completions = new Flight();
  const startKeys: string[] = [];
  let atKill: { starts: number; completions: number } | undefined;
  const killMidFlight = () => {
    if (atKill || starts.answered < 1 || completions.answered < 2 || starts.unanswered < 2 || completions.unanswered < 2) return;
    atKill = { starts: starts.unanswered, completions: completions.unanswered };
    cloud!.child.kill('SIGKILL');
  };
  let startAnswered!: () => void;
  const aStartAnswered = new Promise<void>((resolve) => (startAnswered = resolve));
  const flights = Promise.all([
    ...Array.from({ length: STARTERS }, async () => {
      while (!atKill) {
        const key = `mid-step-${startKeys.length}`;
        startKeys.push(key);
        const started = await starts.send(() => start(key));
        if (!started && !atKill) throw new Error(`the cloud stopped answering before the kill:\n${cloud!.output()}`);
        if (started?.status === 201) instanceOf.set(key, started.json.id);
        if (started) startAnswered();
        killMidFlight();
      }
    }),
    aStartAnswered.then(() =>
      inParallel(inFlight, CONCURRENCY, async (task) => {
        if (atKill) return;
        const done = await completions.send(() => complete(admin, task));
        if (done) answered.set(task, done.status);
        killMidFlight();
      }),
    ),
  ]);
  await flights;
  expect(atKill, `never both kinds in flight: ${JSON.stringify({ starts, completions })}`).toBeDefined();
  await cloud!.exited;
  // Each starter sends its next start as soon as one is answered: at the kill nearly all are in flight.
  expect(atKill!.starts).toBeGreaterThanOrEqual(STARTERS / 2);
  expect(atKill!.completions).toBeGreaterThanOrEqual(2);
  expect(answered.size).toBeLessThan(IN_FLIGHT);
  expect([...answered.values()].every((status) => status === 200 || status === 202)).toBe(true);

  ready = await startCloud(ports);
  admin = await signedIn(ready);
  // What got no answer is sent again: a start answers the instance it started (or starts it), a completion is taken now or was recorded before (409, on its way).
  await inParallel(startKeys, CONCURRENCY, async (key) => {
    const again = await start(key);
    expect(again.status, again.text).toBe(201);
    expect(again.json.id).toBe(instanceOf.get(key) ?? again.json.id);
    instanceOf.set(key, again.json.id);
  });
  await inParallel(
    inFlight.filter((task) => !answered.has(task)),
    CONCURRENCY,
    async (task) => {
      const again = await complete(admin, task);
      expect([200, 202, 409], again.text).toContain(again.status);
      if (again.status === 409) expect(['completing', 'done']).toContain(again.json.error.current.status);
    },
  );

  // Every other task is offered (the ones mid-step too) and completed.
  const instances = [...new Set(instanceOf.values())];
  expect(instances).toHaveLength(WAITING + startKeys.length);
  const rest = new Set(instances.filter((instance) => !inFlight.includes(tasks.get(instance)!)));
  await expect.poll(async () => [...(await offered(admin)).keys()].filter((instance) => rest.has(instance)).length, { timeout: 60_000 }).toBe(rest.size);
  const restTasks = await offered(admin);
  await inParallel([...rest], CONCURRENCY, async (instance) => {
    const done = await complete(admin, restTasks.get(instance)!);
    expect([200, 202], done.text).toContain(done.status);
  });

  // Then quality control, every sale's.
  await expect.poll(async () => (await offered(admin, 'Quality control')).size, { timeout: 60_000 }).toBe(instances.length);
  await inParallel([...(await offered(admin, 'Quality control')).values()], CONCURRENCY, async (task) => {
    const rated = await admin.post(`/api/tasks/${task}/complete`, { form: { rating: 5 } });
    expect([200, 202], rated.text).toContain(rated.status);
  });

  // Every instance ended, its fulfilment one task whose completion the execution took once, with its values.
  await inParallel(instances, CONCURRENCY, async (instance) => {
    await expect.poll(async () => (await admin.get(`/api/processes/instances/${instance}`)).json.status, { timeout: 60_000 }).toBe('completed');
  });
  const sfn = new SFNClient({ endpoint: ready.sfn, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: `http://127.0.0.1:${ports.DYNAMODB_PORT}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  try {
    const machine = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines!.find((m) => m.name === 'quick-sale')!.stateMachineArn!;
    /** Executions a step of which was under way at the kill: begun (saved before its call), then begun again after the restart. */
    const midStep = new Set<string>();
    await inParallel(instances, CONCURRENCY, async (instance) => {
      const tasksOf = async () => (await db.send(new QueryCommand({ TableName: TABLE.name, IndexName: 'gsi4', KeyConditionExpression: 'gsi4pk = :pk', ExpressionAttributeValues: { ':pk': `T#${TENANT}#TASK#INSTANCE#${instance}` } }))).Items ?? [];
      // A completion the dying API had sent, and not yet marked done, is marked by the stream once
      // its delivery lease (10 s from the answer) has passed: the instance may have ended before.
      let items: Awaited<ReturnType<typeof tasksOf>> = [];
      await expect.poll(async () => (items = await tasksOf()).map((item) => [item.step, item.status]).sort(), { timeout: 60_000 }).toEqual([['Fulfil', 'done'], ['Quality control', 'done']]);
      const fulfilTask = items.find((item) => item.step === 'Fulfil')!;
      const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:${instance}`;
      const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: true }))).events ?? [];
      const answers = events.filter((e) => e.type === 'TaskSucceeded' && e.taskSucceededEventDetails?.resource === 'invoke.waitForTaskToken').map((e) => JSON.parse(e.taskSucceededEventDetails!.output!));
      // A quick sale runs one step at a time, so a task begun again right after it began is one the kill interrupted.
      if (events.some((e, i) => e.type === 'TaskScheduled' && events[i - 1]?.type === 'TaskStarted')) midStep.add(instance);
      const fulfilled = answers.filter((answer) => answer.task === fulfilTask.id);
      expect(fulfilled).toHaveLength(1);
      expect(fulfilled[0].values.note).toBe(note(fulfilTask.id));
      expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    });
    expect(midStep.size, 'no step was under way at the kill').toBeGreaterThan(0);
  } finally {
    sfn.destroy();
    db.destroy();
  }
}, 420_000);
