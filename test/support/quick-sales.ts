/**
 * What the process tests share: a cloud with a tenant, its administrator (a member of the
 * fulfilment team) and a company; the tenant's quick sale configured so that the fulfilment team
 * fulfils and rates it (quality control at once, no working days after); quick sales started
 * through the API; their tasks found and completed as a team member does; the SFN client on the
 * engine, and the executions' histories read through it; a cloud started with all of these and a
 * document client on its table, for a file of process tests.
 */
import { expect, vi } from 'vitest';
import { GetExecutionHistoryCommand, SFNClient, type GetExecutionHistoryCommandInput } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../local/states/clock.ts';
import { startTestCloud, type ApiClient, type ApiResponse, type TestCloud } from './cloud.ts';
import { team } from './people.ts';

export interface QuickSales {
  admin: ApiClient;
  adminSub: string;
  /** The fulfilment team (the administrator is in it): it fulfils and rates the tenant's sales. */
  fulfilment: string;
  company: string;
  sfn: SFNClient;
  /** The quick sale's state machine (not an alias or version). */
  machine: string;
}

/** The form of the one fulfilment step `quickSaleConfig` configures. */
export const FULFILMENT_FORM = {
  fields: [
    { key: 'shippedOn', label: 'Shipped on', type: 'date', required: true },
    { key: 'note', label: 'Note', type: 'long_text' },
  ],
};

/** A configuration of the quick sale: one fulfilment step for `fulfilment`, rated by `qc` (or the same team) at once; `change` overrides. */
export const quickSaleConfig = (fulfilment: string | null, change: Record<string, unknown> = {}) => ({
  fulfilment: [{ name: 'Fulfil the order', team: fulfilment, form: FULFILMENT_FORM, due: { amount: 3, unit: 'days' } }],
  qc: { team: fulfilment, delay: 0, threshold: 3, due: { amount: 2, unit: 'days' } },
  followUp: { due: { amount: 2, unit: 'days' } },
  reminderShare: 0.5,
  escalation: 'supervisor',
  ...change,
});

/** Saves the tenant's configuration as an administrator, over whatever version it is at. */
export async function configureQuickSale(admin: ApiClient, config: Record<string, unknown>): Promise<ApiResponse> {
  const { version } = (await admin.get('/api/processes/quick-sale/config')).json;
  const saved = await admin.put('/api/processes/quick-sale/config', { version, config });
  expect(saved.status, saved.text).toBe(200);
  return saved;
}

export async function quickSales(cloud: TestCloud, tenant: string): Promise<QuickSales> {
  const admin = await cloud.userOf(tenant);
  const adminSub = (await admin.get('/api/me')).json.sub as string;
  const fulfilment = await team(admin, 'Warehouse');
  expect((await admin.patch(`/api/users/${adminSub}`, { version: 1, fields: { teams: [fulfilment] } })).status).toBe(200);
  await configureQuickSale(admin, quickSaleConfig(fulfilment));
  const company = (await admin.post('/api/companies', { name: 'Acme' })).json.id as string;
  const sfn = new SFNClient({ endpoint: cloud.sfnEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return { admin, adminSub, fulfilment, company, sfn, machine: cloud.states.stateMachineArns['quick-sale'] };
}

/** A file's cloud on `statesClock` with the tenant's quick sales, and a document client on its table (for items the API does not show); `stop` ends all three. */
export interface SalesCloud {
  cloud: TestCloud;
  sales: QuickSales;
  db: DynamoDBDocumentClient;
  stop: () => Promise<void>;
}

export async function startSalesCloud(tenant: string, statesClock: Clock): Promise<SalesCloud> {
  const cloud = await startTestCloud({ statesClock });
  try {
    const sales = await quickSales(cloud, tenant);
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: cloud.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    const stop = async () => {
      db.destroy();
      sales.sfn.destroy();
      await cloud.stop();
    };
    return { cloud, sales, db, stop };
  } catch (err) {
    // The file's afterAll has nothing to stop yet: the cloud would outlive the file.
    await cloud.stop();
    throw err;
  }
}

/** Makes `sub` the supervisor of `teamId`, over whatever version the team is at. */
export async function supervise(admin: ApiClient, teamId: string, sub: string): Promise<void> {
  const { version } = (await admin.get('/api/teams')).json.items.find((t: { id: string }) => t.id === teamId);
  const supervised = await admin.patch(`/api/teams/${teamId}`, { version, fields: { supervisor: sub } });
  expect(supervised.status, supervised.text).toBe(200);
}

/** A product line of an order. */
export const line = (name: string, quantity: number, unitPrice = '10.00', extra: Record<string, unknown> = {}) => ({ name, quantity, unitPrice: { amount: unitPrice, currency: 'EUR' }, ...extra });

/** A valid order: one line, delivered somewhere; `extra` overrides. */
export const order = (extra: Record<string, unknown> = {}) => ({ lines: [line('Widget', 2)], delivery: { address: '1 Harbour Road, Portsmouth', date: '2026-12-20' }, ...extra });

const times = <T>(n: number, item: (i: number) => T) => Array.from({ length: n }, (_, i) => item(i));

/** An order whose JSON is `n` bytes: 100 lines of three-byte names, and notes making up the rest (three-byte characters as far as needed). */
export function orderOfBytes(n: number) {
  const lines = times(100, (i) => line(`${'€'.repeat(150)}${String(i).padStart(3, '0')}`, 1));
  const need = n - Buffer.byteLength(JSON.stringify(order({ lines, notes: '' })));
  const wide = Math.max(0, Math.ceil((need - 10_000) / 2));
  return order({ lines, notes: `${'€'.repeat(wide)}${'x'.repeat(need - 3 * wide)}` });
}

/** A fulfilment step of the whole day's due, for whoever takes the order, with these form fields. */
export const fulfilmentStep = (name: string, fields: unknown[] = []) => ({ name, team: null, form: { fields }, due: { amount: 1, unit: 'days' } });

/** A configuration whose JSON is `n` bytes: ten steps of 50 text fields, their labels as long as it takes. */
export function configOfBytes(n: number) {
  const steps = times(10, (s) => fulfilmentStep(`Step ${s}`, times(50, (f) => ({ key: `f${f}`, label: 'x', type: 'text' }))));
  let need = n - Buffer.byteLength(JSON.stringify(quickSaleConfig(null, { fulfilment: steps })));
  for (const field of steps.flatMap((step) => step.form.fields as Array<{ label: string }>)) {
    const more = Math.min(need, 199);
    field.label += 'x'.repeat(more);
    need -= more;
  }
  return quickSaleConfig(null, { fulfilment: steps });
}

/** How a sale rated 5 by `fulfil` ends. */
export const RATED_FIVE = 'fulfilled, rated 5 of 5';

export const startSale = (client: ApiClient, recordPath: string, key: string, input: unknown, process = 'quick-sale'): Promise<ApiResponse> =>
  client.post(`${recordPath}/processes`, { process, idempotencyKey: key, input });

/** Idempotency keys of the sales `saleWaiting` starts, one apart. */
let keys = 0;

/** A quick sale started on `company` (the tenant's by default), waiting on its fulfilment task as `member` of the fulfilment team finds it. */
export async function saleWaiting(quick: QuickSales, member: ApiClient, company = quick.company): Promise<{ instance: string; task: any }> {
  const started = await startSale(quick.admin, `/api/companies/${company}`, `sale-${++keys}`, order());
  expect(started.status, started.text).toBe(201);
  return { instance: started.json.id, task: await fulfilmentTask(member, started.json.id) };
}

export const executionArn = (quick: QuickSales, instance: string) => `${quick.machine.replace(':stateMachine:', ':execution:')}:${instance}`;

/** The instance's execution history (oldest first unless `options` say otherwise). */
export const executionHistory = async (quick: QuickSales, instance: string, options: Partial<GetExecutionHistoryCommandInput> = {}) =>
  (await quick.sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn(quick, instance), maxResults: 1000, ...options }))).events ?? [];

/** The instance once its state machine has written it to `step` (or past it, `ended`). */
export async function instanceAt(client: ApiClient, id: string, expected: { step?: string; ended?: boolean }) {
  // vi.waitFor, not expect.poll: setups (beforeAll) wait for instances too.
  return vi.waitFor(
    async () => {
      const instance = (await client.get(`/api/processes/instances/${id}`)).json;
      expect(expected.ended ? instance?.status !== 'running' : instance?.step === expected.step, JSON.stringify(instance)).toBe(true);
      return instance;
    },
    { timeout: 20_000, interval: 50 },
  );
}

/** The instance's open task at `step`, as `client` finds it among their teams' unclaimed tasks (`team`) or their own (`mine`). */
export async function taskAt(client: ApiClient, instance: string, step: string, view: 'team' | 'mine' = 'team') {
  return vi.waitFor(
    async () => {
      const task = (await client.get(`/api/tasks?view=${view}&limit=100`)).json.items.find((t: { instance: string; step: string }) => t.instance === instance && t.step === step);
      expect(task, `no task of ${instance} at ${step} offered`).toBeDefined();
      return task;
    },
    { timeout: 20_000, interval: 50 },
  );
}

/** The instance's open fulfilment task, as a member of its team finds it (its teams' unclaimed tasks). */
export const fulfilmentTask = (member: ApiClient, instance: string) => taskAt(member, instance, 'Fulfil');

/** Fulfils the instance's task as `member`, rates it 5 (`member` in the QC team too) and waits for the instance to end. */
export async function fulfil(member: ApiClient, instance: string) {
  for (const [step, form] of [['Fulfil', { shippedOn: '2026-12-07' }], ['Quality control', { rating: 5 }]] as const) {
    const task = await taskAt(member, instance, step);
    const done = await member.post(`/api/tasks/${task.id}/complete`, { form });
    // 202: taken, its delivery (raced by the stream's copy) not yet decided.
    expect([200, 202], done.text).toContain(done.status);
  }
  return instanceAt(member, instance, { ended: true });
}
