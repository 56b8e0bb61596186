/**
 * What the inbox reads of human tasks (one cloud for the file): the change feed names a task's
 * changes to whoever may show it (its holder, its team's members, the team's supervisor,
 * administrators) and to no one else; a supervisor lists their teams' unanswered tasks, claimed
 * ones too; a user lists the tasks they answered, latest first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../local/states/clock.ts';
import type { ApiClient, TestCloud } from '../support/cloud.ts';
import { person, type Person } from '../support/people.ts';
import { saleWaiting as saleWaitingOn, startSalesCloud, supervise, type QuickSales } from '../support/quick-sales.ts';

const TENANT = 'inbox-a';
const clock = new AdjustableClock();
let cloud: TestCloud;
let sales: QuickSales;
let stop: (() => Promise<void>) | undefined;
/** A member of the fulfilment team, its supervisor (no member), a user of another team, a user in no team. */
let ann: Person;
let sue: Person;
let other: Person;
let outsider: Person;

const saleWaiting = () => saleWaitingOn(sales, ann.client);

/** A watcher of the feed as `client`: the entries about tasks it was handed since it started. */
async function feedOf(client: ApiClient) {
  let cursor = (await client.get('/api/changes')).json.cursor as string;
  const seen: any[] = [];
  return async (): Promise<any[]> => {
    const page = (await client.get(`/api/changes?after=${encodeURIComponent(cursor)}&limit=1000`)).json;
    cursor = page.cursor;
    seen.push(...page.items.filter((entry: any) => entry.type === 'TASK'));
    return seen;
  };
}

const ids = (page: { json: { items: Array<{ id: string }> } }) => page.json.items.map((task) => task.id);

beforeAll(async () => {
  ({ cloud, sales, stop } = await startSalesCloud(TENANT, clock));
  const elsewhere = (await sales.admin.post('/api/teams', { name: 'Accounts', supervisor: null })).json.id as string;
  ann = await person(cloud, TENANT, 'sales-representative', sales.admin, [sales.fulfilment]);
  sue = await person(cloud, TENANT, 'sales-manager');
  other = await person(cloud, TENANT, 'sales-representative', sales.admin, [elsewhere]);
  outsider = await person(cloud, TENANT, 'sales-representative');
  await supervise(sales.admin, sales.fulfilment, sue.sub);
}, 120_000);
afterAll(() => stop?.());

describe('the change feed', () => {
  it('names a task offered, claimed and completed to its team, its holder, its supervisor and administrators, and to no one else', async () => {
    const [annSees, sueSees, adminSees, otherSees, outsiderSees] = await Promise.all([ann, sue, { client: sales.admin }, other, outsider].map((who) => feedOf(who.client)));
    const { task } = await saleWaiting();
    const versions = async (watch: () => Promise<any[]>) => (await watch()).filter((entry) => entry.id === task.id).map((entry) => entry.version);

    await expect.poll(() => versions(annSees)).toEqual([1]);
    expect((await ann.client.post(`/api/tasks/${task.id}/claim`, {})).status).toBe(200);
    await expect.poll(() => versions(annSees)).toEqual([1, 2]);
    const done = await ann.client.post(`/api/tasks/${task.id}/complete`, { form: { shippedOn: '2026-12-07' } });
    // 202: taken, its delivery (raced by the stream's copy) not yet decided.
    expect([200, 202], done.text).toContain(done.status);
    // Recorded (completing), then done: every change of the task, in order.
    await expect.poll(() => versions(annSees)).toEqual([1, 2, 3, 4]);
    await expect.poll(() => versions(sueSees)).toEqual([1, 2, 3, 4]);
    await expect.poll(() => versions(adminSees)).toEqual([1, 2, 3, 4]);
    const entry = (await annSees()).find((each) => each.id === task.id);
    expect(entry).toMatchObject({ type: 'TASK', id: task.id, change: 'created', version: 1 });
    // Who else sees it is nobody's business: the answer does not say.
    expect(entry).not.toHaveProperty('audience');

    // Past every entry of the task (the administrator's feed has them all): the others were told nothing.
    expect(await versions(otherSees)).toEqual([]);
    expect(await versions(outsiderSees)).toEqual([]);
  });
});

describe('the lists of the inbox', () => {
  it('a supervisor lists their team\'s unanswered tasks, claimed ones too; members and others do not', async () => {
    const first = await saleWaiting();
    const second = await saleWaiting();
    expect((await ann.client.post(`/api/tasks/${second.task.id}/claim`, {})).status).toBe(200);

    const supervised = await sue.client.get('/api/tasks?view=supervised&limit=100');
    expect(supervised.status, supervised.text).toBe(200);
    expect(ids(supervised)).toEqual(expect.arrayContaining([first.task.id, second.task.id]));
    expect(supervised.json.items.find((t: any) => t.id === second.task.id)).toMatchObject({ status: 'claimed', assignee: ann.sub });
    // Earliest due first.
    const dues = supervised.json.items.map((t: any) => t.due as string);
    expect(dues).toEqual([...dues].sort());
    // An administrator supervises every team; a member who supervises none lists nothing.
    expect(ids(await sales.admin.get('/api/tasks?view=supervised&limit=100'))).toEqual(expect.arrayContaining([first.task.id, second.task.id]));
    expect(ids(await ann.client.get('/api/tasks?view=supervised'))).toEqual([]);
    expect(ids(await other.client.get('/api/tasks?view=supervised'))).toEqual([]);

    // Answered, it leaves the supervisor's list.
    expect([200, 202]).toContain((await ann.client.post(`/api/tasks/${second.task.id}/complete`, { form: { shippedOn: '2026-12-07' } })).status);
    await expect.poll(async () => ids(await sue.client.get('/api/tasks?view=supervised&limit=100'))).not.toContain(second.task.id);
  });

  it('a user lists the tasks they answered, latest first, paged by its cursor', async () => {
    const answered: string[] = [];
    for (let n = 0; n < 3; n++) {
      const { task } = await saleWaiting();
      const done = n === 1
        ? await ann.client.post(`/api/tasks/${task.id}/reject`, { reason: 'out of stock' })
        : await ann.client.post(`/api/tasks/${task.id}/complete`, { form: { shippedOn: '2026-12-07' } });
      expect([200, 202], done.text).toContain(done.status);
      // Settled (done or rejected) before the next is answered: the list is by the time each ended.
      await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status).toBe(n === 1 ? 'rejected' : 'done');
      answered.push(task.id);
    }
    const firstPage = await ann.client.get('/api/tasks?view=done&limit=2');
    expect(firstPage.status, firstPage.text).toBe(200);
    expect(ids(firstPage)).toEqual([answered[2], answered[1]]);
    expect(firstPage.json.items.map((t: any) => t.status)).toEqual(['done', 'rejected']);
    const next = await ann.client.get(`/api/tasks?view=done&limit=2&cursor=${encodeURIComponent(firstPage.json.nextCursor)}`);
    expect(ids(next)[0]).toBe(answered[0]);
    // Nobody else's done list has them; their own list no longer does.
    expect(ids(await sue.client.get('/api/tasks?view=done&limit=100'))).toEqual([]);
    expect(ids(await ann.client.get('/api/tasks?view=mine&limit=100')).filter((id) => answered.includes(id))).toEqual([]);
  });

  it('refuses a view it does not know, naming the field', async () => {
    const refused = await ann.client.get('/api/tasks?view=everyone');
    expect(refused.status).toBe(400);
    expect(refused.json.error.issues[0].path).toBe('query.view');
  });
});
