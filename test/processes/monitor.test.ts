/**
 * The process monitor through the gateway, the real SFN client and local/states (one cloud for the
 * file): `GET /api/processes` counts running and overdue
 * instances per version and step from the instance items as they start, move and end (and a
 * step written again changes no count); a step's instances are listed; an instance's timeline
 * reads its execution's history as lines (a task offered and completed with its values; a step
 * that failed, the instance failed, retried from the failed step and failed again).
 *
 * A sale past due is one whose Fulfil step the state machine's step function wrote with a due
 * time in the past (as it writes every step: the processSteps handler).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedriveExecutionCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { fulfil, instanceAt, order, quickSales, startSale, type QuickSales } from '../support/quick-sales.ts';
import { ownedBy, person } from '../support/people.ts';

const TENANT = 'monitor-a';

let cloud: TestCloud;
let sales: QuickSales;
let admin: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
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
  const started = await startSale(admin, `/api/companies/${sales.company}`, key, order());
  expect(started.status, started.text).toBe(201);
  return (await instanceAt(admin, started.json.id, { step: 'Fulfil' })) as { id: string; due: string; startedAt: string; version: number };
};
const executionArn = (id: string) => `${sales.machine.replace(':stateMachine:', ':execution:')}:${id}`;

/** The instance's step written again by the state machine's step function (as it writes every step), with `due`. */
async function stepWritten(instance: { id: string; startedAt: string }, due: string) {
  const { handler } = await import('../../functions/processes/steps.ts');
  const basics = { tenant: TENANT, id: instance.id, process: 'quick-sale', subject: { type: 'company', id: sales.company }, startedBy: sales.adminSub, startedAt: instance.startedAt };
  return handler({ action: 'step', instance: basics, step: 'Fulfil', assignee: { team: sales.fulfilment }, due });
}

/** Whether `lines` hold `expected` ([kind, step] each) in this order, others between. */
const holdsInOrder = (lines: Array<{ kind: string; step: string | null }>, expected: Array<[string, string | null]>) => {
  let at = 0;
  for (const line of lines) if (at < expected.length && line.kind === expected[at][0] && line.step === expected[at][1]) at++;
  return at === expected.length;
};

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

let late: { id: string; due: string; startedAt: string };
let timely: { id: string; due: string; startedAt: string };

describe('the monitor', () => {
  it('shows each process with its live version and its diagram, and no count before any start', async () => {
    const process = await quickSale();
    expect(process).toMatchObject({ label: 'Quick sale', liveVersion: 1, counts: [], counted: 'tenant', failed: 0, mayStart: true });
    expect(process.diagram.states).toContainEqual(expect.objectContaining({ name: 'Fulfilment', type: 'Map', parent: null }));
    expect(process.diagram.states).toContainEqual(expect.objectContaining({ name: 'Fulfil', parent: 'Fulfilment', human: true }));
    expect(process.diagram.edges).toContainEqual({ from: 'Take order', to: 'Fulfilment', kind: 'next' });
    expect(process.diagram.edges.some((edge: { kind: string }) => edge.kind === 'catch')).toBe(true);
  });

  it('counts the running instances at each step, and those past due, as they start, move and end', async () => {
    late = await start('late-sale');
    timely = await start('timely-sale');
    expect(Date.parse(timely.due)).toBeGreaterThan(Date.now());
    await expect.poll(counts).toEqual([{ version: 1, step: 'Fulfil', running: 2, overdue: 0 }]);
    // The late one's step written with a due time an hour ago: it is past due.
    late = { ...late, due: new Date(Date.now() - 3_600_000).toISOString() };
    await stepWritten(late, late.due);
    await expect.poll(counts).toEqual([{ version: 1, step: 'Fulfil', running: 2, overdue: 1 }]);

    // A step's instances, earliest due first; those past due; of any version.
    expect(await listed('process=quick-sale&step=Fulfil&version=1')).toEqual([late.id, timely.id]);
    expect(await listed('process=quick-sale&step=Fulfil&version=1&overdue=true')).toEqual([late.id]);
    expect(await listed('process=quick-sale&step=Fulfil&version=1&limit=1')).toEqual([late.id]);
    expect((await listed('process=quick-sale&step=Fulfil')).sort()).toEqual([late.id, timely.id].sort());
    expect(await listed('process=quick-sale&step=Fulfil&overdue=true')).toEqual([late.id]);
    expect(await listed('process=quick-sale&step=Close&version=1')).toEqual([]);

    // The state machine's step written again (at least once), copies at once: no count moves.
    await Promise.all([stepWritten(timely, timely.due), stepWritten(timely, timely.due), stepWritten(timely, timely.due)]);
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
    const onTheirs = await startSale(admin, `/api/companies/${theirs}`, 'on-reps-company', order());
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
    expect(diagram.states.map((state: { name: string }) => state.name)).toContain('Fulfil');
    expect(lines[0]).toMatchObject({ kind: 'started', step: null, by: sales.adminSub });
    expect(lines.at(-1)).toMatchObject({ kind: 'succeeded', step: null });
    expect(holdsInOrder(lines, [['entered', 'Take order'], ['entered', 'Fulfil'], ['offered', 'Fulfil'], ['completed', 'Fulfil'], ['offered', 'Quality control'], ['completed', 'Quality control'], ['entered', 'Close']]), JSON.stringify(lines.map((l) => [l.kind, l.step]))).toBe(true);
    const offered = lines.find((line) => line.kind === 'offered' && line.step === 'Fulfil');
    expect(offered).toMatchObject({ title: 'Fulfil the order', assignee: { team: sales.fulfilment } });
    expect(lines.find((line) => line.kind === 'completed' && line.step === 'Fulfil')).toMatchObject({ by: sales.adminSub, values: { shippedOn: '2026-12-07' } });
    // The offered task is named, to act on it.
    expect((await admin.get(`/api/tasks/${offered.task}`)).json).toMatchObject({ instance: late.id, status: 'done' });
    expect(lines.map((line) => line.at)).toEqual([...lines.map((line) => line.at)].sort());

    // Page by page (a page of 3 events), the same lines.
    const paged = await timeline(late.id, 3);
    expect(paged.lines.map((line) => [line.kind, line.step])).toEqual(lines.map((line) => [line.kind, line.step]));
  });

  it('says a step failed, the instance failed, was retried from the failed step and failed again', async () => {
    // An order no start through the API takes (its lines are no list): the Take order step's payload is refused.
    const id = 'f'.repeat(32);
    const input = { instance: { tenant: TENANT, id, process: 'quick-sale', subject: { type: 'company', id: sales.company }, startedBy: sales.adminSub }, request: 'r', order: { lines: 'none' } };
    await sales.sfn.send(new StartExecutionCommand({ stateMachineArn: `${sales.machine}:live`, name: id, input: JSON.stringify(input) }));
    expect(await instanceAt(admin, id, { ended: true })).toMatchObject({ status: 'failed', outcome: { error: 'BadStepEventError' } });
    await expect.poll(async () => (await quickSale()).failed).toBe(1);

    await sales.sfn.send(new RedriveExecutionCommand({ executionArn: executionArn(id) }));
    await expect.poll(async () => (await timeline(id)).lines.filter((line) => line.kind === 'failed').length).toBe(2);
    const { lines } = await timeline(id);
    expect(lines.map((line) => [line.kind, line.step])).toEqual([
      ['started', null],
      ['entered', 'Take order'],
      ['error', 'Take order'],
      ['failed', 'Take order'],
      ['redriven', 'Take order'],
      ['entered', 'Take order'],
      ['error', 'Take order'],
      ['failed', 'Take order'],
    ]);
    expect(lines[2]).toMatchObject({ text: 'Take order failed: BadStepEventError', error: 'BadStepEventError' });
    expect(lines[2].cause).toContain('not a process step');
    expect(lines[4].text).toBe('Retried from the failed step (retry 1)');
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
