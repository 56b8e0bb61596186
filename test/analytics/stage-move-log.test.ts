/**
 * The reports' log of a tenant's moves (functions/analytics/stage-move-log.ts) through the API:
 * a history imported with its own past times (behind the log's catch-up by time) is read again
 * once the stream has marked its deals, the creation's move the import replaced gone with it; and
 * a first load larger than a request may read answers 503 Preparing, then goes on where it
 * stopped, until the report counts every move.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsAnswer } from '../../functions/contracts/analytics.ts';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { StageMoveImport } from '../../functions/contracts/stage-moves.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { PATIENT } from '../support/seed.ts';

let cloud: TestCloud;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  cloud = await startTestCloud();
});
afterAll(() => cloud?.stop());
afterEach(() => {
  delete process.env.STAGE_MOVES_LOAD_BUDGET_MS;
});

const entered = (answer: AnalyticsAnswer) => Object.fromEntries(answer.tables[0].rows.map((row) => [row.key, row.cells.entered.value]));
const funnel = (client: ApiClient, from: string, to = today) => client.get(`/api/analytics/funnel?pipeline=default&from=${from}&to=${to}`);

async function deals(client: ApiClient, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await client.post('/api/deals', { name: `Deal ${i}` });
    expect(created.status, created.text).toBe(201);
    ids.push(created.json.id);
  }
  return ids;
}

async function importHistory(client: ApiClient, rows: string[]): Promise<StageMoveImport> {
  const response = await client.request('POST', '/api/imports?type=stage-moves', `deal,from,to,at\r\n${rows.join('\r\n')}\r\n`, { 'content-type': 'text/csv' });
  expect(response.status, response.text).toBe(200);
  return StageMoveImport.parse(response.json);
}

describe('the reports\' log of stage moves', () => {
  it('reads an imported history written in the past, its deals\' moves again', async () => {
    const admin = await cloud.userOf('log-import');
    const [deal] = await deals(admin, 1);
    // Known to the log first: the deal entered new today, nothing in January.
    expect(entered(AnalyticsAnswer.parse((await funnel(admin, today)).json))).toMatchObject({ new: 1 });
    const january = async () => entered(AnalyticsAnswer.parse((await funnel(admin, '2026-01-01', '2026-01-31')).json));
    expect(await january()).toEqual({ new: 0, qualified: 0, proposal: 0, negotiation: 0, won: 0 });

    const imported = await importHistory(admin, [`${deal},,new,2026-01-05`, `${deal},new,proposal,2026-01-12`, `${deal},proposal,won,2026-01-20`]);
    expect(imported.moves).toBe(3);
    await expect.poll(january, PATIENT).toEqual({ new: 1, qualified: 0, proposal: 1, negotiation: 0, won: 1 });
    // The history replaced the creation's move: the deal entered nothing today.
    expect(entered(AnalyticsAnswer.parse((await funnel(admin, today)).json))).toMatchObject({ new: 0 });
  });

  it('loads a large history over several requests, each within its budget, answering 503 Preparing meanwhile', async () => {
    const admin = await cloud.userOf('log-budget');
    const ids = await deals(admin, 50);
    // 50 deals of 80 moves (back and forth between new and qualified, a day apart): 4,000 moves, more than one page of the table.
    const rowsOf = (id: string) => Array.from({ length: 80 }, (_, i) => `${id},${i === 0 ? '' : i % 2 ? 'new' : 'qualified'},${i % 2 ? 'qualified' : 'new'},${new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10)}`);
    // Files of whole deals' histories.
    for (let i = 0; i < ids.length; i += 10) expect((await importHistory(admin, ids.slice(i, i + 10).flatMap(rowsOf))).moves).toBe(800);

    // A new tenant's log is not in the container yet: every request reads one page at most.
    process.env.STAGE_MOVES_LOAD_BUDGET_MS = '0';
    const first = await funnel(admin, '2025-01-01');
    expect(first.status, first.text).toBe(503);
    expect(ApiErrorBody.parse(first.json).error.code).toBe('Preparing');
    expect(first.headers.get('retry-after')).toBe('1');
    let answered = first;
    await expect
      .poll(async () => {
        answered = await funnel(admin, '2025-01-01');
        return answered.status;
      }, PATIENT)
      .toBe(200);
    // Every deal entered both stages in the period, and no move was read twice (the stays count each one once).
    expect(entered(AnalyticsAnswer.parse(answered.json))).toMatchObject({ new: 50, qualified: 50 });
    const velocity = AnalyticsAnswer.parse((await admin.get('/api/analytics/velocity?pipeline=default&from=2025-01-01&to=2025-12-31')).json);
    const stays = velocity.tables[0].rows.find((row) => row.key === 'new')!.cells;
    expect([stays.averageDays.value, stays.medianDays.value, stays.deals.value]).toEqual([1, 1, 50]);
  });
});
