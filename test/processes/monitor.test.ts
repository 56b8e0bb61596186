/**
 * The process monitor through the gateway, the real SFN client and local/states (one cloud for the
 * file, the engine on a clock the test moves): `GET /api/processes` counts running and overdue
 * instances per version and step from the instance items as they start, move and end (and a
 * step written again changes no count); a step's instances are listed; an instance's timeline
 * reads its execution's history as lines (a task offered and completed with its values; a step
 * that failed, the instance failed, retried from the failed step and failed again).
 *
 * The engine runs four days behind the wall clock: a sale started then is due (3 days) a day ago
 * by the API's clock, overdue, while the engine has not yet timed it out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedriveExecutionCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { AdjustableClock } from '../../local/states/clock.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { fulfil, instanceAt, order, quickSales, startSale, type QuickSales } from '../support/quick-sales.ts';
import { ownedBy, person } from '../support/people.ts';

const TENANT = 'monitor-a';
const DAY = 24 * 60 * 60 * 1000;
const clock = new AdjustableClock(Date.now() - 4 * DAY);

let cloud: TestCloud;
let sales: QuickSales;
let admin: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud({ statesClock: clock });
  sales = await quickSales(cloud, TENANT);
  ({ admin } = sales);
}, 120_000);
afterAll(async () => {
  sales?.sfn.destroy();
  await cloud?.stop();
});

const quickSale = async () => {
  const answer = await admin.get('/api/processes');
  expect(answer.status, answer.text).toBe(200);
  return answer.json.items.find((item: { name: string }) => item.name === 'quick-sale');
};
const counts = async () => (await quickSale()).counts;
const listed = async (query: string) => {
  const answer = await admin.get(`/api/processes/instances?${query}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.json.items.map((instance: { id: string }) => instance.id);
};
const start = async (key: string) => {
  const started = await startSale(admin, `/api/companies/${sales.company}`, key, order(sales.fulfilment));
  expect(started.status, started.text).toBe(201);
  return (await instanceAt(admin, started.json.id, { step: 'Fulfil' })) as { id: string; due: string; startedAt: string; version: number };
};
const executionArn = (id: string) => `${sales.machine.replace(':stateMachine:', ':execution:')}:${id}`;

/** Every line of an instance's timeline, page by page (`limit` events a page). */
async function timeline(id: string, limit = 100) {
  const lines: any[] = [];
  let cursor: string | undefined;
  let first: any;
  do {
    const page = await admin.get(`/api/processes/instances/${id}/timeline?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status, page.text).toBe(200);
    first ??= page.json;
    lines.push(...page.json.items);
    cursor = page.json.nextCursor;
  } while (cursor);
  return { lines, diagram: first.diagram };
}

let late: { id: string; due: string };
let timely: { id: string; due: string; startedAt: string };

describe('the monitor', () => {
  it('shows each process with its live version and its diagram, and no count before any start', async () => {
    const process = await quickSale();
    expect(process).toMatchObject({ label: 'Quick sale', liveVersion: 1, counts: [], counted: 'tenant', failed: 0, mayStart: true });
    expect(process.diagram.states.map((state: { name: string }) => state.name)).toEqual(['Take order', 'Fulfil', 'Escalate', 'Close']);
    expect(process.diagram.edges).toContainEqual({ from: 'Fulfil', to: 'Escalate', kind: 'catch', label: 'States.Timeout' });
  });

  it('counts the running instances at each step, and those past due, as they start, move and end', async () => {
    late = await start('late-sale');
    expect(Date.parse(late.due)).toBeLessThan(Date.now());
    clock.advance(2 * DAY);
    timely = await start('timely-sale');
    expect(Date.parse(timely.due)).toBeGreaterThan(Date.now());
    await expect.poll(counts).toEqual([{ version: 1, step: 'Fulfil', running: 2, overdue: 1 }]);

    // A step's instances, earliest due first; those past due; of any version.
    expect(await listed('process=quick-sale&step=Fulfil&version=1')).toEqual([late.id, timely.id]);
    expect(await listed('process=quick-sale&step=Fulfil&version=1&overdue=true')).toEqual([late.id]);
    expect(await listed('process=quick-sale&step=Fulfil&version=1&limit=1')).toEqual([late.id]);
    expect((await listed('process=quick-sale&step=Fulfil')).sort()).toEqual([late.id, timely.id].sort());
    expect(await listed('process=quick-sale&step=Fulfil&overdue=true')).toEqual([late.id]);
    expect(await listed('process=quick-sale&step=Close&version=1')).toEqual([]);

    // The state machine's step written again (at least once), copies at once: no count moves.
    const { handler } = await import('../../functions/processes/steps.ts');
    const instance = { tenant: TENANT, id: timely.id, process: 'quick-sale', subject: { type: 'company', id: sales.company }, startedBy: sales.adminSub, startedAt: timely.startedAt };
    const again = { action: 'step', instance, step: 'Fulfil', assignee: { team: sales.fulfilment }, due: timely.due };
    await Promise.all([handler(again), handler(again), handler(again)]);
    expect(await counts()).toEqual([{ version: 1, step: 'Fulfil', running: 2, overdue: 1 }]);

    // The late one is fulfilled: it moves on and ends.
    await fulfil(admin, late.id);
    await expect.poll(counts).toEqual([{ version: 1, step: 'Fulfil', running: 1, overdue: 0 }]);
    expect(await listed('process=quick-sale&step=Fulfil&version=1')).toEqual([timely.id]);

    // The timely one is stopped: an end only Step Functions' status event reports.
    await sales.sfn.send(new StopExecutionCommand({ executionArn: executionArn(timely.id), cause: 'cancelled by the client' }));
    expect(await instanceAt(admin, timely.id, { ended: true })).toMatchObject({ status: 'aborted' });
    await expect.poll(counts).toEqual([]);
  });

  it('counts for a caller who sees only some instances those they see; for one who sees all, the tenant\'s', async () => {
    const rep = await person(cloud, TENANT, 'sales-representative');
    const theirs = (await ownedBy(admin, 'companies', { name: 'Rep Co' }, rep.sub)).id;
    const onTheirs = await startSale(admin, `/api/companies/${theirs}`, 'on-reps-company', order(sales.fulfilment));
    const onOthers = await start('on-admins-company');
    await instanceAt(admin, onTheirs.json.id, { step: 'Fulfil' });
    expect(await quickSale()).toMatchObject({ counted: 'tenant', counts: [{ version: 1, step: 'Fulfil', running: 2, overdue: 0 }] });
    const reps = (await rep.client.get('/api/processes')).json.items[0];
    expect(reps).toMatchObject({ counted: 'visible', counts: [{ version: 1, step: 'Fulfil', running: 1, overdue: 0 }], failed: 0 });
    expect((await rep.client.get('/api/processes/instances?process=quick-sale&step=Fulfil&version=1')).json.items.map((i: { id: string }) => i.id)).toEqual([onTheirs.json.id]);
    for (const id of [onTheirs.json.id, onOthers.id]) await sales.sfn.send(new StopExecutionCommand({ executionArn: executionArn(id) }));
    await expect.poll(counts).toEqual([]);
  });

  it('refuses a step list without its process, or a version or overdue without a step, naming the field', async () => {
    for (const [query, path] of [
      ['step=Fulfil', 'query.process'],
      ['process=quick-sale&version=1', 'query.version'],
      ['process=quick-sale&overdue=true', 'query.overdue'],
      ['process=quick-sale&step=Fulfil&status=completed', 'query.status'],
      [`process=quick-sale&step=${'s'.repeat(81)}`, 'query.step'],
      ['process=quick-sale&step=Fulfil&version=x', 'query.version'],
    ]) {
      const answer = await admin.get(`/api/processes/instances?${query}`);
      expect(answer.status, `${query}: ${answer.text}`).toBe(400);
      expect(answer.json.error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    }
    expect((await admin.get(`/api/processes/instances?process=quick-sale&step=${'s'.repeat(80)}`)).status).toBe(200);
  });
});

describe('an instance\'s timeline', () => {
  it('says who started it, that the task was offered to the team, who completed it with which values, and how it ended', async () => {
    const { lines, diagram } = await timeline(late.id);
    expect(diagram.states.map((state: { name: string }) => state.name)).toEqual(['Take order', 'Fulfil', 'Escalate', 'Close']);
    expect(lines.map((line) => [line.kind, line.step, line.by])).toEqual([
      ['started', null, sales.adminSub],
      ['entered', 'Take order', null],
      ['entered', 'Fulfil', null],
      ['offered', 'Fulfil', null],
      ['completed', 'Fulfil', sales.adminSub],
      ['entered', 'Close', null],
      ['succeeded', null, null],
    ]);
    expect(lines[3].text).toBe(`Task “Fulfil the order” offered to team ${sales.fulfilment}, due ${late.due}`);
    expect(lines[4].values).toEqual({ shippedOn: '2026-12-07' });
    // The offered task is named, to act on it.
    expect((await admin.get(`/api/tasks/${lines[3].task}`)).json).toMatchObject({ instance: late.id, status: 'done' });
    expect(lines.map((line) => line.at)).toEqual([...lines.map((line) => line.at)].sort());

    // Page by page (a page of 3 events), the same lines.
    const paged = await timeline(late.id, 3);
    expect(paged.lines.map((line) => [line.kind, line.step])).toEqual(lines.map((line) => [line.kind, line.step]));
  });

  it('says a step failed, the instance failed, was retried from the failed step and failed again', async () => {
    // An order without its fulfilment team (as no start through the API takes it): the Fulfil step's payload is refused.
    const id = 'f'.repeat(32);
    const input = { instance: { tenant: TENANT, id, process: 'quick-sale', subject: { type: 'company', id: sales.company }, startedBy: sales.adminSub }, request: 'r', input: { lines: [{ description: 'Widget', quantity: 1 }] } };
    await sales.sfn.send(new StartExecutionCommand({ stateMachineArn: `${sales.machine}:live`, name: id, input: JSON.stringify(input) }));
    expect(await instanceAt(admin, id, { ended: true })).toMatchObject({ status: 'failed', outcome: { error: 'BadStepEventError' } });
    await expect.poll(async () => (await quickSale()).failed).toBe(1);

    await sales.sfn.send(new RedriveExecutionCommand({ executionArn: executionArn(id) }));
    await expect.poll(async () => (await timeline(id)).lines.filter((line) => line.kind === 'failed').length).toBe(2);
    const { lines } = await timeline(id);
    expect(lines.map((line) => [line.kind, line.step])).toEqual([
      ['started', null],
      ['entered', 'Take order'],
      ['entered', 'Fulfil'],
      ['error', 'Fulfil'],
      ['failed', 'Fulfil'],
      ['redriven', 'Fulfil'],
      ['entered', 'Fulfil'],
      ['error', 'Fulfil'],
      ['failed', 'Fulfil'],
    ]);
    expect(lines[3]).toMatchObject({ text: 'Fulfil failed: BadStepEventError', error: 'BadStepEventError' });
    expect(lines[3].cause).toContain('not a process step');
    expect(lines[5].text).toBe('Retried from the failed step (retry 1)');
  });

  it('is not there for an instance the caller does not see, and refuses a bad cursor or page size, naming it', async () => {
    const outsider = await cloud.userOf('monitor-other');
    expect((await outsider.get(`/api/processes/instances/${late.id}/timeline`)).status).toBe(404);
    expect((await admin.get(`/api/processes/instances/${'0'.repeat(32)}/timeline`)).status).toBe(404);
    expect((await admin.get('/api/processes/instances/nope/timeline')).status).toBe(404);
    for (const [query, path] of [
      ['limit=101', 'query.limit'],
      ['limit=0', 'query.limit'],
      ['cursor=not%20a%20cursor', 'query.cursor'],
      ['cursor=bm90LWEtdG9rZW4', 'query.cursor'],
    ]) {
      const answer = await admin.get(`/api/processes/instances/${late.id}/timeline?${query}`);
      expect(answer.status, `${query}: ${answer.text}`).toBe(400);
      expect(answer.json.error.issues[0].path).toBe(path);
    }
    expect((await admin.get(`/api/processes/instances/${late.id}/timeline?limit=100`)).status).toBe(200);
  });
});
