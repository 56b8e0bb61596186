/**
 * The analytics page (issue 17) in Chromium against the whole stack, over deals made through
 * the API and moved through their stages (some lost, with reasons) in a tenant of the file's
 * own: the funnel's numbers, and how switching its counting changes them (the chart saying
 * which it shows); losses by stage and reason; velocity, forecast, won and lost; an owner filter
 * kept in the URL; and a number drilled: the deals grid opens a saved view of exactly its deals.
 * Each test opens its page in the state it names (its URL), and waits on what the page says
 * (`data-ready` once the report the URL asks for is shown, `data-drawn` on a drawn chart).
 *
 * The deals (all in the default pipeline, amounts in EUR), moved now:
 *   Alpha    1,000  new → qualified → proposal → won
 *   Bravo    2,000  new → qualified → lost (price)
 *   Charlie  3,000  new → proposal (qualified skipped) → lost (competitor)
 *   Delta    4,000  new → qualified, Rita's, closing in 10 days
 *   Echo       500  new, Rita's, closing in 40 days
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageReady, useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { columnShown } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';

const app = useApp();
let admin: User & { tenant: string };
let api: Api;
let rita: { sub: string };

const eur = (amount: string) => ({ amount, currency: 'EUR' });
const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const inDays = (days: number) => local(new Date(Date.now() + days * 86_400_000));
const THIS_MONTH = new Date().toISOString().slice(0, 7);

/** A deal in its first stage, made now (in the order of the grid's rows: by creation). */
const dealIn = (name: string, amount: string, stage: string, more: Record<string, unknown> = {}) => createRecord(api, 'deals', { name, amount: eur(amount), stage, ...more });

/** The deal moved through `stages` one PATCH at a time. */
async function moveThrough(made: { id: string; version: number }, stages: string[], lossReason?: string) {
  let deal = made;
  for (const stage of stages) {
    const fields = { stage, ...(stage === 'lost' ? { lossReason } : {}) };
    const moved = await api('PATCH', `/api/deals/${deal.id}`, { version: deal.version, fields });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    deal = moved.body;
  }
  return deal;
}

beforeAll(async () => {
  admin = await app.newTenant();
  api = await app.apiAs(admin);
  const invited = await api('POST', '/api/users', { email: `rita@${admin.tenant}.example`, name: 'Rita Rep', role: 'sales-representative' });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  rita = invited.body;
  const alpha = await dealIn('Alpha', '1000', 'new');
  const bravo = await dealIn('Bravo', '2000', 'new');
  const charlie = await dealIn('Charlie', '3000', 'new');
  const delta = await dealIn('Delta', '4000', 'new', { expectedClose: inDays(10) });
  const echo = await dealIn('Echo', '500', 'new', { expectedClose: inDays(40) });
  /** Rita's from its last stage on. */
  const ritas = async (deal: { id: string; version: number }) => {
    const owned = await api('PATCH', `/api/deals/${deal.id}/owner`, { version: deal.version, owner: rita.sub });
    expect(owned.status, JSON.stringify(owned.body)).toBe(200);
  };
  // Each deal's moves one after the other; the deals side by side.
  await Promise.all([
    moveThrough(alpha, ['qualified', 'proposal', 'won']),
    moveThrough(bravo, ['qualified', 'lost'], 'price'),
    moveThrough(charlie, ['proposal', 'lost'], 'competitor'),
    moveThrough(delta, ['qualified']).then(ritas),
    ritas(echo),
  ]);
});

/** The report shown once it is the one the URL asks for. */
const report = (page: Page) => page.locator('main [data-ready="true"]');

/** A table's column as the page shows it: each row's key and the column's text. */
const columnOf = (page: Page, table: string, column: string) =>
  report(page)
    .locator(`table[data-table="${table}"] tbody tr`)
    .evaluateAll((rows, key) => Object.fromEntries(rows.map((row) => [row.getAttribute('data-row'), row.querySelector(`td[data-column="${key}"]`)?.textContent?.trim()])), column);

const figure = async (page: Page, key: string) => (await report(page).locator(`[data-figure="${key}"] dd`).textContent())?.replace(/\s+/g, ' ').trim();

/** Every chart of the report drawn (for a screenshot that shows them). */
const chartsDrawn = async (page: Page) => {
  await expect.poll(() => page.locator('main [data-chart]:not([data-drawn])').count(), PATIENT).toBe(0);
};

const openAnalytics = (query = '') => app.page(`/analytics${query}`, { as: admin });

describe('the funnel', () => {
  it('shows the deals entering each stage step by step, and counting skipped stages when switched, saying on the chart which', async () => {
    const page = await openAnalytics();
    expect(await report(page).getAttribute('data-conversion')).toBe('stepwise');
    expect(await columnOf(page, 'stages', 'entered')).toEqual({ new: '5', qualified: '3', proposal: '2', negotiation: '0', won: '1' });
    expect(await columnOf(page, 'stages', 'won')).toMatchObject({ new: '1', qualified: '1', proposal: '1', won: '1' });
    const funnel = report(page).locator('[data-section="funnel"]');
    await expect.poll(() => funnel.locator('svg text').filter({ hasText: 'Stepwise conversion' }).count(), PATIENT).toBe(1);
    // Nothing wider than the window at 1280 px: the top bar's ten sections, the funnel's table.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(await report(page).locator('[data-section="funnel"] .table').evaluate((box) => box.scrollWidth <= box.clientWidth)).toBe(true);
    await screenshot(page, 'analytics-funnel-1280');

    // Charlie jumped from New to Proposal: counted as having passed Qualified; Alpha, from
    // Proposal to Won, as having passed Negotiation.
    await page.getByLabel('Counting skipped stages').check();
    await expect.poll(() => report(page).getAttribute('data-conversion'), PATIENT).toBe('skipped');
    expect(await columnOf(page, 'stages', 'entered')).toEqual({ new: '5', qualified: '4', proposal: '2', negotiation: '1', won: '1' });
    await expect.poll(() => funnel.locator('svg text').filter({ hasText: 'Conversion counting skipped stages' }).count(), PATIENT).toBe(1);
    expect(await funnel.locator('.note').textContent()).toMatch(/skipped/i);
    await expect.poll(() => new URL(page.url()).searchParams.get('conversion'), PATIENT).toBe('skipped');

    // The URL is the report: a reload (or a link) shows the same.
    await page.reload();
    await pageReady(page);
    expect(await report(page).getAttribute('data-conversion')).toBe('skipped');
    expect(await columnOf(page, 'stages', 'entered')).toMatchObject({ qualified: '4', negotiation: '1' });
    expect(await page.getByLabel('Counting skipped stages').isChecked()).toBe(true);
  });

  it('counts only the deals of the owner chosen, and keeps the owner in the URL', async () => {
    const page = await openAnalytics();
    await page.getByLabel('Owner').selectOption({ label: 'Rita Rep' });
    await expect.poll(() => new URL(page.url()).searchParams.get('owner'), PATIENT).toBe(rita.sub);
    await expect.poll(() => columnOf(page, 'stages', 'entered'), PATIENT).toEqual({ new: '2', qualified: '1', proposal: '0', negotiation: '0', won: '0' });

    // A period before any deal: said so, not a chart of zeros.
    await page.getByLabel('Period').selectOption({ label: 'Last year' });
    await expect.poll(() => report(page).locator('.placeholder').textContent(), PATIENT).toBe('No deals of Sales match these filters. Try another period, owner or team.');
    await expect.poll(() => new URL(page.url()).searchParams.get('from'), PATIENT).toBe(`${new Date().getFullYear() - 1}-01-01`);
    expect(await report(page).locator('table').count()).toBe(0);
  });
});

describe('losses, velocity, forecast, won and lost', () => {
  it('shows where and why deals were lost, counted and in money', async () => {
    const page = await openAnalytics('?report=losses');
    expect(await figure(page, 'lost')).toBe('2');
    expect(await columnOf(page, 'byStage', 'count')).toMatchObject({ qualified: '1', proposal: '1' });
    expect(await columnOf(page, 'byStage', 'amount')).toMatchObject({ qualified: '€2,000', proposal: '€3,000' });
    expect(await columnOf(page, 'byReason', 'count')).toMatchObject({ price: '1', competitor: '1' });
    expect(await columnOf(page, 'byMonth', 'count')).toMatchObject({ [THIS_MONTH]: '2' });
    await chartsDrawn(page);
    await screenshot(page, 'analytics-losses-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await chartsDrawn(page);
    await screenshot(page, 'analytics-losses-1920');
  });

  it('shows velocity, the forecast and won and lost by owner', async () => {
    const page = await openAnalytics('?report=velocity');
    expect(await figure(page, 'openDeals')).toBe('2');
    expect(await figure(page, 'winRate')).toBe('33.3%');
    expect(Object.keys(await columnOf(page, 'stages', 'averageDays'))).toEqual(expect.arrayContaining(['new', 'qualified', 'proposal']));
    await chartsDrawn(page);
    await screenshot(page, 'analytics-velocity-1280');

    // Weighted at the probability each had entering its stage: Delta 25 % of 4,000, Echo 10 % of 500.
    await page.getByRole('link', { name: 'Forecast' }).click();
    await expect.poll(() => report(page).getAttribute('data-report'), PATIENT).toBe('forecast');
    expect(await figure(page, 'weightedTotal')).toBe('€1,050');
    await chartsDrawn(page);
    await screenshot(page, 'analytics-forecast-1280');

    await page.getByRole('link', { name: 'Won and lost' }).click();
    await expect.poll(() => report(page).getAttribute('data-report'), PATIENT).toBe('won-lost');
    expect(await columnOf(page, 'wonLost', 'won')).toMatchObject({ [THIS_MONTH]: '1' });
    expect(await columnOf(page, 'wonLost', 'lostAmount')).toMatchObject({ [THIS_MONTH]: '€5,000' });
    await page.getByRole('radio', { name: 'Owner' }).check();
    await expect.poll(() => report(page).getAttribute('data-by'), PATIENT).toBe('owner');
    // Every deal was won or lost by the administrator (Rita's are open).
    expect(await report(page).locator('table[data-table="wonLost"] tbody th').allTextContents()).toEqual([admin.email]);
    expect(Object.values(await columnOf(page, 'wonLost', 'lostAmount'))).toEqual(['€5,000']);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await chartsDrawn(page);
    await screenshot(page, 'analytics-won-lost-1920');
  });
});

describe('a drill', () => {
  it('opens the deals grid on a saved view of exactly the deals behind the number', async () => {
    const page = await openAnalytics();
    // Step by step, Alpha, Bravo and Delta entered Qualified (Charlie skipped it).
    const entered = report(page).locator('table[data-table="stages"] tr[data-row="qualified"] td[data-column="entered"] button');
    expect(await entered.textContent()).toBe('3');
    await entered.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/deals' && url.searchParams.has('view'));
    await pageReady(page);
    expect(await columnShown(page, 'name')).toEqual(['Alpha', 'Bravo', 'Delta']);
    expect(await page.getByRole('button', { name: 'Id is one of 3' }).count()).toBe(1);
    const viewId = new URL(page.url()).searchParams.get('view');
    const views = await api('GET', '/api/views/deal');
    const saved = views.body.items.find((view: { id: string }) => view.id === viewId);
    expect(saved.name).toMatch(/^Funnel: Qualified, entered \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)$/);
    await screenshot(page, 'analytics-drill-grid');

    // Back on the report, the lost amount of a reason: Charlie alone.
    await page.goBack();
    await pageReady(page);
    await page.getByRole('link', { name: 'Losses' }).click();
    await expect.poll(() => report(page).getAttribute('data-report'), PATIENT).toBe('losses');
    await report(page).locator('table[data-table="byReason"] tr[data-row="competitor"] td[data-column="amount"] button').click();
    await page.waitForURL((url) => url.pathname === '/deals' && url.searchParams.get('view') !== viewId);
    await pageReady(page);
    expect(await columnShown(page, 'name')).toEqual(['Charlie']);

    // The first number drilled again opens its view again, not a second one of the same name,
    // though another tab changed the view between the page's read of it and its save (a 409, read again).
    await page.goBack();
    await pageReady(page);
    await page.getByRole('link', { name: 'Funnel' }).click();
    await expect.poll(() => report(page).getAttribute('data-report'), PATIENT).toBe('funnel');
    let otherTab = 0;
    await page.route(`**/api/views/deal/${viewId}`, async (route) => {
      if (route.request().method() === 'PATCH' && otherTab++ === 0) {
        const current = (await api('GET', '/api/views/deal')).body.items.find((view: { id: string }) => view.id === viewId);
        expect((await api('PATCH', `/api/views/deal/${viewId}`, { version: current.version, fields: { sort: [{ field: 'name', direction: 'desc' }] } })).status).toBe(200);
      }
      await route.continue();
    });
    await entered.click();
    await page.waitForURL((url) => url.pathname === '/deals' && url.searchParams.get('view') === viewId);
    expect(otherTab).toBe(2);
    await page.unroute(`**/api/views/deal/${viewId}`);
    await pageReady(page);
    expect(await columnShown(page, 'name')).toEqual(['Alpha', 'Bravo', 'Delta']);
    const named = (await api('GET', '/api/views/deal')).body.items.filter((view: { name: string }) => view.name === saved.name);
    expect(named).toHaveLength(1);
  });

  it('opens the deals of a funnel step clicked on the chart', async () => {
    const page = await openAnalytics();
    await chartsDrawn(page);
    // The step's label is drawn on it: a click there is a click on the step.
    await report(page).locator('[data-section="funnel"] svg text').filter({ hasText: /^Proposal\s+2$/ }).click();
    await page.waitForURL((url) => url.pathname === '/deals' && url.searchParams.has('view'));
    await pageReady(page);
    expect(await columnShown(page, 'name')).toEqual(['Alpha', 'Charlie']);
  });
});
