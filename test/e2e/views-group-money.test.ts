/**
 * Grouping deals in Chromium: group header rows in the grid, by stage, with their counts and
 * their sums of money per currency (never one sum across currencies), and the totals row's money per currency, each
 * checked against the deals as created (summed here in cents).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { groupRowsOf, textOf } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';
import { DEFAULT_PIPELINE, stageNamed } from '../../functions/contracts/deal-stages.ts';

const app = useApp();

/** name, stage, amount, currency, probability. */
const DEALS: Array<[string, string, string, string, number]> = [
  ['Turbines', 'proposal', '1200.50', 'EUR', 40],
  ['Licences', 'proposal', '99.99', 'USD', 60],
  ['Support', 'won', '300.00', 'EUR', 100],
  ['Cables', 'won', '0.01', 'EUR', 100],
  ['Audit', 'qualified', '5000.00', 'USD', 20],
];

// Read only: no test changes them.
beforeAll(async () => {
  await Promise.all(DEALS.map(([name, stage, amount, currency, probability]) => createRecord(app.api, 'deals', { name, stage, amount: { amount, currency }, probability })));
});

/** Sum of amounts in cents, written as the summary writes money: `EUR 1,500.51`. */
function sum(deals: typeof DEALS, currency: string): string {
  const cents = deals.filter((d) => d[3] === currency).reduce((total, d) => total + Math.round(Number(d[2]) * 100), 0);
  return `${currency} ${(cents / 100).toLocaleString('en', { minimumFractionDigits: 2 })}`;
}

describe('grouped deals', () => {
  it('sums money per currency in each group and in the totals', async () => {
    const page = await app.page('/deals');
    await page.getByRole('toolbar', { name: 'View' }).getByLabel('Group by').selectOption({ label: 'Stage' });
    const stage = (name: string) => DEALS.filter((d) => d[1] === name);
    const sums = (deals: typeof DEALS) => [...new Set(deals.map((d) => d[3]))].sort().map((currency) => `Σ ${sum(deals, currency)}`).join(' · ');
    // Group header rows inside the grid: per group, money summed per currency and numbers.
    await expect.poll(() => groupRowsOf(page, ['amount', 'probability']).then((groups) => groups.map(({ label, sums }) => [label, sums.amount, sums.probability])), PATIENT).toEqual(
      // In the pipeline's order, each by its stage's label.
      ['qualified', 'proposal', 'won'].map((name) => [`▾ Stage: ${stageNamed(DEFAULT_PIPELINE, name)!.label} · ${stage(name).length} ${stage(name).length === 1 ? 'row' : 'rows'}`, sums(stage(name)), `Σ ${stage(name).reduce((total, d) => total + d[4], 0)}`]),
    );
    const amount = await textOf(page.getByRole('table', { name: 'Totals' }).locator('[data-total=amount]'));
    expect(amount).toContain(`Σ ${sum(DEALS, 'EUR')}`);
    expect(amount).toContain(`Σ ${sum(DEALS, 'USD')}`);
    expect(amount).toContain('min EUR 0.01 · max EUR 1,200.50');
    expect(amount).toMatch(/5 filled$/);
    await screenshot(page, 'views-deals-grouped-by-stage');
  });
});
