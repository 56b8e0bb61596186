/**
 * Notifications end to end (one cloud for the file, its clock moved by the test): a quick sale's
 * fulfilment offered to a team tells each member in the bell (`GET /api/notifications`) and by
 * e-mail (SESv2 SendEmail to the local SES, kept as files); a change the stream delivers again
 * tells nobody twice; a reminder fires once when the clock passes half the task's time, and
 * not for a task already answered; a task not done in time tells the team's supervisor once; a user
 * marks them read, turns an e-mail off, and keeps at most 1,000.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { ENV, TABLE } from '../../infra/app-resources.ts';
import { LOCAL_MAIL_FROM } from '../../local/embedded-cloud.ts';
import { AdjustableClock } from '../../local/states/clock.ts';
import { MAX_KEPT_NOTIFICATIONS } from '../../functions/contracts/notifications.ts';
import type { ApiClient, TestCloud } from '../support/cloud.ts';
import { person, type Person } from '../support/people.ts';
import { saleWaiting as saleWaitingOn, startSalesCloud, supervise, taskAt, type QuickSales } from '../support/quick-sales.ts';

const TENANT = 'notify-a';
const clock = new AdjustableClock();
let cloud: TestCloud;
let sales: QuickSales;
let db: DynamoDBDocumentClient;
let stop: (() => Promise<void>) | undefined;
/** Two members of the fulfilment team (the administrator is the third), its supervisor (in no team), and their e-mail addresses. */
let ann: Person & { email: string };
let bob: Person & { email: string };
let sue: Person & { email: string };

async function member(role: 'sales-representative' | 'sales-manager', teams: string[]) {
  const someone = await person(cloud, TENANT, role, sales.admin, teams);
  return { ...someone, email: (await someone.client.get('/api/me')).json.email as string };
}

/** A quick sale waiting on its fulfilment task, offered to the Warehouse team. */
const saleWaiting = () => saleWaitingOn(sales, ann.client);

const notifications = async (client: ApiClient, query = 'limit=100') => {
  const page = await client.get(`/api/notifications?${query}`);
  expect(page.status, page.text).toBe(200);
  return page.json as { items: any[]; unread: number; nextCursor?: string };
};
/** The caller's notifications about `task` of `kind`, once there is at least one. */
const toldOf = (client: ApiClient, task: string, kind: string) =>
  expect
    .poll(async () => (await notifications(client)).items.filter((n) => n.link.task === task && n.kind === kind), { timeout: 20_000 })
    .not.toEqual([])
    .then(async () => (await notifications(client)).items.filter((n) => n.link.task === task && n.kind === kind));
const mailsTo = (email: string, subject: string) => cloud.mail.messages(email).filter((mail) => mail.subject === subject);
const item = async (pk: string, sk: string) => (await db.send(new GetCommand({ TableName: TABLE.name, Key: { pk, sk }, ConsistentRead: true }))).Item;

beforeAll(async () => {
  ({ cloud, sales, db, stop } = await startSalesCloud(TENANT, clock));
  ann = await member('sales-representative', [sales.fulfilment]);
  bob = await member('sales-representative', [sales.fulfilment]);
  sue = await member('sales-manager', []);
  await supervise(sales.admin, sales.fulfilment, sue.sub);
}, 120_000);
afterAll(() => stop?.());

describe('a task offered to a team', () => {
  it('tells each member once, in the bell and by e-mail through SES; nobody else', async () => {
    const { task } = await saleWaiting();
    const [annTold] = await toldOf(ann.client, task.id, 'team-offered');
    expect(annTold).toMatchObject({ kind: 'team-offered', title: 'Fulfil the order', process: 'quick-sale', link: { task: task.id }, due: task.due, readAt: null });
    expect(await toldOf(bob.client, task.id, 'team-offered')).toHaveLength(1);
    // Every member's notification is kept by the one run that told Ann and Bob: the supervisor is no member.
    expect((await notifications(sue.client)).items.filter((n) => n.link.task === task.id)).toEqual([]);
    expect((await notifications(ann.client)).unread).toBeGreaterThanOrEqual(1);

    // The e-mail: SendEmail through the SDK to the local SES, kept where a developer reads it.
    const subject = 'New for your team: Fulfil the order';
    await expect.poll(() => mailsTo(ann.email, subject).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    const mail = mailsTo(ann.email, subject).find((each) => each.text?.includes(task.id))!;
    expect(mail).toMatchObject({ from: 'Sheetflow <notifications@sheetflow.local>', to: [ann.email] });
    expect(mail.text).toContain(`/inbox?task=${task.id}`);
    const eml = readdirSync(cloud.mail.dir).find((name) => name.endsWith(`${mail.messageId}.eml`))!;
    const message = readFileSync(join(cloud.mail.dir, eml), 'utf8');
    expect(message).toMatch(/^From: Sheetflow <notifications@sheetflow\.local>\r\nTo: /);
    expect(message).toContain(`Subject: ${subject}`);
    // Mailed once: the notification records it.
    await expect.poll(async () => (await item(`T#${TENANT}#NOTICES#${ann.sub}`, `N#${annTold.id}`))?.mailOutcome, { timeout: 20_000 }).toBe(`sent ${mail.messageId}`);
    expect(mailsTo(ann.email, subject).filter((each) => each.text?.includes(task.id))).toHaveLength(1);
  });

  it('tells nobody twice when the stream delivers the same change again, and again at once', async () => {
    const { task } = await saleWaiting();
    for (const someone of [ann, bob]) await toldOf(someone.client, task.id, 'team-offered');
    const stored = (await item(`T#${TENANT}#TASK#${task.id}`, 'TASK'))!;
    const { handler } = await import('../../functions/stream/handler.ts');
    // The task's offer as the table's stream hands it over: its INSERT, delivered again.
    const record = {
      eventID: 'again',
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: { Keys: marshall({ pk: stored.pk, sk: stored.sk }), NewImage: marshall(stored, { removeUndefinedValues: true }), SequenceNumber: '1', StreamViewType: 'NEW_AND_OLD_IMAGES' },
    } as DynamoDBRecord;
    expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    const copies = await Promise.all(Array.from({ length: 4 }, () => handler({ Records: [record] })));
    expect(copies).toEqual(Array.from({ length: 4 }, () => ({ batchItemFailures: [] })));
    for (const someone of [ann, bob]) {
      expect((await notifications(someone.client)).items.filter((n) => n.link.task === task.id)).toHaveLength(1);
    }
    // Its e-mail is the notification's: one, however often the task's change came.
    await expect.poll(() => mailsTo(bob.email, 'New for your team: Fulfil the order').filter((each) => each.text?.includes(task.id)).length, { timeout: 20_000 }).toBe(1);
  });

  it('is not e-mailed to a member who turned that kind off; the bell still tells them', async () => {
    const prefs = (await bob.client.get('/api/notifications/preferences')).json;
    expect(prefs).toMatchObject({ version: 0, email: { 'team-offered': true, reminder: true } });
    const off = await bob.client.request('PUT', '/api/notifications/preferences', { version: 0, email: { 'team-offered': false } });
    expect(off.status, off.text).toBe(200);
    expect(off.json).toMatchObject({ version: 1, email: { 'team-offered': false, reminder: true } });
    // Over a version gone by: 409 with the preferences as they are.
    const stale = await bob.client.request('PUT', '/api/notifications/preferences', { version: 0, email: { reminder: false } });
    expect([stale.status, stale.json.error.current?.version]).toEqual([409, 1]);

    const { task } = await saleWaiting();
    const [told] = await toldOf(bob.client, task.id, 'team-offered');
    await expect.poll(async () => (await item(`T#${TENANT}#NOTICES#${bob.sub}`, `N#${told.id}`))?.mailOutcome, { timeout: 20_000 }).toBe('turned off');
    expect(mailsTo(bob.email, 'New for your team: Fulfil the order').filter((each) => each.text?.includes(task.id))).toEqual([]);
    await bob.client.request('PUT', '/api/notifications/preferences', { version: 1, email: { 'team-offered': true } });
  });
});

describe('an e-mail SES refuses', () => {
  it('is recorded as refused and not sent again, and holds back no change after it', async () => {
    // A sender SES has not verified: every message is refused (MessageRejected), for good.
    process.env[ENV.mailFrom] = 'Sheetflow <notify@unverified.example>';
    const refused = await (async () => {
      try {
        const { task } = await saleWaiting();
        const [told] = await toldOf(ann.client, task.id, 'team-offered');
        await expect.poll(async () => (await item(`T#${TENANT}#NOTICES#${ann.sub}`, `N#${told.id}`))?.mailOutcome, { timeout: 20_000 }).toMatch(/^refused: Email address is not verified/);
        return { task };
      } finally {
        process.env[ENV.mailFrom] = LOCAL_MAIL_FROM;
      }
    })();
    // The changes after it are not held back: the next offer is told and mailed.
    const { task } = await saleWaiting();
    await toldOf(ann.client, task.id, 'team-offered');
    await expect.poll(() => mailsTo(ann.email, 'New for your team: Fulfil the order').filter((mail) => mail.text?.includes(task.id)).length, { timeout: 20_000 }).toBe(1);
    expect(cloud.mail.messages().filter((mail) => mail.text?.includes(refused.task.id))).toEqual([]);
  });
});

describe('the bell\'s list', () => {
  it('pages newest first, counts the unread, marks some or all read (only the caller\'s own)', async () => {
    for (let i = 0; i < 3; i++) await toldOf(ann.client, (await saleWaiting()).task.id, 'team-offered');
    const all: any[] = [];
    let cursor: string | undefined;
    do {
      const page = await notifications(ann.client, `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(new Set(all.map((n) => n.id)).size).toBe(all.length);
    expect(all.map((n) => n.createdAt)).toEqual([...all.map((n) => n.createdAt)].sort().reverse());
    const unread = (await notifications(ann.client)).unread;
    expect(unread).toBe(all.filter((n) => n.readAt === null).length);

    // Bob's id is not Ann's to mark: nothing happens to it.
    const bobs = (await notifications(bob.client)).items[0];
    const marked = await ann.client.post('/api/notifications/read', { ids: [all[0].id, all[0].id, bobs.id] });
    expect(marked.status, marked.text).toBe(200);
    expect(marked.json).toEqual({ marked: 1, unread: unread - 1 });
    expect((await notifications(bob.client)).items.find((n) => n.id === bobs.id).readAt).toBeNull();
    // Marked again: nothing more.
    expect((await ann.client.post('/api/notifications/read', { ids: [all[0].id] })).json).toEqual({ marked: 0, unread: unread - 1 });
    expect((await notifications(ann.client)).items.find((n) => n.id === all[0].id).readAt).not.toBeNull();

    const everything = await ann.client.post('/api/notifications/read', { all: true });
    expect(everything.json).toEqual({ marked: unread - 1, unread: 0 });
    expect((await notifications(ann.client)).unread).toBe(0);
  });

  it('refuses bad input, naming the field', async () => {
    const cases: Array<[Promise<{ status: number; json: any }>, string[]]> = [
      [ann.client.get('/api/notifications?limit=101'), ['query.limit']],
      [ann.client.get('/api/notifications?limit=0&cursor=../x'), ['query.cursor', 'query.limit']],
      [ann.client.post('/api/notifications/read', {}), ['ids']],
      // Too few ids, and both ways at once: two issues, each at `ids`.
      [ann.client.post('/api/notifications/read', { ids: [], all: true }), ['ids', 'ids']],
      [ann.client.post('/api/notifications/read', { ids: Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(32, '0')) }), ['ids']],
      [ann.client.post('/api/notifications/read', { ids: ['not-an-id'] }), ['ids.0']],
      [ann.client.request('PUT', '/api/notifications/preferences', { version: -1, email: { holiday: true } }), ['email.holiday', 'version']],
    ];
    for (const [answer, paths] of cases) {
      const { status, json } = await answer;
      expect(status, JSON.stringify(json)).toBe(400);
      expect(json.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(paths);
    }
    expect((await ann.client.get('/api/notifications?limit=100')).status).toBe(200);
  });

  it('keeps at most 1,000 a user, the oldest dropped, however many arrive at once', async () => {
    const { notify, notificationItem } = await import('../../functions/notifications/notifications.ts');
    const { inParallel } = await import('../../functions/in-parallel.ts');
    const many = await person(cloud, TENANT, 'sales-representative');
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    const notice = (i: number) => ({ tenant: TENANT, recipient: many.sub, notification: { id: i.toString(16).padStart(32, '0'), kind: 'reminder' as const, title: `Task ${i}`, process: 'quick-sale' as const, link: { task: 'f'.repeat(32) }, due: null, createdAt: at(i) } });
    const total = MAX_KEPT_NOTIFICATIONS + 5;
    // The user has 16 fewer than the most, kept one by one long ago (and e-mailed): written as
    // notify writes them, in batches, since 989 calls of notify (~40 ms each with its stream's
    // e-mail) prove nothing the last 16 do not. Those 16 arrive at once and cross the most together.
    const atOnce = 16;
    const before = Array.from({ length: total - atOnce }, (_, i) => i);
    await inParallel(Array.from({ length: Math.ceil(before.length / 25) }, (_, b) => before.slice(b * 25, b * 25 + 25)), 4, async (batch) => {
      const written = await db.send(
        new BatchWriteCommand({ RequestItems: { [TABLE.name]: batch.map((i) => ({ PutRequest: { Item: { ...notificationItem(notice(i)), mailedAt: at(i), mailOutcome: 'sent before' } } })) } }),
      );
      expect(written.UnprocessedItems ?? {}).toEqual({});
    });
    await db.send(new PutCommand({ TableName: TABLE.name, Item: { pk: `T#${TENANT}#NOTICES#${many.sub}`, sk: 'KEPT', kept: before.length } }));
    expect(await Promise.all(Array.from({ length: atOnce }, (_, k) => notify(notice(before.length + k))))).toEqual(Array(atOnce).fill(true));
    // The same ones again, and at once: nothing new.
    const again = await Promise.all([notify(notice(total - 1)), notify(notice(total - 1)), notify(notice(total - 2))]);
    expect(again).toEqual([false, false, false]);

    const kept: any[] = [];
    let cursor: string | undefined;
    do {
      const page = await notifications(many.client, `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      kept.push(...page.items);
      cursor = page.items.length ? page.nextCursor : undefined;
    } while (cursor);
    expect(kept).toHaveLength(MAX_KEPT_NOTIFICATIONS);
    expect(kept.at(-1).title).toBe('Task 5');
    expect(kept[0].title).toBe(`Task ${total - 1}`);
    expect((await item(`T#${TENANT}#NOTICES#${many.sub}`, 'KEPT'))?.kept).toBe(MAX_KEPT_NOTIFICATIONS);
    expect((await notifications(many.client)).unread).toBe(MAX_KEPT_NOTIFICATIONS);
  }, 120_000);
});

// The clock moves from here on: half a fulfilment's 3 working days, then past its due time.
describe('a reminder', () => {
  it('fires once at its time (half the task\'s) for its holders, and not for a task already answered', async () => {
    const waiting = await saleWaiting();
    const answered = await saleWaiting();
    for (const { task } of [waiting, answered]) {
      // Half the working time to its due time (the configuration's reminderShare), planned by the process.
      expect(Date.parse(task.remindAt)).toBeGreaterThan(Date.parse(task.createdAt));
      expect(Date.parse(task.remindAt)).toBeLessThan(Date.parse(task.due));
      // The reminder is scheduled by the stream's consumer of the offer.
      await expect.poll(async () => item(`T#${TENANT}#REMINDER#${task.id}`, task.remindAt), { timeout: 20_000 }).toMatchObject({ remindAt: task.remindAt });
    }
    expect((await ann.client.post(`/api/tasks/${answered.task.id}/complete`, { form: { shippedOn: '2026-12-07' } })).json.status).toBe('done');
    expect((await notifications(bob.client)).items.filter((n) => n.kind === 'reminder')).toEqual([]);

    clock.set(Date.parse(waiting.task.remindAt) + 60_000);
    await cloud.runSchedules();
    const [told] = await toldOf(bob.client, waiting.task.id, 'reminder');
    expect(told).toMatchObject({ title: 'Fulfil the order', link: { task: waiting.task.id }, due: waiting.task.due });
    expect(await toldOf(ann.client, waiting.task.id, 'reminder')).toHaveLength(1);
    // The answered task's reminder came due too, and was settled without telling anyone.
    expect(await item(`T#${TENANT}#REMINDER#${answered.task.id}`, answered.task.remindAt)).toMatchObject({ outcome: 'answered' });
    expect(await item(`T#${TENANT}#REMINDER#${waiting.task.id}`, waiting.task.remindAt)).toMatchObject({ outcome: 'sent' });
    expect((await notifications(bob.client)).items.filter((n) => n.link.task === answered.task.id && n.kind === 'reminder')).toEqual([]);
    await expect.poll(() => mailsTo(bob.email, 'Reminder: Fulfil the order').filter((mail) => mail.text?.includes(waiting.task.id)).length, { timeout: 20_000 }).toBe(1);

    // Sent once: the sweep runs again (every minute, and the clock moves on) and tells nobody again.
    clock.advance(60_000);
    await cloud.runSchedules();
    expect((await notifications(bob.client)).items.filter((n) => n.link.task === waiting.task.id && n.kind === 'reminder')).toHaveLength(1);
  });
});

describe('a task not done by its due time', () => {
  it('tells its team\'s supervisor once that it escalated to them, with the task now theirs', async () => {
    const { instance, task } = await saleWaiting();
    clock.set(Date.parse(task.due) + 60_000);
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status, { timeout: 20_000 }).toBe('escalated');
    const theirs = await taskAt(sue.client, instance, 'Fulfil', 'mine');
    expect(theirs).toMatchObject({ assignee: sue.sub, escalation: true });
    const [told] = await toldOf(sue.client, theirs.id, 'escalated');
    expect(told).toMatchObject({ kind: 'escalated', title: 'Fulfil the order', link: { task: theirs.id } });
    // Told once: the late task closing told nobody (its change came before the offer's), and the offer is no second notice.
    expect((await notifications(sue.client)).items.filter((n) => n.link.task === task.id || n.link.task === theirs.id)).toHaveLength(1);
    await expect.poll(() => mailsTo(sue.email, 'Escalated to you: Fulfil the order').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    // The members are not told of the escalation: it is the supervisor's.
    expect((await notifications(ann.client)).items.filter((n) => n.kind === 'escalated')).toEqual([]);
  });
});
