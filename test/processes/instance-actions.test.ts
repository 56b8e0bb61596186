/**
 * What people do to instances and their tasks (one cloud for the file, the engine on a clock the
 * test moves): cancel a running quick sale with a reason (its task closes with it); a step that
 * fails for real (the sale's company is in the trash when it closes) retries with backoff, the
 * instance shows failed with its error and cause, and once the company is restored a retry runs
 * it on from that step; a supervisor reassigns tasks of their team, one result per task; a custom
 * role that follows instances without starting them neither cancels nor retries one; the change
 * feed names an instance's changes to those who see it, a notification to its recipient alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AdjustableClock } from '../../local/states/clock.ts';
import { TABLE } from '../../infra/app-resources.ts';
import { MAX_REASSIGN } from '../../functions/contracts/tasks.ts';
import type { ApiClient, TestCloud } from '../support/cloud.ts';
import { OWN_EVERYTHING, person, team, withCustomRole, type Person } from '../support/people.ts';
import { executionHistory, fulfil, instanceAt, RATED_FIVE, saleWaiting as saleWaitingOn, startSalesCloud, supervise, taskAt, type QuickSales } from '../support/quick-sales.ts';

const TENANT = 'instance-actions';
const clock = new AdjustableClock();
let cloud: TestCloud;
let sales: QuickSales;
let db: DynamoDBDocumentClient;
let stop: (() => Promise<void>) | undefined;
/** A member of the fulfilment team; a service agent (reads companies, changes none); the supervisor of the fulfilment team (no member of it); a member of another team. */
let ann: Person;
let agent: Person;
let sup: Person;
let other: Person;
let otherTeam: string;

const saleWaiting = (company = sales.company) => saleWaitingOn(sales, ann.client, company);
const history = (instance: string) => executionHistory(sales, instance);
const cancel = (client: ApiClient, instance: string, reason: unknown = 'the client changed their mind') => client.post(`/api/processes/instances/${instance}/cancel`, { reason });
const retry = (client: ApiClient, instance: string) => client.post(`/api/processes/instances/${instance}/retry`, {});
const reassign = (client: ApiClient, tasks: unknown, to: unknown) => client.post('/api/tasks/reassign', { tasks, to });
const complete = (client: ApiClient, id: string) => client.post(`/api/tasks/${id}/complete`, { form: { shippedOn: '2026-12-07' } });
/** The instance item as stored (its subject in the trash hides it from the API). */
const storedInstance = async (id: string) => (await db.send(new GetCommand({ TableName: TABLE.name, Key: { pk: `T#${TENANT}#PROCESS#${id}`, sk: 'INSTANCE' } }))).Item;

beforeAll(async () => {
  ({ cloud, sales, db, stop } = await startSalesCloud(TENANT, clock));
  ann = await person(cloud, TENANT, 'sales-representative', sales.admin, [sales.fulfilment]);
  agent = await person(cloud, TENANT, 'service-agent');
  sup = await person(cloud, TENANT, 'sales-manager');
  otherTeam = await team(sales.admin, 'Couriers');
  other = await person(cloud, TENANT, 'sales-representative', sales.admin, [otherTeam]);
  await supervise(sales.admin, sales.fulfilment, sup.sub);
}, 120_000);
afterAll(() => stop?.());

describe('cancel', () => {
  it('stops the instance with the reason: it ends aborted with it, and its open task closes with it', async () => {
    const { instance, task } = await saleWaiting();
    const cancelled = await cancel(sales.admin, instance, 'r'.repeat(2_000));
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json).toMatchObject({ id: instance, status: 'aborted', step: null, outcome: { error: 'Cancelled', cause: 'r'.repeat(2_000) } });
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json).toMatchObject({ status: 'cancelled', closed: { reason: expect.stringContaining(`Cancelled: ${'r'.repeat(2_000)}`) } });
    // Again: answered as it is; the execution was stopped once.
    const again = await cancel(sales.admin, instance, 'another reason');
    expect(again.status, again.text).toBe(200);
    expect(again.json).toEqual((await sales.admin.get(`/api/processes/instances/${instance}`)).json);
    expect(again.json.outcome.cause).toBe('r'.repeat(2_000));
    expect((await history(instance)).filter((e) => e.type === 'ExecutionAborted')).toHaveLength(1);
    // Its task is no longer anyone's to complete.
    expect((await complete(ann.client, task.id)).status).toBe(409);
  });

  it('takes one of many copies sent at once: each answers the same aborted instance', async () => {
    const { instance } = await saleWaiting();
    const answers = await Promise.all(['one', 'two', 'three'].map((reason) => cancel(sales.admin, instance, reason)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.json.outcome.cause)).size).toBe(1);
    expect(answers.every((a) => a.json.status === 'aborted')).toBe(true);
    expect((await history(instance)).filter((e) => e.type === 'ExecutionAborted')).toHaveLength(1);
  });

  it('refuses an instance that ended otherwise (409), a bad reason (400), a role that does not see it (404: a service agent sees its own instances only), another tenant (404)', async () => {
    const { instance, task } = await saleWaiting();
    for (const [reason, status] of [[' ', 400], ['r'.repeat(2_001), 400], [7, 400]] as const) {
      const refused = await cancel(sales.admin, instance, reason);
      expect([refused.status, refused.json.error.issues[0].path]).toEqual([status, 'reason']);
    }
    expect((await sales.admin.post(`/api/processes/instances/${instance}/cancel`, {})).json.error.issues[0].path).toBe('reason');
    // A service agent sees only the instances it started or was offered a step of (its role's
    // process scope): another's does not exist for it, as for another tenant.
    expect((await cancel(agent.client, instance)).status).toBe(404);
    const stranger = await cloud.userOf('instance-actions-b');
    expect((await cancel(stranger, instance)).status).toBe(404);
    expect((await cancel(sales.admin, '0'.repeat(32))).status).toBe(404);
    expect((await sales.admin.get(`/api/processes/instances/${instance}`)).json.status).toBe('running');

    expect(task.instance).toBe(instance);
    await fulfil(ann.client, instance);
    const ended = await cancel(sales.admin, instance);
    expect(ended.status, ended.text).toBe(409);
    expect(ended.json.error).toMatchObject({ code: 'InstanceEnded', current: { status: 'completed' } });
  });
});

describe('a custom role', () => {
  /** Every record of every type, to read and change: only its process rights differ. */
  const everyRecord = (name: string, processes: Record<string, unknown>) => ({
    ...OWN_EVERYTHING,
    name,
    types: Object.fromEntries(Object.entries(OWN_EVERYTHING.types).map(([type, access]) => [type, { ...access, scope: 'all' }])),
    processes,
  });

  it('that follows the instances but does not start the process is refused cancel and retry (403); one that sees none finds none (404)', async () => {
    const follower = await withCustomRole(cloud, TENANT, sales.admin, everyRecord('Follows sales', { 'quick-sale': { start: false, see: 'all' } }));
    const blind = await withCustomRole(cloud, TENANT, sales.admin, everyRecord('No processes', {}));
    const { instance } = await saleWaiting();
    expect((await follower.client.get(`/api/processes/instances/${instance}`)).status).toBe(200);
    expect((await blind.client.get(`/api/processes/instances/${instance}`)).status).toBe(404);
    for (const act of [cancel, retry]) {
      const refused = await act(follower.client, instance);
      expect([refused.status, refused.json.error.code], refused.text).toEqual([403, 'Forbidden']);
      expect((await act(blind.client, instance)).status).toBe(404);
    }
    expect((await sales.admin.get(`/api/processes/instances/${instance}`)).json.status).toBe('running');
    expect((await cancel(sales.admin, instance)).status).toBe(200);
  });
});

describe('the change feed', () => {
  const cursorOf = async (client: ApiClient) => (await client.get('/api/changes')).json.cursor as string;
  const entriesAfter = async (client: ApiClient, cursor: string) => (await client.get(`/api/changes?after=${encodeURIComponent(cursor)}&limit=1000`)).json.items as any[];
  /** The entries after `cursor` once one of them is of `type` and `id`. */
  const entriesWith = async (client: ApiClient, cursor: string, type: string, id: string) => {
    await expect.poll(async () => (await entriesAfter(client, cursor)).some((entry) => entry.type === type && entry.id === id), { timeout: 20_000 }).toBe(true);
    return entriesAfter(client, cursor);
  };

  it('names an instance\'s changes, with its subject, to whoever sees the instance; a notification to its recipient alone', async () => {
    const [annAt, agentAt, otherAt, adminAt] = await Promise.all([ann.client, agent.client, other.client, sales.admin].map(cursorOf));
    const { instance, task } = await saleWaiting();
    // Ann (a teammate of the company's owner, whose role follows every sale) hears of it, and of her notification.
    const annSees = await entriesWith(ann.client, annAt, 'INSTANCE', instance);
    expect(annSees.find((entry) => entry.type === 'INSTANCE' && entry.id === instance)).toMatchObject({ subject: { type: 'company', id: sales.company } });
    expect(Object.keys(annSees.find((entry) => entry.type === 'INSTANCE')!)).not.toContain('instance');
    const [told] = (await ann.client.get('/api/notifications?limit=100')).json.items.filter((n: any) => n.link.task === task.id);
    await entriesWith(ann.client, annAt, 'NOTIFICATION', told.id);

    // Changes made after those, which each of the others sees: once they are there, so would the instance's be.
    const shared = (await sales.admin.post('/api/companies', { name: 'After the sale' })).json.id;
    const own = (await other.client.post('/api/companies', { name: 'Courier Co' })).json.id;
    const [agentSees, otherSees, adminSees] = await Promise.all([
      entriesWith(agent.client, agentAt, 'COMPANY', shared),
      entriesWith(other.client, otherAt, 'COMPANY', own),
      entriesWith(sales.admin, adminAt, 'COMPANY', shared),
    ]);
    // A service agent follows only instances offered to it or its teams; a representative of another team does not see the company.
    expect(agentSees.filter((entry) => entry.type === 'INSTANCE' || entry.type === 'NOTIFICATION')).toEqual([]);
    expect(otherSees.filter((entry) => entry.type === 'INSTANCE' || entry.type === 'NOTIFICATION')).toEqual([]);
    // The administrator sees the instance, and their own notification, not Ann's.
    expect(adminSees.some((entry) => entry.type === 'INSTANCE' && entry.id === instance)).toBe(true);
    expect(adminSees.filter((entry) => entry.type === 'NOTIFICATION' && entry.id === told.id)).toEqual([]);
  });
});

describe('a step that fails', () => {
  it('retries with backoff, then the instance shows failed with its error; restored, a retry goes on from that step', async () => {
    const company = (await sales.admin.post('/api/companies', { name: 'Soon in the trash' })).json;
    const { instance, task } = await saleWaiting(company.id);
    expect((await sales.admin.delete(`/api/companies/${company.id}?version=${company.version}`)).status).toBe(204);
    expect([200, 202]).toContain((await complete(ann.client, task.id)).status);
    const rating = await taskAt(ann.client, instance, 'Quality control');
    expect([200, 202]).toContain((await ann.client.post(`/api/tasks/${rating.id}/complete`, { form: { rating: 5 } })).status);
    // Closing refuses a sale whose company is in the trash; the definition retries it (2 s, doubling, 6 times) on the engine's clock.
    await expect
      .poll(
        async () => {
          clock.advance(70_000);
          return (await storedInstance(instance))?.status;
        },
        { timeout: 20_000 },
      )
      .toBe('failed');
    const closeAttempts = (await history(instance)).filter((e) => e.type === 'TaskFailed' && e.taskFailedEventDetails?.error === 'SubjectRecordGoneError');
    expect(closeAttempts).toHaveLength(7);
    // Hidden with its company while it is in the trash.
    expect((await retry(sales.admin, instance)).status).toBe(404);

    expect((await sales.admin.post(`/api/companies/${company.id}/restore`, {})).status).toBe(200);
    const failed = (await sales.admin.get(`/api/processes/instances/${instance}`)).json;
    expect(failed).toMatchObject({ status: 'failed', outcome: { error: 'SubjectRecordGoneError', cause: expect.stringContaining('is in the trash or gone: restore it, then retry the process') } });
    expect(failed.outcome.cause).not.toContain('trace');
    expect((await retry(agent.client, instance)).status).toBe(404);

    // Copies at once redrive it once; each answers it running again (or, that quick, closed by the step run again).
    const retried = await Promise.all([1, 2, 3].map(() => retry(sales.admin, instance)));
    expect(retried.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const { json } of retried) expect(json.status === 'running' ? [json.endedAt, json.outcome, json.retries] : [json.status, json.retries]).toEqual(json.status === 'running' ? [null, null, 1] : ['completed', 1]);
    expect(await instanceAt(sales.admin, instance, { ended: true })).toMatchObject({ status: 'completed', retries: 1, outcome: { result: RATED_FIVE } });
    const events = await history(instance);
    expect(events.filter((e) => e.type === 'ExecutionRedriven')).toHaveLength(1);
    // From the failed step: the fulfilment was not offered again.
    expect(events.filter((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Fulfil')).toHaveLength(1);
    // A late copy of the failure's status event changes nothing now; a retry of a completed instance is 409.
    const done = await retry(sales.admin, instance);
    expect([done.status, done.json.error.code]).toEqual([409, 'InstanceNotFailed']);
  });

  it('answers a running instance as it is, and refuses a cancelled one (409)', async () => {
    const { instance } = await saleWaiting();
    const running = await retry(sales.admin, instance);
    expect([running.status, running.json.status]).toEqual([200, 'running']);
    expect((await cancel(sales.admin, instance)).status).toBe(200);
    const cancelled = await retry(sales.admin, instance);
    expect([cancelled.status, cancelled.json.error.code, cancelled.json.error.current.status]).toEqual([409, 'InstanceNotFailed', 'aborted']);
  });
});

describe('reassign', () => {
  it('by the team\'s supervisor: one result per task; the task and the instance follow it', async () => {
    const [first, second] = [await saleWaiting(), await saleWaiting()];
    // The supervisor sees the team's task without being in the team; a member of another team does not.
    expect((await sup.client.get(`/api/tasks/${first.task.id}`)).status).toBe(200);
    expect((await other.client.get(`/api/tasks/${first.task.id}`)).status).toBe(403);
    // A member may not: refused per task, nothing changes.
    const byMember = await reassign(ann.client, [first.task.id], { user: ann.sub });
    expect(byMember.status, byMember.text).toBe(200);
    expect(byMember.json.results).toEqual([{ id: first.task.id, result: 'refused', code: 'Forbidden', reason: expect.any(String) }]);

    const answer = await reassign(sup.client, [first.task.id, '0'.repeat(32), second.task.id], { user: other.sub });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.results).toMatchObject([
      { id: first.task.id, result: 'done', task: { assignee: other.sub, team: sales.fulfilment, status: 'claimed', version: 2 } },
      { id: '0'.repeat(32), result: 'refused', code: 'NotFound' },
      { id: second.task.id, result: 'done', task: { assignee: other.sub, status: 'claimed' } },
    ]);
    expect((await other.client.get('/api/tasks?view=mine')).json.items.map((t: any) => t.id)).toEqual(expect.arrayContaining([first.task.id, second.task.id]));
    expect((await ann.client.get('/api/tasks?view=team&limit=100')).json.items.map((t: any) => t.id)).not.toContain(first.task.id);
    expect((await sales.admin.get(`/api/processes/instances/${first.instance}`)).json.assignee).toEqual({ user: other.sub });
    // Now it is theirs to complete, not the team's.
    expect((await complete(ann.client, first.task.id)).status).toBe(403);
    expect([200, 202]).toContain((await complete(other.client, first.task.id)).status);
    await instanceAt(sales.admin, first.instance, { step: 'Quality control' });
    const answered = await reassign(sup.client, [first.task.id], { team: otherTeam });
    expect(answered.json.results[0]).toMatchObject({ result: 'refused', code: 'TaskNotOpen', task: { id: first.task.id } });

    // To a team: unclaimed, for its members.
    const toTeam = await reassign(sales.admin, [second.task.id], { team: otherTeam });
    expect(toTeam.json.results[0]).toMatchObject({ result: 'done', task: { assignee: null, team: otherTeam, status: 'open' } });
    expect((await other.client.get('/api/tasks?view=team&limit=100')).json.items.map((t: any) => t.id)).toContain(second.task.id);
    expect((await sales.admin.get(`/api/processes/instances/${second.instance}`)).json.assignee).toEqual({ team: otherTeam });
  });

  it('takes copies sent at once as one change', async () => {
    const { task } = await saleWaiting();
    const answers = await Promise.all([1, 2, 3, 4].map(() => reassign(sup.client, [task.id], { user: ann.sub })));
    expect(answers.map((a) => [a.status, a.json.results[0].result])).toEqual(Array(4).fill([200, 'done']));
    expect((await ann.client.get(`/api/tasks/${task.id}`)).json).toMatchObject({ assignee: ann.sub, version: 2 });
  });

  it('refuses bad input naming the field, and takes at most 100 tasks', async () => {
    const { task } = await saleWaiting();
    const cases: Array<[unknown, unknown, string[]]> = [
      [[], { user: ann.sub }, ['tasks']],
      [Array(MAX_REASSIGN + 1).fill(task.id), { user: ann.sub }, ['tasks']],
      [['x'], { user: ann.sub }, ['tasks.0']],
      [[task.id], {}, ['to']],
      [[task.id], { user: 'nobody' }, ['to.user']],
      [[task.id], { team: 'no-such-team' }, ['to.team']],
    ];
    for (const [tasks, to, paths] of cases) {
      const refused = await reassign(sup.client, tasks, to);
      expect(refused.status, refused.text).toBe(400);
      expect(refused.json.error.issues.map((i: { path: string }) => i.path)).toEqual(paths);
    }
    expect((await ann.client.get(`/api/tasks/${task.id}`)).json.version).toBe(1);
    const atLimit = await reassign(sup.client, [task.id, ...Array.from({ length: MAX_REASSIGN - 1 }, (_, i) => i.toString(16).padStart(32, '0'))], { user: ann.sub });
    expect(atLimit.status, atLimit.text).toBe(200);
    expect(atLimit.json.results).toHaveLength(MAX_REASSIGN);
    expect(atLimit.json.results[0]).toMatchObject({ result: 'done' });
    expect(atLimit.json.results.slice(1).every((r: any) => r.code === 'NotFound')).toBe(true);
  });
});
