/**
 * The reports through the API against the local cloud, on deals moved through the API (their
 * stage moves written by the deals' own writes): each counts what the caller may see (own scope
 * against all), filters by owner and team, sees a move the moment it is acknowledged, drills down
 * to a grid view of exactly the deals behind a number, and refuses bad input naming the field.
 * The numbers' arithmetic on a history with chosen times is functions/analytics/reports.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsAnswer, Drill, MAX_PERIOD_DAYS, type Cell } from '../../functions/contracts/analytics.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { person, team, type Person } from '../support/people.ts';

const TENANT = 'analytics-api';
let cloud: TestCloud;
let admin: ApiClient;
let rep: Person;
let other: Person;
let teamId: string;
const ids: Record<string, string> = {};
const today = new Date().toISOString().slice(0, 10);

async function deal(client: ApiClient, name: string, stages: Array<string | Record<string, unknown>>): Promise<void> {
  const created = await client.post('/api/deals', { name, amount: { amount: '100.00', currency: 'EUR' } });
  expect(created.status, created.text).toBe(201);
  let { id, version } = created.json as { id: string; version: number };
  for (const stage of stages) {
    const fields = typeof stage === 'string' ? { stage } : stage;
    const moved = await client.patch(`/api/deals/${id}`, { version, fields });
    expect(moved.status, moved.text).toBe(200);
    version = moved.json.version;
  }
  ids[name] = id;
}

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf(TENANT);
  teamId = await team(admin, 'North');
  rep = await person(cloud, TENANT, 'sales-representative', admin, [teamId]);
  other = await person(cloud, TENANT, 'sales-representative', admin);
  // Today, in the default pipeline (new, qualified, proposal, negotiation, won, lost):
  await deal(rep.client, 'R1', []);
  await deal(rep.client, 'R2', ['proposal']); // skips qualified
  await deal(rep.client, 'R3', ['qualified', { stage: 'lost', lossReason: 'price' }]);
  await deal(other.client, 'S1', ['qualified']);
});
afterAll(() => cloud?.stop());

async function report(client: ApiClient, name: string, query: Record<string, string> = {}): Promise<AnalyticsAnswer> {
  const response = await client.get(`/api/analytics/${name}?${new URLSearchParams({ pipeline: 'default', from: today, to: today, ...query })}`);
  expect(response.status, response.text).toBe(200);
  return AnalyticsAnswer.parse(response.json);
}

const cellOf = (answer: AnalyticsAnswer, table: string, row: string, column: string): Cell => answer.tables.find((t) => t.key === table)!.rows.find((r) => r.key === row)!.cells[column];
const entered = (answer: AnalyticsAnswer) => Object.fromEntries(answer.tables[0].rows.map((row) => [row.key, row.cells.entered.value]));
const names = (found: string[]) => found.map((id) => Object.keys(ids).find((name) => ids[name] === id)).sort();

async function drill(client: ApiClient, name: string, cell: string, query: Record<string, string> = {}): Promise<Drill> {
  const response = await client.get(`/api/analytics/${name}/drill?${new URLSearchParams({ pipeline: 'default', from: today, to: today, cell, ...query })}`);
  expect(response.status, response.text).toBe(200);
  return Drill.parse(response.json);
}

describe('GET /api/analytics/{report}', () => {
  it('counts the moves of the deals the caller sees, both ways of counting skipped stages', async () => {
    expect(entered(await report(admin, 'funnel'))).toEqual({ new: 4, qualified: 2, proposal: 1, negotiation: 0, won: 0 });
    // R2 jumped from new to proposal: it passed qualified.
    const skipped = await report(admin, 'funnel', { conversion: 'skipped' });
    expect(skipped.conversion).toBe('skipped');
    expect(entered(skipped)).toEqual({ new: 4, qualified: 3, proposal: 1, negotiation: 0, won: 0 });
    expect(cellOf(skipped, 'stages', 'new', 'advanced').value).toBe(3);
    // A representative sees their own deals only, as in the grid: not S1.
    expect(entered(await report(rep.client, 'funnel'))).toEqual({ new: 3, qualified: 1, proposal: 1, negotiation: 0, won: 0 });
    expect(entered(await report(other.client, 'funnel'))).toEqual({ new: 1, qualified: 1, proposal: 0, negotiation: 0, won: 0 });
  });

  it('filters by owner and by team (its members’ deals)', async () => {
    expect(entered(await report(admin, 'funnel', { owner: other.sub }))).toEqual({ new: 1, qualified: 1, proposal: 0, negotiation: 0, won: 0 });
    expect(entered(await report(admin, 'funnel', { team: teamId }))).toEqual({ new: 3, qualified: 1, proposal: 1, negotiation: 0, won: 0 });
    // Both: the owner among the team's members.
    expect(entered(await report(admin, 'funnel', { team: teamId, owner: other.sub }))).toEqual({ new: 0, qualified: 0, proposal: 0, negotiation: 0, won: 0 });
  });

  it('counts losses by stage and reason', async () => {
    const losses = await report(admin, 'losses');
    expect(losses.figures.lost.value).toBe(1);
    expect(losses.figures.lostAmount.value).toBe(100);
    expect(losses.currency).toBe('EUR');
    expect(cellOf(losses, 'byReason', 'price', 'count').value).toBe(1);
    expect(cellOf(losses, 'byStage', 'qualified', 'count').value).toBe(1);
    expect(names((await drill(admin, 'losses', cellOf(losses, 'byStage', 'qualified', 'count').drill!)).view.filters![0].value as string[])).toEqual(['R3']);
  });

  it('answers every report, and the same to concurrent copies of one request', async () => {
    for (const name of ['velocity', 'forecast', 'won-lost']) await report(admin, name);
    const copies = await Promise.all([1, 2, 3].map(() => report(admin, 'won-lost', { by: 'owner' })));
    expect(copies[1]).toEqual(copies[0]);
    expect(copies[2]).toEqual(copies[0]);
    expect(copies[0].tables[0].rows.map((row) => row.key)).toEqual([rep.sub]);
  });

  it('sees a move as soon as it is acknowledged', async () => {
    const before = await report(admin, 'funnel');
    await deal(admin, 'A1', ['negotiation']);
    expect(entered(await report(admin, 'funnel'))).toEqual({ ...entered(before), new: 5, negotiation: 1 });
  });
});

describe('GET /api/analytics/{report}/drill', () => {
  it('is a grid view of exactly the deals behind the number, which the views API opens', async () => {
    const funnel = await report(rep.client, 'funnel');
    const cell = cellOf(funnel, 'stages', 'new', 'entered');
    const view = await drill(rep.client, 'funnel', cell.drill!);
    expect(view.count).toBe(3);
    expect(view.exact).toBe(true);
    const saved = await rep.client.post('/api/views/deal', view.view);
    expect(saved.status, saved.text).toBe(201);
    const rows = await rep.client.get(`/api/views/deal/${saved.json.id}/rows`);
    expect(rows.status, rows.text).toBe(200);
    expect(names(rows.json.rows.map((row: unknown[]) => row[0]))).toEqual(['R1', 'R2', 'R3']);
  });

  it('refuses a number the report does not have', async () => {
    const response = await admin.get(`/api/analytics/funnel/drill?pipeline=default&cell=entered:nowhere`);
    expect(response.status).toBe(400);
    expect(ApiErrorBody.parse(response.json).error.issues).toEqual([expect.objectContaining({ path: 'query.cell' })]);
  });
});

describe('bad input', () => {
  const refused = async (path: string, status: number, field?: string) => {
    const response = await admin.get(path);
    expect(response.status, response.text).toBe(status);
    if (field) expect(ApiErrorBody.parse(response.json).error.issues?.map((issue) => issue.path)).toContain(field);
  };
  const daysBefore = (days: number) => new Date(Date.parse(today) - days * 86_400_000).toISOString().slice(0, 10);

  it('an unknown report is not found; an unknown pipeline, owner or team, a bad date, a bad option is refused naming it', async () => {
    const cases: Array<[query: string, field: string]> = [
      ['funnel', 'query.pipeline'],
      ['funnel?pipeline=nowhere', 'query.pipeline'],
      ['funnel?pipeline=default&from=2026-02-30', 'query.from'],
      ['funnel?pipeline=default&to=tomorrow', 'query.to'],
      ['funnel?pipeline=default&from=2026-03-01&to=2026-02-01', 'query.from'],
      ['funnel?pipeline=default&conversion=both', 'query.conversion'],
      ['losses?pipeline=default&conversion=skipped', 'query.conversion'],
      ['funnel?pipeline=default&by=owner', 'query.by'],
      ['funnel?pipeline=default&owner=nobody', 'query.owner'],
      ['funnel?pipeline=default&team=nowhere', 'query.team'],
      ['funnel?pipeline=default&currency=EURO', 'query.currency'],
      ['funnel?pipeline=default&colour=red', 'query.colour'],
    ];
    await refused('/api/analytics/pipeline?pipeline=default', 404);
    for (const [query, field] of cases) await refused(`/api/analytics/${query}`, 400, field);
  });

  it('a period of up to 5 years is answered, a longer one refused (also when only from is given)', async () => {
    await report(admin, 'losses', { from: daysBefore(MAX_PERIOD_DAYS - 1) });
    await refused(`/api/analytics/losses?pipeline=default&from=${daysBefore(MAX_PERIOD_DAYS)}&to=${today}`, 400, 'query.from');
    await refused(`/api/analytics/losses?pipeline=default&from=${daysBefore(MAX_PERIOD_DAYS)}`, 400, 'query.from');
  });

  it('a role that may not read deals may not read their reports', async () => {
    const agent = await person(cloud, TENANT, 'service-agent');
    const response = await agent.client.get(`/api/analytics/funnel?pipeline=default`);
    expect(response.status).toBe(403);
  });
});
