/**
 * Grouping deals in Chromium: groups by stage with their counts and their sums of money per
 * currency (never one sum across currencies), and the totals row's money per currency, each
 * checked against the deals as created (summed here in cents).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiOf, screenshotFailures, startApp, type TestApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { textOf, waitForRows } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';

let app: TestApp;
let page: Page;

/** name, stage, amount, currency, probability. */
const DEALS: Array<[string, string, string, string, number]> = [
  ['Turbines', 'proposal', '1200.50', 'EUR', 40],
  ['Licences', 'proposal', '99.99', 'USD', 60],
  ['Support', 'won', '300.00', 'EUR', 100],
  ['Cables', 'won', '0.01', 'EUR', 100],
  ['Audit', 'qualified', '5000.00', 'USD', 20],
];

beforeAll(async () => {
  app = await startApp();
  page = await app.openSignedIn('/deals');
  const api = await apiOf(page, app.cloud.url);
  for (const [name, stage, amount, currency, probability] of DEALS) await createRecord(api, 'deals', { name, stage, amount: { amount, currency }, probability });
  await page.reload();
  await waitForRows(page, 'Deals', DEALS.length);
});

afterAll(async () => {
  await app?.close();
});

screenshotFailures(() => (page ? [page] : []));

/** Sum of amounts in cents, written as the summary writes money: `EUR 1,500.51`. */
function sum(deals: typeof DEALS, currency: string): string {
  const cents = deals.filter((d) => d[3] === currency).reduce((total, d) => total + Math.round(Number(d[2]) * 100), 0);
  return `${currency} ${(cents / 100).toLocaleString('en', { minimumFractionDigits: 2 })}`;
}

describe('grouped deals', () => {
  it('sums money per currency in each group and in the totals', async () => {
    await page.getByRole('toolbar', { name: 'View' }).getByLabel('Group by').selectOption({ label: 'Stage' });
    const groups = page.getByRole('list', { name: 'Groups by Stage' }).getByRole('listitem');
    const stage = (name: string) => DEALS.filter((d) => d[1] === name);
    await expect.poll(() => groups.allTextContents(), PATIENT).toEqual([
      expect.stringMatching(new RegExp(`^proposal\\s*2 rows\\s*Amount Σ ${sum(stage('proposal'), 'EUR')} · Amount Σ ${sum(stage('proposal'), 'USD')} · Probability Σ 100$`)),
      expect.stringMatching(new RegExp(`^qualified\\s*1 row\\s*Amount Σ ${sum(stage('qualified'), 'USD')} · Probability Σ 20$`)),
      expect.stringMatching(new RegExp(`^won\\s*2 rows\\s*Amount Σ ${sum(stage('won'), 'EUR')} · Probability Σ 200$`)),
    ]);
    const amount = await textOf(page.getByRole('table', { name: 'Totals' }).locator('[data-total=amount]'));
    expect(amount).toContain(`Σ ${sum(DEALS, 'EUR')}`);
    expect(amount).toContain(`Σ ${sum(DEALS, 'USD')}`);
    expect(amount).toContain('min EUR 0.01 · max EUR 1,200.50');
    expect(amount).toMatch(/5 filled$/);
    await screenshot(page, 'views-deals-grouped-by-stage');
  });
});
