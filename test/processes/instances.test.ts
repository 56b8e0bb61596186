/**
 * Process instances through the gateway, the real SFN client and local/states (one cloud for the
 * file): a start on a record is an instance item kept current by its state machine, started on
 * the `live` alias once per idempotency key (retries and concurrent copies alike), refused whole
 * on bad input, and listed from the items in the caller's scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { ownedBy, person, type Person } from '../support/people.ts';
import { instanceIdOf } from '../../functions/processes/start-process.ts';
import { fulfil, instanceAt, line, order, quickSales, RATED_FIVE, startSale, type QuickSales } from '../support/quick-sales.ts';

let cloud: TestCloud;
let sales: QuickSales;
let admin: ApiClient;
let company: string;

const TENANT = 'proc-a';
const start = (client: ApiClient, recordPath: string, key: string, input: unknown = order(), process = 'quick-sale') => startSale(client, recordPath, key, input, process);
const executionsOfQuickSale = async () => (await sales.sfn.send(new ListExecutionsCommand({ stateMachineArn: sales.machine, maxResults: 1000 }))).executions ?? [];

beforeAll(async () => {
  cloud = await startTestCloud();
  sales = await quickSales(cloud, TENANT);
  ({ admin, company } = sales);
}, 120_000);
afterAll(async () => {
  sales?.sfn.destroy();
  await cloud?.stop();
});

describe('starting a process on a record', () => {
  it('writes the instance, runs it on the live alias version, and keeps the item current to its end', async () => {
    const started = await start(admin, `/api/companies/${company}`, 'first-sale');
    expect(started.status, started.text).toBe(201);
    const id = started.json.id;
    expect(started.headers.get('location')).toBe(`/api/processes/instances/${id}`);
    expect(started.json).toMatchObject({ process: 'quick-sale', version: 1, status: 'running', subject: { type: 'company', id: company }, startedBy: sales.adminSub, endedAt: null });
    // The state machine moves it: the fulfilment waits on the team.
    const waiting = await instanceAt(admin, id, { step: 'Fulfil' });
    expect(waiting).toMatchObject({ status: 'running', assignee: { team: sales.fulfilment }, startedAt: started.json.startedAt });
    expect(Date.parse(waiting.due)).toBeGreaterThan(Date.parse(waiting.startedAt));
    const instance = await fulfil(admin, id);
    expect(instance).toMatchObject({ status: 'completed', step: null, assignee: null, outcome: { result: RATED_FIVE }, version: 1 });
    expect(Date.parse(instance.endedAt)).toBeGreaterThanOrEqual(Date.parse(instance.startedAt));
    // The execution runs the alias's version.
    const [execution] = (await executionsOfQuickSale()).filter((e) => e.name === id);
    expect(execution.stateMachineAliasArn).toBe(`${sales.machine}:live`);
    expect(execution.stateMachineVersionArn).toBe(`${sales.machine}:1`);
  });

  it('starts one instance per key: a retry and concurrent copies answer the same instance, one execution', async () => {
    const copies = await Promise.all(Array.from({ length: 6 }, () => start(admin, `/api/companies/${company}`, 'copied-sale')));
    expect(copies.map((c) => c.status)).toEqual(Array(6).fill(201));
    const ids = new Set(copies.map((c) => c.json.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    await fulfil(admin, id);
    // A retry after the execution ended answers the same instance, as it is now.
    const retry = await start(admin, `/api/companies/${company}`, 'copied-sale');
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toMatchObject({ id, status: 'completed' });
    expect((await executionsOfQuickSale()).filter((e) => e.name === id)).toHaveLength(1);
    // The same key from another user is another user's start.
    const other = await cloud.userOf(TENANT);
    const theirs = await start(other, `/api/companies/${company}`, 'copied-sale');
    expect(theirs.status, theirs.text).toBe(201);
    expect(theirs.json.id).not.toBe(id);
  });

  it('refuses a key sent again with another start (422), and starts nothing more', async () => {
    const first = await start(admin, `/api/companies/${company}`, 'reused-key');
    expect(first.status).toBe(201);
    const before = (await executionsOfQuickSale()).length;
    const again = await start(admin, `/api/companies/${company}`, 'reused-key', order({ notes: 'another order' }));
    expect(again.status, again.text).toBe(422);
    expect(again.json.error).toMatchObject({ code: 'IdempotencyKeyReused', issues: [{ path: 'idempotencyKey' }] });
    expect((await executionsOfQuickSale()).length).toBe(before);
    expect((await admin.get(`/api/processes/instances/${first.json.id}`)).json.subject.id).toBe(company);
  });

  it('refuses bad input whole, naming the field, and starts nothing', async () => {
    const before = (await executionsOfQuickSale()).length;
    const otherTenant = await cloud.userOf('proc-other');
    const foreignProduct = (await otherTenant.post('/api/products', { name: 'Their widget' })).json.id;
    const foreignCompany = (await otherTenant.post('/api/companies', { name: 'Theirs' })).json.id;
    const product = (await admin.post('/api/products', { name: 'Widget' })).json.id;
    const cases: Array<[Promise<{ status: number; json: any }>, number, string | undefined]> = [
      [start(admin, `/api/companies/${company}`, 'bad-1', order(), 'no-such-process'), 400, 'process'],
      [start(admin, `/api/companies/${company}`, 'bad-2', { lines: [line('x', 1)] }), 400, 'input.delivery'],
      [start(admin, `/api/companies/${company}`, 'bad-3', order({ lines: [{ ...line('x', 1), quantity: 'two' }] })), 400, 'input.lines.0.quantity'],
      [start(admin, `/api/companies/${company}`, 'bad-4', order({ client: { type: 'company', id: foreignCompany } })), 400, 'input.client.id'],
      [start(admin, `/api/companies/${company}`, 'bad-4b', order({ lines: [line('x', 1, '10.00', { productId: foreignProduct })] })), 400, 'input.lines.0.productId'],
      [start(admin, `/api/companies/${company}`, 'bad-4c', order({ lines: [line('x', 1, '10.00'), line('y', 1, '10.00', { unitPrice: { amount: '1', currency: 'USD' } })] })), 400, 'input.lines.1.unitPrice.currency'],
      [start(admin, `/api/companies/${company}`, 'bad key!'), 400, 'idempotencyKey'],
      [start(admin, `/api/companies/${company}`, 'bad-5', order({ lines: [] })), 400, 'input.lines'],
      [start(admin, `/api/companies/${foreignCompany}`, 'bad-6'), 404, undefined],
      [start(admin, `/api/products/${product}`, 'bad-7'), 404, undefined],
    ];
    for (const [answer, status, path] of cases) {
      const { status: got, json } = await answer;
      expect(got, JSON.stringify(json)).toBe(status);
      if (path) expect(json.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect((await executionsOfQuickSale()).length).toBe(before);
  });

  it('takes order lines and notes up to their limits, and refuses one over', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => line(`${'L'.repeat(196)}${String(i).padStart(4, '0')}`, 1_000_000));
    const atLimit = await start(admin, `/api/companies/${company}`, 'limit-ok', order({ lines, notes: 'n'.repeat(10_000) }));
    expect(atLimit.status, atLimit.text).toBe(201);
    const over = await Promise.all([
      start(admin, `/api/companies/${company}`, 'limit-1', order({ lines: [...lines, lines[0]] })),
      start(admin, `/api/companies/${company}`, 'limit-2', order({ notes: 'n'.repeat(10_001) })),
      start(admin, `/api/companies/${company}`, 'limit-3', order({ lines: [line('x'.repeat(201), 1)] })),
      start(admin, `/api/companies/${company}`, 'k'.repeat(65)),
    ]);
    expect(over.map((o) => [o.status, o.json.error.issues[0].path])).toEqual([
      [400, 'input.lines'],
      [400, 'input.notes'],
      [400, 'input.lines.0.name'],
      [400, 'idempotencyKey'],
    ]);
    await instanceAt(admin, atLimit.json.id, { step: 'Fulfil' });
  });

  it('is written from its execution when the start stopped between starting it and writing it', async () => {
    // As if the API crashed right after StartExecution: the execution's own RUNNING event and steps write the instance.
    const sub = (await admin.get('/api/me')).json.sub;
    const id = instanceIdOf(TENANT, sub, 'crashed-start');
    const { config } = (await admin.get('/api/processes/quick-sale/config')).json;
    const priced = { ...line('Widget', 2), amount: { amount: '20.00', currency: 'EUR' } };
    const taken = { client: { type: 'company', id: company }, lines: [priced], amount: priced.amount, delivery: order().delivery };
    const input = { instance: { tenant: TENANT, id, process: 'quick-sale', subject: { type: 'company', id: company }, startedBy: sub }, request: 'r', order: taken, config };
    await sales.sfn.send(new StartExecutionCommand({ stateMachineArn: `${sales.machine}:live`, name: id, input: JSON.stringify(input) }));
    expect(await instanceAt(admin, id, { step: 'Fulfil' })).toMatchObject({ id, status: 'running', version: 1, startedBy: sub, subject: { type: 'company', id: company } });
  });
});

describe('listing instances', () => {
  let rep: Person;
  let repCompany: string;
  let contact: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    rep = await person(cloud, TENANT, 'sales-representative');
    repCompany = (await ownedBy(admin, 'companies', { name: 'Rep Co' }, rep.sub)).id;
    contact = (await admin.post('/api/contacts', { name: 'Ann' })).json.id;
    for (const [key, path] of [['rep-1', `/api/companies/${repCompany}`], ['rep-2', `/api/companies/${repCompany}`], ['contact-1', `/api/contacts/${contact}`]] as const) {
      const started = await start(admin, path, key);
      expect(started.status, started.text).toBe(201);
      ids[key] = started.json.id;
      await fulfil(admin, started.json.id);
    }
  }, 60_000);

  const all = async (client: ApiClient, query: string) => {
    const found: any[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.get(`/api/processes/instances?${query}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status, page.text).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(1);
      found.push(...page.json.items);
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    return found;
  };

  it('pages through a subject\'s instances, newest first, filtered by process and status', async () => {
    const ofRepCompany = await all(admin, `subject=company:${repCompany}`);
    expect(ofRepCompany.map((i) => i.id)).toEqual([ids['rep-2'], ids['rep-1']]);
    expect((await all(admin, `subject=company:${repCompany}&status=running`)).length).toBe(0);
    expect((await all(admin, `process=quick-sale&status=completed`)).map((i) => i.id)).toEqual(expect.arrayContaining(Object.values(ids)));
    const everything = await all(admin, 'process=quick-sale');
    expect(everything.map((i) => i.startedAt)).toEqual([...everything.map((i) => i.startedAt)].sort().reverse());
  });

  it('answers only instances whose record the caller sees; another tenant sees none', async () => {
    const seenByRep = await all(rep.client, 'process=quick-sale');
    expect(seenByRep.map((i) => i.id).sort()).toEqual([ids['rep-1'], ids['rep-2']].sort());
    expect((await rep.client.get(`/api/processes/instances/${ids['contact-1']}`)).status).toBe(404);
    expect((await rep.client.get(`/api/processes/instances/${ids['rep-1']}`)).status).toBe(200);
    const outsider = await cloud.userOf('proc-outsider');
    expect((await outsider.get('/api/processes/instances')).json.items).toEqual([]);
    expect((await outsider.get(`/api/processes/instances/${ids['rep-1']}`)).status).toBe(404);
  });

  it('refuses a bad filter or page size, naming it', async () => {
    for (const [query, path] of [
      ['status=done', 'query.status'],
      ['limit=101', 'query.limit'],
      ['subject=company', 'query.subject'],
      ['cursor=x', 'query.cursor'],
      ['process=nope', 'query.process'],
    ]) {
      const answer = await admin.get(`/api/processes/instances?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.json.error.issues[0].path).toBe(path);
    }
    expect((await admin.get('/api/processes/instances?limit=100')).status).toBe(200);
  });
});
