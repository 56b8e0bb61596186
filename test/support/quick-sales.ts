/**
 * What the process tests share: a cloud with a tenant, its administrator (a member of the
 * fulfilment team) and a company; quick sales started through the API; their fulfilment tasks
 * found and completed as a team member does; the SFN client on the engine.
 */
import { expect, vi } from 'vitest';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { ApiClient, ApiResponse, TestCloud } from './cloud.ts';
import { team } from './people.ts';

export interface QuickSales {
  admin: ApiClient;
  adminSub: string;
  /** The fulfilment team (the administrator is in it). */
  fulfilment: string;
  company: string;
  sfn: SFNClient;
  /** The quick sale's state machine (not an alias or version). */
  machine: string;
}

export async function quickSales(cloud: TestCloud, tenant: string): Promise<QuickSales> {
  const admin = await cloud.userOf(tenant);
  const adminSub = (await admin.get('/api/me')).json.sub as string;
  const fulfilment = await team(admin, 'Warehouse');
  expect((await admin.patch(`/api/users/${adminSub}`, { version: 1, fields: { teams: [fulfilment] } })).status).toBe(200);
  const company = (await admin.post('/api/companies', { name: 'Acme' })).json.id as string;
  const sfn = new SFNClient({ endpoint: cloud.sfnEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return { admin, adminSub, fulfilment, company, sfn, machine: cloud.states.stateMachineArns['quick-sale'] };
}

export const order = (fulfilmentTeam: string, extra: Record<string, unknown> = {}) => ({ fulfilmentTeam, lines: [{ description: 'Widget', quantity: 2 }], ...extra });

export const startSale = (client: ApiClient, recordPath: string, key: string, input: unknown, process = 'quick-sale'): Promise<ApiResponse> =>
  client.post(`${recordPath}/processes`, { process, idempotencyKey: key, input });

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

/** The instance's open fulfilment task, as a member of its team finds it (its teams' unclaimed tasks). */
export async function fulfilmentTask(member: ApiClient, instance: string) {
  return vi.waitFor(
    async () => {
      const task = (await member.get('/api/tasks?view=team&limit=100')).json.items.find((t: { instance: string }) => t.instance === instance);
      expect(task, `no task of ${instance} offered`).toBeDefined();
      return task;
    },
    { timeout: 20_000, interval: 50 },
  );
}

/** Fulfils the instance's task as `member` and waits for the instance to end. */
export async function fulfil(member: ApiClient, instance: string) {
  const task = await fulfilmentTask(member, instance);
  const done = await member.post(`/api/tasks/${task.id}/complete`, { form: { shippedOn: '2026-12-07' } });
  // 202: taken, and its delivery (raced by the stream's copy) not yet decided.
  expect([200, 202], done.text).toContain(done.status);
  return instanceAt(member, instance, { ended: true });
}
