/**
 * The quick sale end to end, as workflows/quick-sale.asl.json is deployed, run by local/states in
 * the embedded cloud on a clock the test moves (never a shortened definition), driven only through
 * the API and the SFN client. The tenant's configuration: two fulfilment steps for the warehouse
 * (pick within 4 working hours, ship within a working day), quality control by the QC team a
 * working day after fulfilment, a rating below 3 followed up by the client's owner, escalation to
 * the team's supervisor (of fulfilment, rating and follow-up). Its calendar is the default one: Monday to Friday, 09:00-17:00 UTC.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, StartExecutionCommand, UpdateStateMachineAliasCommand, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import { AdjustableClock } from '../../local/states/clock.ts';
import { instanceIdOf } from '../../functions/processes/start-process.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { ownedBy, person, type Person } from '../support/people.ts';
import { MAX_CONFIG_BYTES, MAX_START_BYTES } from '../../functions/contracts/quick-sale.ts';
import { configOfBytes, configureQuickSale, instanceAt, line, order, orderOfBytes, quickSaleConfig, quickSales, startSale, supervise, taskAt, type QuickSales } from '../support/quick-sales.ts';

const TENANT = 'quick-sale';
/** A Friday afternoon. */
const clock = new AdjustableClock('2026-12-04T14:00:00Z');
let cloud: TestCloud;
let sales: QuickSales;
let rep: Person;
let warehouse: Person;
let quality: Person;
let boss: Person;
let teams: { warehouse: string; quality: string };
let repCompany: string;
let keys = 0;

const PICK_FORM = { fields: [{ key: 'picked', label: 'All picked', type: 'checkbox', required: true }] };
const SHIP_FORM = {
  fields: [
    { key: 'shippedOn', label: 'Shipped on', type: 'date', required: true },
    { key: 'carrier', label: 'Carrier', type: 'single_select', options: ['DHL', 'UPS'], required: true },
    { key: 'parcels', label: 'Parcels', type: 'number', min: 1, integer: true },
  ],
};
const configOf = (names = { pick: 'Pick', ship: 'Ship' }) =>
  quickSaleConfig(teams.warehouse, {
    fulfilment: [
      { name: names.pick, team: teams.warehouse, form: PICK_FORM, due: { amount: 4, unit: 'hours' } },
      { name: names.ship, team: teams.warehouse, form: SHIP_FORM, due: { amount: 1, unit: 'days' } },
    ],
    qc: { team: teams.quality, delay: 1, threshold: 3, due: { amount: 1, unit: 'days' } },
    followUp: { due: { amount: 1, unit: 'days' } },
    reminderShare: 0.5,
    escalation: 'supervisor',
  });

beforeAll(async () => {
  cloud = await startTestCloud({ statesClock: clock });
  sales = await quickSales(cloud, TENANT);
  rep = await person(cloud, TENANT, 'sales-representative');
  boss = await person(cloud, TENANT, 'sales-manager');
  const warehouseTeam = (await sales.admin.post('/api/teams', { name: 'Dispatch', supervisor: boss.sub })).json.id as string;
  const qualityTeam = (await sales.admin.post('/api/teams', { name: 'Quality', supervisor: null })).json.id as string;
  teams = { warehouse: warehouseTeam, quality: qualityTeam };
  warehouse = await person(cloud, TENANT, 'service-agent', sales.admin, [teams.warehouse]);
  quality = await person(cloud, TENANT, 'service-agent', sales.admin, [teams.quality]);
  repCompany = (await ownedBy(sales.admin, 'companies', { name: 'Rep Co' }, rep.sub)).id;
  await configureQuickSale(sales.admin, configOf());
}, 120_000);
afterAll(async () => {
  sales?.sfn.destroy();
  await cloud?.stop();
});

const executionArn = (instance: string) => `${sales.machine.replace(':stateMachine:', ':execution:')}:${instance}`;
const history = async (instance: string) => (await sales.sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn(instance), maxResults: 1000 }))).events ?? [];
/** Milliseconds from `expected` to `actual` (ISO): a due time computed from the engine's running clock lies a moment after the exact one. */
const after = (actual: string, expected: string) => Date.parse(actual) - Date.parse(expected);

async function complete(client: ApiClient, task: { id: string }, form: Record<string, unknown>) {
  const done = await client.post(`/api/tasks/${task.id}/complete`, { form });
  // 202: taken, its delivery (raced by the stream's copy) not yet decided.
  expect([200, 202], done.text).toContain(done.status);
  return done.json;
}

async function refused(client: ApiClient, task: { id: string }, form: Record<string, unknown>) {
  const answer = await client.post(`/api/tasks/${task.id}/complete`, { form });
  expect(answer.status, answer.text).toBe(400);
  return answer.json.error.issues.map((issue: { path: string }) => issue.path).sort();
}

/** A sale the representative starts on their company: two product lines, 10% off the first. */
async function repSale(): Promise<string> {
  const lines = [line('Widget', 2, '10.00', { discount: 10 }), line('Gadget', 1, '5.50')];
  const started = await startSale(rep.client, `/api/companies/${repCompany}`, `rep-sale-${++keys}`, order({ lines, notes: 'Leave at the back door' }));
  expect(started.status, started.text).toBe(201);
  return started.json.id;
}

describe('a quick sale', () => {
  it('is taken by the representative, fulfilled in two steps by the warehouse, rated on the calendar\'s next working day, and followed up by the client\'s owner', async () => {
    const id = await repSale();
    // The order, priced as a deal's lines are, rides in the execution.
    const { input } = await sales.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(id) }));
    expect(JSON.parse(input!).order).toMatchObject({
      client: { type: 'company', id: repCompany },
      lines: [{ name: 'Widget', amount: { amount: '18.00', currency: 'EUR' } }, { name: 'Gadget', amount: { amount: '5.50', currency: 'EUR' } }],
      amount: { amount: '23.50', currency: 'EUR' },
      notes: 'Leave at the back door',
    });

    // Pick: offered to the warehouse, due 4 working hours after Friday 14:00 (3 on Friday, 1 on Monday); reminded at half of them.
    // (The engine's clock has run on since 14:00 while the cloud started: by `lag`, well within Friday's hours.)
    const lag = Date.parse((await rep.client.get(`/api/processes/instances/${id}`)).json.startedAt) - Date.parse('2026-12-04T14:00:00Z');
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(3_600_000);
    const pick = await taskAt(warehouse.client, id, 'Fulfil');
    expect(pick).toMatchObject({ title: 'Pick', team: teams.warehouse, assignee: null, status: 'open', form: PICK_FORM });
    for (const [at, exactly] of [[pick.due, '2026-12-07T10:00:00Z'], [pick.remindAt, '2026-12-04T16:00:00Z']]) {
      expect(after(at, exactly) - lag).toBeGreaterThanOrEqual(0);
      expect(after(at, exactly) - lag).toBeLessThan(10_000);
    }
    expect(await instanceAt(rep.client, id, { step: 'Fulfil' })).toMatchObject({ assignee: { team: teams.warehouse }, due: pick.due });
    expect((await warehouse.client.post(`/api/tasks/${pick.id}/claim`, {})).status).toBe(200);
    expect(await refused(warehouse.client, pick, { picked: 'yes' })).toEqual(['form.picked']);
    await complete(warehouse.client, pick, { picked: true });

    // Ship: the next configured step, due at the end of the next working day (Monday).
    const ship = await taskAt(warehouse.client, id, 'Fulfil');
    expect(ship).toMatchObject({ title: 'Ship', team: teams.warehouse, due: '2026-12-07T17:00:00.000Z' });
    expect(await refused(warehouse.client, ship, { shippedOn: '2026-12-04', carrier: 'FedEx', parcels: 0.5 })).toEqual(['form.carrier', 'form.parcels']);
    expect(await refused(warehouse.client, ship, { carrier: 'DHL' })).toEqual(['form.shippedOn']);
    await complete(warehouse.client, ship, { shippedOn: '2026-12-04', carrier: 'DHL', parcels: 2 });

    // Quality control waits a working day after Friday's fulfilment: until Monday's end, not Saturday's.
    const waiting = await instanceAt(rep.client, id, { step: 'Wait for quality control' });
    expect(waiting).toMatchObject({ status: 'running', assignee: null, due: '2026-12-07T17:00:00.000Z' });
    expect((await quality.client.get('/api/tasks?view=team')).json.items.filter((t: { instance: string }) => t.instance === id)).toEqual([]);
    clock.set('2026-12-07T17:00:01Z');
    const rating = await taskAt(quality.client, id, 'Quality control');
    expect(rating).toMatchObject({ team: teams.quality, due: '2026-12-08T17:00:00.000Z' });
    expect(await refused(quality.client, rating, { rating: 6 })).toEqual(['form.rating']);
    expect(await refused(quality.client, rating, { rating: 2.5 })).toEqual(['form.rating']);
    await complete(quality.client, rating, { rating: 2, comment: 'Arrived late, box dented' });

    // Below the threshold: the company's owner (the representative) follows up.
    const followUp = await taskAt(rep.client, id, 'Follow up', 'mine');
    expect(followUp).toMatchObject({ assignee: rep.sub, team: null, subject: { type: 'company', id: repCompany } });
    await complete(rep.client, followUp, { outcome: 'Called them; a discount on the next order' });
    expect(await instanceAt(rep.client, id, { ended: true })).toMatchObject({ status: 'completed', outcome: { result: 'fulfilled, rated 2 of 5, followed up' } });

    const path = (await history(id)).filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails!.name);
    expect(path).toEqual(['Take order', 'Plan fulfilment', 'Fulfil', 'Plan fulfilment', 'Fulfil', 'Plan quality control', 'Plan rating', 'Quality control', 'Plan follow-up', 'Follow up', 'Close']);
  });

  it('escalates a step not done in time to the team\'s supervisor, and goes on with the next step', async () => {
    const id = await repSale();
    const pick = await taskAt(warehouse.client, id, 'Fulfil');
    clock.set(Date.parse(pick.due) + 1000);
    await expect.poll(async () => (await warehouse.client.get(`/api/tasks/${pick.id}`)).json.status).toBe('escalated');
    // Reassigned, not closed: the supervisor holds it now, due again 4 working hours on.
    const escalated = await taskAt(boss.client, id, 'Fulfil', 'mine');
    expect(escalated).toMatchObject({ title: 'Pick', assignee: boss.sub, team: null, status: 'open' });
    expect(after(escalated.due, pick.due)).toBeGreaterThanOrEqual(4 * 3_600_000);
    expect(await instanceAt(rep.client, id, { step: 'Fulfil' })).toMatchObject({ status: 'running', assignee: { user: boss.sub }, due: escalated.due });
    expect((await warehouse.client.post(`/api/tasks/${escalated.id}/complete`, { form: { picked: true } })).status).toBe(403);
    await complete(boss.client, escalated, { picked: true });
    // The next step is the team's again.
    expect(await taskAt(warehouse.client, id, 'Fulfil')).toMatchObject({ title: 'Ship', team: teams.warehouse });
    expect((await rep.client.get(`/api/processes/instances/${id}`)).json.status).toBe('running');
  });

  it('escalates a rating not done in time to the QC team\'s supervisor, and a follow-up to the supervisor of the owner\'s team, each waiting on', async () => {
    const fieldSales = (await sales.admin.post('/api/teams', { name: 'Field sales', supervisor: boss.sub })).json.id as string;
    const seller = await person(cloud, TENANT, 'sales-representative', sales.admin, [fieldSales]);
    const company = (await ownedBy(sales.admin, 'companies', { name: 'Seller Co' }, seller.sub)).id;
    await supervise(sales.admin, teams.quality, boss.sub);
    const started = await startSale(sales.admin, `/api/companies/${company}`, `late-rating-${++keys}`, order());
    expect(started.status, started.text).toBe(201);
    const id = started.json.id as string;
    await complete(warehouse.client, await taskAt(warehouse.client, id, 'Fulfil'), { picked: true });
    await complete(warehouse.client, await taskAt(warehouse.client, id, 'Fulfil'), { shippedOn: '2026-12-04', carrier: 'UPS' });
    clock.set(Date.parse((await instanceAt(sales.admin, id, { step: 'Wait for quality control' })).due) + 1000);

    // The rating, late: closed as escalated, offered to the QC team's supervisor due anew; the sale waits on.
    const rating = await taskAt(quality.client, id, 'Quality control');
    clock.set(Date.parse(rating.due) + 1000);
    await expect.poll(async () => (await quality.client.get(`/api/tasks/${rating.id}`)).json.status).toBe('escalated');
    const ratingLate = await taskAt(boss.client, id, 'Quality control', 'mine');
    expect(ratingLate).toMatchObject({ title: "Rate the sale's fulfilment", assignee: boss.sub, team: null, status: 'open', escalation: true });
    expect(after(ratingLate.due, rating.due)).toBeGreaterThan(0);
    expect(await instanceAt(sales.admin, id, { step: 'Quality control' })).toMatchObject({ status: 'running', assignee: { user: boss.sub }, due: ratingLate.due });
    await complete(boss.client, ratingLate, { rating: 2 });

    // The follow-up, late: from the client's owner to the supervisor of the owner's team.
    const followUp = await taskAt(seller.client, id, 'Follow up', 'mine');
    expect(followUp).toMatchObject({ assignee: seller.sub, team: null });
    clock.set(Date.parse(followUp.due) + 1000);
    await expect.poll(async () => (await seller.client.get(`/api/tasks/${followUp.id}`)).json.status).toBe('escalated');
    const followUpLate = await taskAt(boss.client, id, 'Follow up', 'mine');
    expect(followUpLate).toMatchObject({ title: 'Follow up a poorly rated sale', assignee: boss.sub, status: 'open', escalation: true });
    await complete(boss.client, followUpLate, { outcome: 'Called them myself' });
    expect(await instanceAt(sales.admin, id, { ended: true })).toMatchObject({ status: 'completed', outcome: { result: 'fulfilled, rated 2 of 5, followed up' } });
    const path = (await history(id)).filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails!.name);
    expect(path).toEqual(['Take order', 'Plan fulfilment', 'Fulfil', 'Plan fulfilment', 'Fulfil', 'Plan quality control', 'Plan rating', 'Quality control', 'Escalate quality control', 'Quality control', 'Plan follow-up', 'Follow up', 'Escalate follow-up', 'Follow up', 'Close']);
  });

  it('closes as rejected when a fulfilment step is rejected', async () => {
    const id = await repSale();
    const pick = await taskAt(warehouse.client, id, 'Fulfil');
    expect([200, 202]).toContain((await warehouse.client.post(`/api/tasks/${pick.id}/reject`, { reason: 'Out of stock' })).status);
    expect(await instanceAt(rep.client, id, { ended: true })).toMatchObject({ status: 'completed', outcome: { result: 'rejected' } });
  });

  it('writes its lines and amount to the deal it is started on; a client created with it is made once per key', async () => {
    const deal = (await sales.admin.post('/api/deals', { name: 'Harbour refit' })).json;
    const body = {
      client: { create: { type: 'company', fields: { name: 'Harbour Ltd', domain: 'harbour.example' } } },
      lines: [line('Widget', 3, '19.99', { discount: 10 }), line('Gadget', 2, '5.00')],
    };
    const copies = await Promise.all(Array.from({ length: 4 }, () => startSale(sales.admin, `/api/deals/${deal.id}`, 'deal-sale', order(body))));
    expect(copies.map((c) => c.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(copies.map((c) => c.json.id)).size).toBe(1);
    const retry = await startSale(sales.admin, `/api/deals/${deal.id}`, 'deal-sale', order(body));
    expect(retry.json.id).toBe(copies[0].json.id);
    // A key reused with another order is refused, and makes no client.
    const reused = await startSale(sales.admin, `/api/deals/${deal.id}`, 'deal-sale', order({ ...body, client: { create: { type: 'company', fields: { name: 'Other Ltd' } } } }));
    expect([reused.status, reused.json.error.code]).toEqual([422, 'IdempotencyKeyReused']);

    const { input } = await sales.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(copies[0].json.id) }));
    const client = JSON.parse(input!).order.client;
    expect((await sales.admin.get(`/api/companies/${client.id}`)).json).toMatchObject({ name: 'Harbour Ltd', owner: sales.adminSub });
    const named = (await sales.admin.post('/api/companies/ids-by-name', { names: ['Harbour Ltd', 'Other Ltd'] })).json.items;
    expect(named.map((item: { name: string; count: number }) => [item.name, item.count])).toEqual([['Harbour Ltd', 1], ['Other Ltd', 0]]);

    // Take order writes the lines to the deal once (a version more), its amount their sum.
    await expect.poll(async () => (await sales.admin.get(`/api/deals/${deal.id}`)).json.version).toBe(deal.version + 1);
    expect((await sales.admin.get(`/api/deals/${deal.id}`)).json).toMatchObject({
      lines: [
        { name: 'Widget', quantity: 3, amount: { amount: '53.97', currency: 'EUR' } },
        { name: 'Gadget', quantity: 2, amount: { amount: '10.00', currency: 'EUR' } },
      ],
      amount: { amount: '63.97', currency: 'EUR' },
    });
    expect((await sales.admin.get(`/api/processes/instances?subject=deal:${deal.id}`)).json.items.map((i: { id: string }) => i.id)).toEqual([copies[0].json.id]);
  });

  it('refuses a bad start whole, naming the field, and starts nothing', async () => {
    const bare = (await sales.admin.post('/api/deals', { name: 'No company yet' })).json.id;
    const cases: Array<[string, unknown, string[]]> = [
      [`/api/deals/${bare}`, order(), ['input.client']],
      [`/api/companies/${repCompany}`, order({ client: { create: { type: 'company', fields: { domain: 'x.example' } } } }), ['input.client.create.fields.name']],
      [`/api/companies/${repCompany}`, order({ client: { create: { type: 'lead', fields: { name: 'X' } } } }), ['input.client.create.type']],
      [`/api/companies/${repCompany}`, order({ delivery: { address: ' ', date: '2026-02-30' } }), ['input.delivery.address', 'input.delivery.date']],
      [`/api/companies/${repCompany}`, order({ lines: [line('Widget', 1, '10.00', { discount: 101 })] }), ['input.lines.0.discount']],
    ];
    for (const [path, input, paths] of cases) {
      const answer = await startSale(sales.admin, path, `bad-${++keys}`, input);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json.error.issues.map((i: { path: string }) => i.path).sort(), answer.text).toEqual(paths);
    }
    expect((await sales.admin.post('/api/companies/ids-by-name', { names: ['X'] })).json.items[0].count).toBe(0);
  });
});

describe('the configuration', () => {
  const put = (client: ApiClient, body: unknown) => client.put('/api/processes/quick-sale/config', body);
  const current = async () => (await sales.admin.get('/api/processes/quick-sale/config')).json;

  it('is changed by an administrator only, at the version seen: a stale one is 409 with the current one, copies at once save one', async () => {
    const seen = await current();
    expect(seen.config.fulfilment.map((s: { name: string }) => s.name)).toEqual(['Pick', 'Ship']);
    expect((await put(rep.client, { version: seen.version, config: seen.config })).status).toBe(403);
    const copies = await Promise.all(Array.from({ length: 3 }, () => put(sales.admin, { version: seen.version, config: seen.config })));
    expect(copies.map((c) => c.status).sort()).toEqual([200, 409, 409]);
    const conflict = copies.find((c) => c.status === 409)!;
    expect(conflict.json.error).toMatchObject({ code: 'VersionConflict', current: { version: seen.version + 1, config: seen.config } });
    expect((await current()).version).toBe(seen.version + 1);
  });

  it('refuses a bad one naming each field: teams of no one, repeated names, a select without options', async () => {
    const { version } = await current();
    const stranger = await cloud.userOf('quick-sale-other');
    const theirTeam = (await stranger.post('/api/teams', { name: 'Theirs' })).json.id;
    const bad = configOf();
    bad.fulfilment[1] = { ...bad.fulfilment[1], name: 'Pick', team: theirTeam };
    const refusedShape = await put(sales.admin, { version, config: { ...bad, fulfilment: [bad.fulfilment[0], { ...bad.fulfilment[1], form: { fields: [{ key: 'size', label: 'Size', type: 'single_select' }] } }] } });
    expect(refusedShape.status).toBe(400);
    expect(refusedShape.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['config.fulfilment.1.form.fields.0.options', 'config.fulfilment.1.name']);
    bad.fulfilment[1].name = 'Ship';
    const refusedTeams = await put(sales.admin, { version, config: { ...bad, qc: { ...(bad.qc as object), team: theirTeam } } });
    expect(refusedTeams.status).toBe(400);
    expect(refusedTeams.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['config.fulfilment.1.team', 'config.qc.team']);
    expect((await current()).version).toBe(version);
  });

  it('reaches only sales started after it: a running sale keeps the configuration it started with', async () => {
    const before = await repSale();
    await taskAt(warehouse.client, before, 'Fulfil');
    await configureQuickSale(sales.admin, configOf({ pick: 'Pick the goods', ship: 'Dispatch' }));
    const since = await repSale();
    expect(await taskAt(warehouse.client, since, 'Fulfil')).toMatchObject({ title: 'Pick the goods' });
    await complete(warehouse.client, await taskAt(warehouse.client, before, 'Fulfil'), { picked: true });
    await expect.poll(async () => (await warehouse.client.get('/api/tasks?view=team&limit=100')).json.items.find((t: { instance: string }) => t.instance === before)?.title).toBe('Ship');
  });
});

describe('versions', () => {
  it('runs a sale started on the first definition (its team in the start) to its end on that version, while new sales take the live one', async () => {
    // The first quick sale's definition, published again as it was deployed (its Lambda the same function), and made live.
    const { definition } = await sales.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: sales.machine }));
    const steps = JSON.parse(definition!).States['Take order'].Arguments.FunctionName as string;
    const first = readFileSync(new URL('./fixtures/quick-sale-first.asl.json', import.meta.url), 'utf8').replaceAll('${ProcessStepsFunctionArn}', steps);
    const { stateMachineVersionArn: firstVersion } = await sales.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: sales.machine, definition: first, publish: true }));
    await sales.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${sales.machine}:live`, routingConfiguration: [{ stateMachineVersionArn: firstVersion, weight: 100 }] }));
    // Started as the first API started it: the fulfilment team in the start's input.
    const old = instanceIdOf(TENANT, sales.adminSub, 'first-version-sale');
    const oldInput = { instance: { tenant: TENANT, id: old, process: 'quick-sale', subject: { type: 'company', id: sales.company }, startedBy: sales.adminSub }, request: 'first', input: { fulfilmentTeam: teams.warehouse, lines: [{ description: 'Widget', quantity: 2 }] } };
    await sales.sfn.send(new StartExecutionCommand({ stateMachineArn: `${sales.machine}:live`, name: old, input: JSON.stringify(oldInput) }));
    const oldTask = await taskAt(warehouse.client, old, 'Fulfil');
    expect(oldTask).toMatchObject({ title: 'Fulfil the order', team: teams.warehouse });

    // The current definition deployed again: a new version, live.
    const { stateMachineVersionArn: nowVersion } = await sales.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: sales.machine, definition, publish: true }));
    await sales.sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: `${sales.machine}:live`, routingConfiguration: [{ stateMachineVersionArn: nowVersion, weight: 100 }] }));
    const current = await repSale();
    expect((await instanceAt(rep.client, current, { step: 'Fulfil' })).version).toBe(Number(nowVersion!.split(':').at(-1)));

    await complete(warehouse.client, oldTask, { shippedOn: '2026-12-07', note: 'two parcels' });
    expect(await instanceAt(sales.admin, old, { ended: true })).toMatchObject({ version: Number(firstVersion!.split(':').at(-1)), status: 'completed', outcome: { result: 'closed' } });
    expect((await history(old)).filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails!.name)).toEqual(['Take order', 'Fulfil', 'Close']);
    expect(await taskAt(warehouse.client, current, 'Fulfil')).toMatchObject({ title: 'Pick the goods' });
  });
});

describe('at its limits', () => {
  it('runs a sale of the largest order on the largest configuration, its execution\'s input well within 256 KiB', async () => {
    await configureQuickSale(sales.admin, configOfBytes(MAX_CONFIG_BYTES));
    const started = await startSale(sales.admin, `/api/companies/${sales.company}`, 'largest-sale', orderOfBytes(MAX_START_BYTES));
    expect(started.status, started.text).toBe(201);
    // The first of ten steps, each with a form of 50 fields: the order's taker does it.
    const task = await taskAt(sales.admin, started.json.id, 'Fulfil', 'mine');
    expect(task).toMatchObject({ title: 'Step 0', assignee: sales.adminSub });
    expect(task.form.fields).toHaveLength(50);
    const { input } = await sales.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn(started.json.id) }));
    expect(Buffer.byteLength(input!)).toBeGreaterThan(MAX_START_BYTES + MAX_CONFIG_BYTES);
    expect(Buffer.byteLength(input!)).toBeLessThan(192 * 1024);
  });
});
