/**
 * The deals board in Chromium: columns by stage with totals, a deal dragged with the mouse and
 * kept across a reload, a move the server refuses (a version conflict) put back with the reason,
 * the keyboard's move menu, and other users' moves arriving. (A drop on No stage, refused before
 * anything is sent, is deal-stage-cell's.)
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { column, dealCard, drag, namesIn } from '../support/board.ts';
import { screenshot } from '../support/browser.ts';
import { pageReady, useApp } from '../support/app.ts';
import { PATIENT, createRecord, emptyTypes } from '../support/seed.ts';

const app = useApp();
const api = (...args: Parameters<typeof app.api>) => app.api(...args);

beforeEach(async () => {
  await emptyTypes(app.api, 'deals', 'companies');
});

describe('deals board in Chromium', () => {
  it('shows deals by stage with totals, moves one by dragging, keeps it after a reload, and puts refused moves back with the reason', async () => {
    const acme = await createRecord(api, 'companies', { name: 'Acme Rockets' });
    const [alpha, , gamma] = await Promise.all([
      createRecord(api, 'deals', { name: 'Alpha order', stage: 'new', amount: { amount: '1000', currency: 'EUR' }, companyId: acme.id }),
      createRecord(api, 'deals', { name: 'Beta order', stage: 'new', amount: { amount: '250.50', currency: 'EUR' } }),
      createRecord(api, 'deals', { name: 'Gamma order', stage: 'proposal', amount: { amount: '300', currency: 'USD' } }),
      // A deal created without a stage starts in the first, New; no column is No stage (one shows
      // only for a deal stored without a stage: deal-stage-cell's board test has one).
      createRecord(api, 'deals', { name: 'Delta order' }),
    ]);
    const page = await app.page('/deals/board');
    expect(await namesIn(page, 'New')).toEqual(['Alpha order', 'Beta order', 'Delta order']);
    expect(await page.getByRole('heading', { name: 'No stage', exact: true }).count()).toBe(0);
    const newTotals = await column(page, 'New').getByTestId('column-totals').textContent();
    expect(newTotals).toContain('3 deals');
    expect(newTotals).toContain('1,250.50');
    // The company's name is looked up once the deals show.
    await expect.poll(() => dealCard(page, 'Alpha order').textContent(), PATIENT).toContain('Acme Rockets');
    await screenshot(page, 'kanban-board');

    // A drag with the mouse: saved as the deal's stage at the version the board had.
    await drag(page, dealCard(page, 'Alpha order'), column(page, 'Won'));
    await expect.poll(() => namesIn(page, 'Won'), PATIENT).toEqual(['Alpha order']);
    await expect.poll(async () => (await api('GET', `/api/deals/${alpha.id}`)).body, PATIENT).toMatchObject({ stage: 'won', version: 2 });
    expect(await column(page, 'Won').getByTestId('column-totals').textContent()).toContain('1,000.00');
    await page.reload();
    await pageReady(page);
    expect(await namesIn(page, 'Won')).toEqual(['Alpha order']);
    expect(await namesIn(page, 'New')).toEqual(['Beta order', 'Delta order']);

    // Someone else moves Gamma while this board does not hear of it (the change feed held back):
    // the board's move meets a newer version, and the card goes where the deal really is.
    await page.route('**/api/changes**', (route) => route.abort());
    expect((await api('PATCH', `/api/deals/${gamma.id}`, { version: gamma.version, fields: { stage: 'negotiation' } })).status).toBe(200);
    // (To Won: a drop on Lost asks for the reason first, funnel-board's.)
    await drag(page, dealCard(page, 'Gamma order'), column(page, 'Won'));
    await expect.poll(() => dealCard(page, 'Gamma order').getByRole('alert').textContent(), PATIENT).toContain('Someone else changed this deal meanwhile (it is in Negotiation)');
    expect(await namesIn(page, 'Negotiation')).toEqual(['Gamma order']);
    expect(await namesIn(page, 'Won')).toEqual(['Alpha order']);
    expect((await api('GET', `/api/deals/${gamma.id}`)).body).toMatchObject({ stage: 'negotiation', version: 2 });
    await screenshot(page, 'kanban-refused-move');
    await page.unroute('**/api/changes**');
  });

  it('moves a deal from the keyboard through its move menu, and shows other users\' moves live', async () => {
    const [deal, other] = await Promise.all([createRecord(api, 'deals', { name: 'Keyboard order', stage: 'qualified' }), createRecord(api, 'deals', { name: 'Remote order', stage: 'qualified' })]);
    const page = await app.page('/deals/board');

    await page.getByRole('button', { name: 'Move Keyboard order to…' }).focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Move Keyboard order to' });
    await menu.waitFor();
    await screenshot(page, 'kanban-move-menu');
    // Items skip the deal's own stage; ArrowDown walks them from the first.
    const items = await menu.getByRole('menuitem').allTextContents();
    expect(items).not.toContain('Qualified');
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent);
    await expect.poll(focusedText, PATIENT).toBe(items[0]);
    for (let i = 0; i < items.indexOf('Proposal'); i++) await page.keyboard.press('ArrowDown');
    await expect.poll(focusedText, PATIENT).toBe('Proposal');
    await page.keyboard.press('Enter');
    await expect.poll(() => namesIn(page, 'Proposal'), PATIENT).toContain('Keyboard order');
    await expect.poll(async () => (await api('GET', `/api/deals/${deal.id}`)).body.stage, PATIENT).toBe('proposal');
    // Focus is back on the card's menu button, so the keyboard user can go on from there.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move Keyboard order to…');

    expect((await api('PATCH', `/api/deals/${other.id}`, { version: other.version, fields: { stage: 'won' } })).status).toBe(200);
    await expect.poll(() => namesIn(page, 'Won'), PATIENT).toContain('Remote order');
    // Created and trashed elsewhere: the board gains and loses the cards.
    await createRecord(api, 'deals', { name: 'Fresh order', stage: 'lost', lossReason: 'price' });
    expect((await api('DELETE', `/api/deals/${other.id}?version=2`)).status).toBe(204);
    await expect.poll(() => namesIn(page, 'Lost'), PATIENT).toContain('Fresh order');
    await expect.poll(() => namesIn(page, 'Won'), PATIENT).not.toContain('Remote order');

    // A deal's card opens its record card; Esc closes it and gives the focus back.
    const opener = dealCard(page, 'Keyboard order').locator('button.open');
    await opener.click();
    const card = page.getByRole('dialog', { name: 'Keyboard order' });
    await expect.poll(() => card.getByLabel('Stage', { exact: true }).inputValue(), PATIENT).toBe('proposal');
    await screenshot(page, 'kanban-deal-card');
    await card.getByRole('heading', { name: 'Keyboard order' }).press('Escape');
    await expect.poll(() => card.count(), PATIENT).toBe(0);
    expect(await opener.evaluate((button) => button === document.activeElement)).toBe(true);
  });
});
