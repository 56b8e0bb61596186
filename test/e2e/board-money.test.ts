/**
 * The deals board as a sales manager reads it, in Chromium against the whole stack: the open
 * pipeline's total and weighted amount (amount x probability: the deal's own, else its stage's)
 * above the board and per stage, won and lost apart, never summed across currencies; cards with
 * probability, close date (overdue marked) and owner; filters by owner and close date that a
 * reload (the URL) keeps; and a probability typed as a percent on the deal's card. Each test in a
 * tenant of its own, its deals made for it, on a board opened for it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageReady, useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { createRecord, PATIENT } from '../support/seed.ts';

const app = useApp();
let admin: User & { tenant: string };
let page: Page;
let api: Api;
let rep: string;

/** Today and the 15th of next month where the browser (and this test) runs: close dates are days. */
const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const now = new Date();
const TODAY = local(now);
const NEXT_MONTH = local(new Date(now.getFullYear(), now.getMonth() + 1, 15));

const eur = (amount: string) => ({ amount, currency: 'EUR' });

/** The test's tenant: the administrator's deals, the rep's (Rita's), and the board open. */
beforeEach(async () => {
  admin = await app.newTenant();
  api = await app.apiAs(admin);
  const invited = await api('POST', '/api/users', { email: `rita@${admin.tenant}.example`, name: 'Rita Rep', role: 'sales-representative' });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  rep = invited.body.sub;
  const acme = await createRecord(api, 'companies', { name: 'Acme Rockets' });
  /** A deal of Rita's: made by the administrator, then handed to her. */
  const ritas = async (fields: Record<string, unknown>) => {
    const deal = await createRecord(api, 'deals', fields);
    expect((await api('PATCH', `/api/deals/${deal.id}/owner`, { version: deal.version, owner: rep })).status).toBe(200);
  };
  await Promise.all([
    createRecord(api, 'deals', { name: 'Atlas renewal', stage: 'proposal', amount: eur('10000'), expectedClose: TODAY, companyId: acme.id }),
    ritas({ name: 'Borealis upgrade', stage: 'negotiation', amount: eur('4000'), probability: 25, expectedClose: NEXT_MONTH }),
    ritas({ name: 'Cobalt pilot', stage: 'new', amount: { amount: '2000', currency: 'USD' }, expectedClose: '2020-01-15' }),
    ritas({ name: 'Echo audit', stage: 'lost', lossReason: 'price', amount: eur('1500') }),
    createRecord(api, 'deals', { name: 'Delta licences', stage: 'won', amount: eur('3000'), probability: 40 }),
  ]);
  page = await app.page('/deals/board', { as: admin });
});

const figure = (name: 'open' | 'weighted' | 'won' | 'lost') => page.getByTestId(`summary-${name}`);
const figureText = async (name: 'open' | 'weighted' | 'won' | 'lost') => (await figure(name).textContent())?.replace(/\s+/g, ' ').trim();
const column = (label: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: label, exact: true }) });
const dealCard = (name: string) => page.locator('li.deal').filter({ hasText: name });
const names = () => page.locator('li.deal .name').allTextContents();

describe('the board in money', () => {
  it('sums the open pipeline and its weighted amount above the board and per stage, and shows probability, close date and owner on cards', async () => {
    await dealCard('Atlas renewal').waitFor();
    // Open: Atlas €10,000 at its stage's 50 %, Borealis €4,000 at its own 25 %, Cobalt $2,000 at New's 10 %.
    await expect.poll(() => figureText('open'), PATIENT).toBe('Open pipeline 3 deals $2,000.00 · €14,000.00');
    expect(await figureText('weighted')).toBe('Weighted $200.00 · €6,000.00');
    // Won counts whole whatever its probability says; lost apart.
    expect(await figureText('won')).toBe('Won 1 deal €3,000.00');
    expect(await figureText('lost')).toBe('Lost 1 deal €1,500.00');
    expect(await column('Proposal').getByTestId('column-weighted').textContent()).toBe('weighted €5,000.00');
    expect(await column('Negotiation').getByTestId('column-weighted').textContent()).toBe('weighted €1,000.00');
    expect(await column('Won').getByTestId('column-weighted').count()).toBe(0);

    const atlas = dealCard('Atlas renewal');
    expect(await atlas.locator('.probability').textContent()).toBe('50%');
    expect(await atlas.locator('.probability').getAttribute('title')).toBe("The stage's probability");
    expect(await atlas.locator('.close').textContent()).toMatch(/^\s*Closes \w/);
    expect(await atlas.locator('.owner').textContent()).toBe(admin.email);
    expect(await dealCard('Borealis upgrade').locator('.probability').textContent()).toBe('25%');
    expect(await dealCard('Borealis upgrade').locator('.owner').textContent()).toBe('Rita Rep');
    const overdue = dealCard('Cobalt pilot').locator('.close');
    expect(await overdue.textContent()).toMatch(/Overdue: Jan 15, 2020/);
    expect(await overdue.getAttribute('class')).toContain('overdue');
    await screenshot(page, 'board-money');
  });

  it('filters by owner and by close date, and a reload keeps the filter', async () => {
    await page.getByLabel('Owner').selectOption({ label: 'Rita Rep' });
    await expect.poll(names, PATIENT).toEqual(['Cobalt pilot', 'Borealis upgrade', 'Echo audit']);
    expect(await figureText('open')).toBe('Open pipeline 2 deals $2,000.00 · €4,000.00');
    expect(await figureText('weighted')).toBe('Weighted $200.00 · €1,000.00');
    expect(await figureText('won')).toBe('Won 0 deals –');
    expect(await page.getByRole('status').filter({ hasText: 'of 5 deals shown' }).textContent()).toBe('3 of 5 deals shown');
    await expect.poll(() => new URL(page.url()).searchParams.get('owner'), PATIENT).toBe(rep);
    await page.reload();
    await pageReady(page);
    await expect.poll(names, PATIENT).toEqual(['Cobalt pilot', 'Borealis upgrade', 'Echo audit']);
    expect(await page.getByLabel('Owner').inputValue()).toBe(rep);
    await screenshot(page, 'board-money-filtered');

    await page.getByLabel('Owner').selectOption({ label: 'Everyone' });
    await page.getByLabel('Close date').selectOption({ label: 'Closing this month' });
    await expect.poll(names, PATIENT).toEqual(['Atlas renewal']);
    expect(await figureText('open')).toBe('Open pipeline 1 deal €10,000.00');
    expect(await figureText('weighted')).toBe('Weighted €5,000.00');
    await page.getByLabel('Close date').selectOption({ label: 'Closing next month' });
    await expect.poll(names, PATIENT).toEqual(['Borealis upgrade']);
    await page.getByLabel('Close date').selectOption({ label: 'Overdue' });
    await expect.poll(names, PATIENT).toEqual(['Cobalt pilot']);
    await expect.poll(() => new URL(page.url()).searchParams.get('close'), PATIENT).toBe('overdue');
    await page.getByLabel('Close date').selectOption({ label: 'Any close date' });
    await expect.poll(names, PATIENT).toHaveLength(5);
  });

  it('takes a probability typed as a percent on the deal\'s card, and the weighted sums follow', async () => {
    await dealCard('Atlas renewal').locator('button.open').click();
    const card = page.getByRole('dialog', { name: 'Atlas renewal' });
    const probability = card.getByLabel('Probability', { exact: true });
    await probability.waitFor();
    expect(await probability.inputValue()).toBe('');
    await probability.fill('30 %');
    await probability.press('Enter');
    await expect.poll(() => dealCard('Atlas renewal').locator('.probability').textContent(), PATIENT).toBe('30%');
    expect(await probability.inputValue()).toBe('30%');
    expect(await column('Proposal').getByTestId('column-weighted').textContent()).toBe('weighted €3,000.00');
    expect(await figureText('weighted')).toBe('Weighted $200.00 · €4,000.00');

    await probability.fill('half');
    await probability.press('Enter');
    await expect.poll(() => card.getByRole('alert').textContent(), PATIENT).toBe('Probability must be a percent from 0 to 100, like 25%.');
    expect((await api('GET', '/api/deals?limit=100')).body.items.find((d: { name: string }) => d.name === 'Atlas renewal').probability).toBe(30);
    await screenshot(page, 'board-deal-card-probability');
  });
});
