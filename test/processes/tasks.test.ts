/**
 * Human tasks end to end (one cloud for the file, the engine on a clock the test moves): the quick
 * sale's fulfilment is a `.waitForTaskToken` task offered to a team; a member claims and completes
 * it with its form (SendTaskSuccess), or rejects it (SendTaskFailure, routed by the definition's
 * Catch); its answer reaches Step Functions exactly once, from the API (which answers with the
 * outcome: the stream's copy waits out the API's lease) or, after a crash, from the table's stream; a task the engine closed shows why; a task past its due time escalates and is
 * offered again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendTaskSuccessCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AdjustableClock } from '../../local/states/clock.ts';
import { TABLE } from '../../infra/app-resources.ts';
import { MAX_FORM_BYTES, MAX_FORM_TEXT } from '../../functions/contracts/tasks.ts';
import { streamCaughtUp, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { person, type Person } from '../support/people.ts';
import { executionArn as executionArnOf, executionHistory, instanceAt, saleWaiting as saleWaitingOn, startSalesCloud, taskAt, type QuickSales } from '../support/quick-sales.ts';

const TENANT = 'tasks-a';
const clock = new AdjustableClock();
let cloud: TestCloud;
let sales: QuickSales;
let db: DynamoDBDocumentClient;
let stop: (() => Promise<void>) | undefined;
/** Two members of the fulfilment team, and a user in no team. */
let ann: Person;
let bob: Person;
let outsider: Person;

const saleWaiting = () => saleWaitingOn(sales, ann.client);
const executionArn = (instance: string) => executionArnOf(sales, instance);
/** The answers the execution took for its human task (the waitForTaskToken task's TaskSucceeded events). */
const taskAnswers = async (instance: string) =>
  (await executionHistory(sales, instance)).filter((e) => e.type === 'TaskSucceeded' && e.taskSucceededEventDetails?.resource === 'invoke.waitForTaskToken');
const taskItemKey = (id: string) => ({ pk: `T#${TENANT}#TASK#${id}`, sk: 'TASK' });
const complete = (client: ApiClient, id: string, form: Record<string, unknown> = { shippedOn: '2026-12-07' }) => client.post(`/api/tasks/${id}/complete`, { form });

beforeAll(async () => {
  ({ cloud, sales, db, stop } = await startSalesCloud(TENANT, clock));
  ann = await person(cloud, TENANT, 'sales-representative', sales.admin, [sales.fulfilment]);
  bob = await person(cloud, TENANT, 'sales-representative', sales.admin, [sales.fulfilment]);
  outsider = await person(cloud, TENANT, 'sales-manager');
}, 120_000);
afterAll(() => stop?.());

describe('a team task', () => {
  it('is offered to the team, claimed by one member, released, and completed with its form', async () => {
    const { instance, task } = await saleWaiting();
    expect(task).toMatchObject({ title: 'Fulfil the order', step: 'Fulfil', process: 'quick-sale', team: sales.fulfilment, assignee: null, status: 'open', subject: { type: 'company', id: sales.company } });
    expect((await outsider.client.get('/api/tasks?view=team')).json.items).toEqual([]);
    expect((await outsider.client.get(`/api/tasks/${task.id}`)).status).toBe(403);

    const claimed = await ann.client.post(`/api/tasks/${task.id}/claim`, {});
    expect(claimed.status, claimed.text).toBe(200);
    expect(claimed.json).toMatchObject({ status: 'claimed', assignee: ann.sub });
    expect((await ann.client.get('/api/tasks?view=mine')).json.items.map((t: any) => t.id)).toContain(task.id);
    expect((await bob.client.get('/api/tasks?view=team')).json.items.map((t: any) => t.id)).not.toContain(task.id);
    // Another user's task: Bob may see it (his team's), not act on it.
    expect((await bob.client.post(`/api/tasks/${task.id}/claim`, {})).status).toBe(403);
    expect((await complete(bob.client, task.id)).status).toBe(403);
    expect((await bob.client.post(`/api/tasks/${task.id}/release`, {})).status).toBe(403);

    expect((await ann.client.post(`/api/tasks/${task.id}/release`, {})).json).toMatchObject({ status: 'open', assignee: null });
    expect((await bob.client.get('/api/tasks?view=team')).json.items.map((t: any) => t.id)).toContain(task.id);
    expect((await ann.client.post(`/api/tasks/${task.id}/claim`, {})).status).toBe(200);

    const done = await complete(ann.client, task.id, { shippedOn: '2026-12-07', note: 'n'.repeat(MAX_FORM_TEXT) });
    // 202: taken, its delivery (raced by the stream's copy) not yet decided.
    expect([200, 202], done.text).toContain(done.status);
    expect(done.json).toMatchObject({ status: done.status === 200 ? 'done' : 'completing', completion: { by: ann.sub, values: { shippedOn: '2026-12-07' } } });
    // The sale moves on to quality control.
    expect(await instanceAt(sales.admin, instance, { step: 'Quality control' })).toMatchObject({ status: 'running' });
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status).toBe('done');
    expect((await ann.client.get('/api/tasks?view=mine')).json.items.map((t: any) => t.id)).not.toContain(task.id);
    // The form's values are the step's result in the execution.
    const succeeded = await taskAnswers(instance);
    expect(succeeded).toHaveLength(1);
    expect(JSON.parse(succeeded[0].taskSucceededEventDetails!.output!)).toMatchObject({ task: task.id, by: ann.sub, values: { shippedOn: '2026-12-07' } });

    // Completing twice: 409 with the task as it is; another tenant's: none.
    const again = await complete(ann.client, task.id);
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: 'TaskNotOpen', current: { status: 'done' } });
    const stranger = await cloud.userOf('tasks-b');
    expect((await stranger.get(`/api/tasks/${task.id}`)).status).toBe(404);
    expect((await complete(stranger, task.id)).status).toBe(404);
  });

  it('answers a completion with its outcome, 200 and done: the stream\'s copy leaves its delivery to the API while that is under way', async () => {
    const waiting: Array<{ instance: string; task: { id: string } }> = [];
    for (let i = 0; i < 8; i++) waiting.push(await saleWaiting());
    const answers = await Promise.all(waiting.map(({ task }, i) => complete(i % 2 ? ann.client : bob.client, task.id)));
    expect(answers.map((answer) => [answer.status, answer.json.status])).toEqual(Array(8).fill([200, 'done']));
    for (const { instance } of waiting) expect(await taskAnswers(instance)).toHaveLength(1);
  });

  it('keeps who claimed, released and was given it, the instance following; its timeline tells them after the offer, and the form by its labels', async () => {
    const { instance, task } = await saleWaiting();
    const holder = async () => (await sales.admin.get(`/api/processes/instances/${instance}`)).json.assignee;
    expect((await ann.client.post(`/api/tasks/${task.id}/claim`, {})).status).toBe(200);
    expect(await holder()).toEqual({ user: ann.sub });
    expect((await ann.client.post(`/api/tasks/${task.id}/release`, {})).status).toBe(200);
    expect(await holder()).toEqual({ team: sales.fulfilment });
    expect((await sales.admin.post('/api/tasks/reassign', { tasks: [task.id], to: { user: bob.sub } })).json.results[0].result).toBe('done');
    expect((await ann.client.get(`/api/tasks/${task.id}`)).json.moves.map((move: any) => [move.kind, move.by, move.to ?? null])).toEqual([
      ['claimed', ann.sub, null],
      ['released', ann.sub, null],
      ['reassigned', sales.adminSub, { user: bob.sub }],
    ]);
    const done = await complete(bob.client, task.id, { shippedOn: '2026-12-07', note: 'by van' });
    expect(done.status, done.text).toBe(200);
    await instanceAt(sales.admin, instance, { step: 'Quality control' });
    const lines = (await sales.admin.get(`/api/processes/instances/${instance}/timeline`)).json.items as any[];
    const fulfil = lines.filter((line) => line.task === task.id);
    expect(fulfil.map((line) => [line.kind, line.by])).toEqual([
      ['offered', null],
      ['claimed', ann.sub],
      ['released', ann.sub],
      ['reassigned', sales.adminSub],
      ['completed', bob.sub],
    ]);
    expect(fulfil[3]).toMatchObject({ text: 'Reassigned “Fulfil the order” to a user', assignee: { user: bob.sub } });
    expect(fulfil[4].fields).toEqual([
      { key: 'shippedOn', label: 'Shipped on', text: '2026-12-07' },
      { key: 'note', label: 'Note', text: 'by van' },
    ]);
  });

  it('refuses a form that is not the task\'s, naming each field, and changes nothing', async () => {
    const { task } = await saleWaiting();
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{}, ['form.shippedOn']],
      [{ shippedOn: 'tomorrow', colour: 'red' }, ['form.colour', 'form.shippedOn']],
      [{ shippedOn: '2026-12-07', note: 7 }, ['form.note']],
      [{ shippedOn: '2026-12-07', note: 'n'.repeat(MAX_FORM_TEXT + 1) }, ['form.note']],
      [{ shippedOn: '2026-12-07', ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`x${i}`, 'y'.repeat(MAX_FORM_BYTES / 5)])) }, ['form', 'form.x0', 'form.x1', 'form.x2', 'form.x3', 'form.x4']],
    ];
    for (const [form, paths] of cases) {
      const refused = await complete(ann.client, task.id, form);
      expect(refused.status, refused.text).toBe(400);
      expect(refused.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(paths);
    }
    expect((await ann.client.get(`/api/tasks/${task.id}`)).json).toMatchObject({ status: 'open', version: 1, completion: null });
    expect((await ann.client.post(`/api/tasks/${task.id}/reject`, { reason: ' ' })).status).toBe(400);
    const tooLong = await ann.client.post(`/api/tasks/${task.id}/reject`, { reason: 'r'.repeat(2_001) });
    expect([tooLong.status, tooLong.json.error.issues[0].path]).toEqual([400, 'reason']);
    expect((await ann.client.get(`/api/tasks/${task.id}`)).json.status).toBe('open');
  });

  it('takes one of many completions sent at once; the others are 409', async () => {
    const { instance, task } = await saleWaiting();
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => complete(i % 2 ? ann.client : bob.client, task.id)));
    // Taken: done, or (its copy from the stream answered first) still being delivered.
    const taken = answers.filter((a) => a.status === 200 || a.status === 202);
    expect(taken).toHaveLength(1);
    expect(taken[0].json.status).toBe(taken[0].status === 200 ? 'done' : 'completing');
    expect(answers.filter((a) => !taken.includes(a)).map((a) => a.status).every((status) => status === 409 || status === 403)).toBe(true);
    await instanceAt(sales.admin, instance, { step: 'Quality control' });
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status).toBe('done');
    expect(await taskAnswers(instance)).toHaveLength(1);
  });

  it('is rejected with a reason: the definition closes the sale as rejected', async () => {
    const { instance, task } = await saleWaiting();
    const rejected = await bob.client.post(`/api/tasks/${task.id}/reject`, { reason: 'out of stock' });
    expect([200, 202], rejected.text).toContain(rejected.status);
    expect(rejected.json).toMatchObject({ status: rejected.status === 200 ? 'rejected' : 'rejecting', rejection: { by: bob.sub, reason: 'out of stock' } });
    await expect.poll(async () => (await bob.client.get(`/api/tasks/${task.id}`)).json.status).toBe('rejected');
    expect(await instanceAt(sales.admin, instance, { ended: true })).toMatchObject({ status: 'completed', outcome: { result: 'rejected' } });
  });

  it('shows closed, and why, once the engine closed it: the instance was stopped', async () => {
    const { instance, task } = await saleWaiting();
    await sales.sfn.send(new StopExecutionCommand({ executionArn: executionArn(instance), error: 'Cancelled', cause: 'the client cancelled' }));
    expect(await instanceAt(sales.admin, instance, { ended: true })).toMatchObject({ status: 'aborted', outcome: { error: 'Cancelled' } });
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status).toBe('cancelled');
    const late = await complete(ann.client, task.id);
    expect(late.status).toBe(409);
    expect(late.json.error.current).toMatchObject({ status: 'cancelled', closed: { reason: expect.stringContaining('was stopped') } });
    expect((await ann.client.get('/api/tasks?view=team')).json.items.map((t: any) => t.id)).not.toContain(task.id);
  });
});

describe('a completion recorded before a crash', () => {
  /** The task as the API leaves it when it stops right after recording the completion (version one more, `completing`). */
  async function recordedNotSent(task: any) {
    const item = (await db.send(new GetCommand({ TableName: TABLE.name, Key: taskItemKey(task.id) }))).Item!;
    // Off the team's list (gsi3), as the API writes it.
    const { gsi3pk: _pk, gsi3sk: _sk, ...rest } = item;
    const completing = { ...rest, status: 'completing', assignee: ann.sub, completion: { by: ann.sub, at: new Date().toISOString(), values: { shippedOn: '2026-12-08' } }, version: item.version + 1 };
    return { item, completing };
  }

  it('is delivered from the stream when the API stopped before sending it', async () => {
    const { instance, task } = await saleWaiting();
    const { completing } = await recordedNotSent(task);
    await db.send(new PutCommand({ TableName: TABLE.name, Item: completing }));
    expect(await instanceAt(sales.admin, instance, { step: 'Quality control' })).toMatchObject({ status: 'running' });
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status).toBe('done');
    const succeeded = await taskAnswers(instance);
    expect(succeeded).toHaveLength(1);
    expect(JSON.parse(succeeded[0].taskSucceededEventDetails!.output!).values).toEqual({ shippedOn: '2026-12-08' });
  });

  it('is left to the API while its lease lasts: the stream\'s copy sends nothing, and the API\'s answer is the one taken', async () => {
    const { instance, task } = await saleWaiting();
    const { item, completing } = await recordedNotSent(task);
    const after = (await ann.client.get('/api/changes')).json.cursor as string;
    // Recorded by an API that is delivering it now (its lease a minute on): the stream hands the record to its consumers.
    await db.send(new PutCommand({ TableName: TABLE.name, Item: { ...completing, deliveryLease: new Date(Date.now() + 60_000).toISOString() } }));
    await expect
      .poll(async () => (await ann.client.get(`/api/changes?after=${encodeURIComponent(after)}`)).json.items.some((entry: any) => entry.type === 'TASK' && entry.id === task.id && entry.version === completing.version), { timeout: 20_000 })
      .toBe(true);
    // The task's feed entry is written from the same stream record: the answers' consumer had it too, and sent nothing.
    expect(await taskAnswers(instance)).toHaveLength(0);
    // The API delivers it (its own values, as recorded) and marks it done; the consumer then leaves it.
    const output = { task: task.id, answer: `${task.id}#${completing.version}`, by: ann.sub, values: completing.completion.values };
    await sales.sfn.send(new SendTaskSuccessCommand({ taskToken: item.token, output: JSON.stringify(output) }));
    await db.send(new PutCommand({ TableName: TABLE.name, Item: { ...completing, status: 'done', version: completing.version + 1 } }));
    expect(await instanceAt(sales.admin, instance, { step: 'Quality control' })).toMatchObject({ status: 'running' });
    expect(await taskAnswers(instance)).toHaveLength(1);
  });

  it('is delivered from the stream once the lease of the API that recorded it has passed (the API stopped while delivering it)', async () => {
    const { instance, task } = await saleWaiting();
    const { completing } = await recordedNotSent(task);
    await db.send(new PutCommand({ TableName: TABLE.name, Item: { ...completing, deliveryLease: new Date(Date.now() + 2_000).toISOString() } }));
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status, { timeout: 20_000 }).toBe('done');
    expect(await instanceAt(sales.admin, instance, { step: 'Quality control' })).toMatchObject({ status: 'running' });
    expect(await taskAnswers(instance)).toHaveLength(1);
  });

  it('is done, not sent twice, when the API stopped after sending it and before marking it done', async () => {
    const { instance, task } = await saleWaiting();
    const { item, completing } = await recordedNotSent(task);
    // Sent as deliverAnswer sends it (the answer marked with the task and its version), then the API stopped.
    const output = { task: task.id, answer: `${task.id}#${completing.version}`, by: ann.sub, values: completing.completion.values };
    await sales.sfn.send(new SendTaskSuccessCommand({ taskToken: item.token, output: JSON.stringify(output) }));
    await instanceAt(sales.admin, instance, { step: 'Quality control' });
    await db.send(new PutCommand({ TableName: TABLE.name, Item: completing }));
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status).toBe('done');
    expect(await taskAnswers(instance)).toHaveLength(1);
  });
});

describe('an answer whose token no longer waits', () => {
  const history = (instance: string) => executionHistory(sales, instance, { reverseOrder: true, includeExecutionData: true });

  it('is decided from the execution\'s history: unanswered and still waiting is undecided, our answer in it applied', async () => {
    // Loaded once the cloud has pointed the SDK at its endpoints, as the functions are.
    const { answerFateOf } = await import('../../functions/workflows/executions.ts');
    const { instance, task } = await saleWaiting();
    const { token } = (await db.send(new GetCommand({ TableName: TABLE.name, Key: taskItemKey(task.id) }))).Item!;
    const marker = `${task.id}#2`;
    expect(answerFateOf(await history(instance), token, marker, true)).toEqual({ fate: 'unknown' });
    // Not yet read back to the task's scheduling: read on.
    expect(answerFateOf((await history(instance)).slice(0, 1), token, marker)).toBeUndefined();
    await sales.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ task: task.id, answer: marker, by: ann.sub, values: { shippedOn: '2026-12-07' } }) }));
    await instanceAt(sales.admin, instance, { step: 'Quality control' });
    expect(answerFateOf(await history(instance), token, marker, true)).toEqual({ fate: 'applied' });
    // Another answer (not ours) took the token: our step moved on.
    expect(answerFateOf(await history(instance), token, `${task.id}#3`, true)).toMatchObject({ fate: 'closed', why: 'moved on' });
  });

  it('is closed with why when the execution ended before it reached it', async () => {
    const { instance, task } = await saleWaiting();
    await sales.sfn.send(new StopExecutionCommand({ executionArn: executionArn(instance), error: 'Cancelled', cause: 'the client cancelled' }));
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status).toBe('cancelled');
    // The completion recorded before the stop (as the API writes it), delivered after it: the stream's consumer sends it.
    const item = (await db.send(new GetCommand({ TableName: TABLE.name, Key: taskItemKey(task.id) }))).Item!;
    await db.send(new PutCommand({ TableName: TABLE.name, Item: { ...item, status: 'completing', closed: null, assignee: ann.sub, completion: { by: ann.sub, at: new Date().toISOString(), values: { shippedOn: '2026-12-08' } }, version: item.version + 1 } }));
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json).toMatchObject({ status: 'cancelled', closed: { reason: expect.stringContaining('the process ended (ExecutionAborted) before the answer reached it') } });
    expect(await taskAnswers(instance)).toHaveLength(0);
  });
});

describe('lists', () => {
  it('pages through the team\'s tasks, earliest due first, and refuses a bad page size', async () => {
    for (let i = 0; i < 3; i++) await saleWaiting();
    const seen: any[] = [];
    let cursor: string | undefined;
    do {
      const page = await bob.client.get(`/api/tasks?view=team&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status, page.text).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items);
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen.map((t) => t.id)).size).toBe(seen.length);
    expect(seen.map((t) => t.due)).toEqual([...seen.map((t) => t.due)].sort());
    expect((await bob.client.get('/api/tasks?limit=101')).json.error.issues[0].path).toBe('query.limit');
    expect((await bob.client.get('/api/tasks?limit=100')).status).toBe(200);
  });
});

// Last: moving the engine's clock past the due time escalates every task still open.
describe('a task past its due time', () => {
  it('escalates: the definition catches the timeout, closes the task as escalated and offers the step again, due anew (the team has no supervisor)', async () => {
    const { instance, task } = await saleWaiting();
    clock.set(Date.parse(task.due) + 1000);
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status).toBe('escalated');
    expect((await ann.client.get(`/api/tasks/${task.id}`)).json).toMatchObject({ closed: { reason: 'not done by its due time' } });
    const again = await taskAt(ann.client, instance, 'Fulfil');
    expect(again).toMatchObject({ team: sales.fulfilment, assignee: null, status: 'open' });
    expect(again.id).not.toBe(task.id);
    expect(Date.parse(again.due)).toBeGreaterThan(Date.parse(task.due));
    expect(await instanceAt(sales.admin, instance, { step: 'Fulfil' })).toMatchObject({ status: 'running', due: again.due });
    const late = await complete(ann.client, task.id);
    expect(late.status).toBe(409);
    expect(late.json.error.current.status).toBe('escalated');
  });

  it('escalates a completion that reached the engine after the step timed out (decided from the history)', async () => {
    const { instance, task } = await saleWaiting();
    clock.set(Date.parse(task.due) + 1000);
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json.status).toBe('escalated');
    // The completion recorded before the timeout (as the API writes it), delivered after it.
    const item = (await db.send(new GetCommand({ TableName: TABLE.name, Key: taskItemKey(task.id) }))).Item!;
    await db.send(new PutCommand({ TableName: TABLE.name, Item: { ...item, status: 'completing', closed: null, assignee: ann.sub, completion: { by: ann.sub, at: new Date().toISOString(), values: { shippedOn: '2026-12-08' } }, version: item.version + 1 } }));
    // Delivered by the stream's consumer, behind what the clock's jump timed out in this file.
    await streamCaughtUp(cloud);
    await expect.poll(async () => (await ann.client.get(`/api/tasks/${task.id}`)).json).toMatchObject({ status: 'escalated', closed: { reason: expect.stringContaining('the step timed out before the answer reached it') } });
    expect(await taskAnswers(instance)).toHaveLength(0);
  });
});
