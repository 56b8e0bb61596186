/**
 * The demo sample loaded through the API into a test cloud, as a first `npm start` loads it (a
 * small one): a load cut short midway goes on at the next start and duplicates nothing, the
 * records land with their owners, and the deals with their stage history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { loadSampleOnFirstStart, type FirstStartOptions } from '../../local/demo-sample/first-start.ts';
import { generateSample, type SampleOptions } from '../../local/demo-sample/sample.ts';
import { queryStageMoves } from '../../functions/deals/stage-moves.ts';
import type { StageMove } from '../../functions/contracts/stage-moves.ts';

const SMALL: SampleOptions = { seed: 7, referenceDate: '2026-12-01', scale: 0.05 };
const sample = generateSample(SMALL);

let cloud: TestCloud;
let admin: ApiClient;
let firstStart: FirstStartOptions;
const lines: string[] = [];

beforeAll(async () => {
  cloud = await startTestCloud();
  firstStart = {
    dataDir: cloud.dataDir,
    url: cloud.url,
    clientId: cloud.clientId,
    demoAdmin: cloud.demoAdmin,
    wanted: true,
    log: (line) => void lines.push(line),
    sample: SMALL,
  };
  admin = await cloud.userOf(cloud.demoAdmin.tenant);
});
afterAll(() => cloud?.stop());

async function all(plural: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const page = (await admin.get(`/api/${plural}?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)).json;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe('the demo sample on a first start', () => {
  it('loads once, going on after a stop midway without duplicates, with owners and stage history', async () => {
    expect(sample.quickSales.length).toBeGreaterThan(0);
    const marker = () => JSON.parse(readFileSync(join(cloud.dataDir, 'demo-sample.json'), 'utf8'));
    // A start stopped while the sample loads (at the step that logs `at`).
    const stoppedAt = (at: string, start: FirstStartOptions) =>
      loadSampleOnFirstStart({
        ...start,
        log: (line) => {
          lines.push(line);
          if (line.startsWith(at)) throw new Error('stopped');
        },
      });
    // The first start is stopped right after the deals were imported.
    await expect(stoppedAt('[sample] deals:', firstStart)).rejects.toThrow('stopped');
    expect(marker()).toMatchObject({ state: 'loading' });
    expect(await all('deals')).toHaveLength(sample.deals.length);

    // The next start (the administrator exists: no password this time) goes on with it, and is
    // stopped after the stage history was imported: the one after must not import it again.
    const again = { ...firstStart, demoAdmin: { email: cloud.demoAdmin.email } };
    await expect(stoppedAt('[sample] moves:', again)).rejects.toThrow('stopped');
    expect(marker()).toMatchObject({ state: 'loading', load: { moveFiles: 1 } });
    expect(await loadSampleOnFirstStart(again)).toBe('loaded');
    expect(lines.filter((line) => line.startsWith('[sample] going on with'))).toHaveLength(2);
    expect(marker()).toMatchObject({ state: 'loaded', counts: { deals: sample.deals.length } });
    expect(await loadSampleOnFirstStart(again)).toBe('loaded-before');

    const users = new Map<string, string>(((await admin.get('/api/users')).json.items as any[]).map((u) => [u.email, u.sub]));
    for (const user of sample.users) expect(users.has(user.email), user.email).toBe(true);
    const teams = (await admin.get('/api/teams')).json.items as any[];
    expect(teams.map((t) => [t.name, t.supervisor]).sort()).toEqual(sample.teams.map((t) => [t.name, users.get(t.supervisor)]).sort());

    const companies = await all('companies');
    const contacts = await all('contacts');
    const deals = await all('deals');
    expect([companies.length, contacts.length, deals.length, (await all('products')).length]).toEqual([sample.companies.length, sample.contacts.length, sample.deals.length, sample.products.length]);
    const owners = (records: any[]) => Object.fromEntries(records.map((r) => [r.name, r.owner]));
    expect(owners(companies)).toEqual(Object.fromEntries(sample.companies.map((c) => [c.name, users.get(c.owner)])));
    expect(owners(deals)).toEqual(Object.fromEntries(sample.deals.map((d) => [d.name, users.get(d.owner)])));
    expect(Object.fromEntries(deals.map((d) => [d.name, d.stage]))).toEqual(Object.fromEntries(sample.deals.map((d) => [d.name, d.stage])));

    const sales = (await admin.get('/api/processes/instances?process=quick-sale')).json.items as any[];
    expect(sales).toHaveLength(sample.quickSales.length);

    // The funnel has each deal's history as the sample made it, dates, movers and reasons and all.
    const moves: StageMove[] = [];
    for await (const page of queryStageMoves(cloud.demoAdmin.tenant)) moves.push(...page);
    const names = new Map(deals.map((d) => [d.id, d.name]));
    const history = (list: Array<{ deal: string; from: string | null; to: string; at: string; by: string; lossReason?: string }>) =>
      list.map(({ deal, from, to, at, by, lossReason }) => ({ deal, from, to, at, by, lossReason })).sort((a, b) => a.deal.localeCompare(b.deal) || a.at.localeCompare(b.at));
    expect(history(moves.map((m) => ({ ...m, deal: names.get(m.deal)! })))).toEqual(history(sample.moves.map((m) => ({ ...m, by: users.get(m.by)! }))));
  });

  it('loads nothing on a start that did not create the tenant, nor when asked not to', async () => {
    const fresh = { ...firstStart, dataDir: join(cloud.dataDir, 'elsewhere') };
    expect(await loadSampleOnFirstStart({ ...fresh, demoAdmin: { email: cloud.demoAdmin.email } })).toBe('not-first-start');
    expect(await loadSampleOnFirstStart({ ...fresh, wanted: false })).toBe('skipped');
  });
});
