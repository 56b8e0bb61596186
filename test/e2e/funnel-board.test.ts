/**
 * The deals board over the tenant's pipelines, in Chromium against the whole stack: the columns
 * are the pipeline's stages, coloured as the pipeline says, and a switcher shows another
 * pipeline; a drop onto a stage whose required fields the deal lacks is refused by the server and
 * the card goes back with the reason naming the fields; a drop onto a lost stage asks for the
 * reason (the pipeline's list) and a comment first, Cancel leaving the deal where it was; and the
 * deal's card shows the moves as a timeline. Each test in a tenant of its own.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { column, dealCard, drag, namesIn } from '../support/board.ts';
import { cellAt, rowNamed, textOf } from '../support/grid.ts';
import { screenshot } from '../support/browser.ts';
import { useApp, type Api, type User } from '../support/app.ts';
import { PATIENT, createRecord } from '../support/seed.ts';
import { RENEWALS } from '../support/pipelines.ts';

const app = useApp();
let admin: User & { tenant: string };
let api: Api;

beforeEach(async () => {
  admin = await app.newTenant();
  api = await app.apiAs(admin);
  const made = await api('POST', '/api/pipelines', RENEWALS);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
});

const headings = (page: Page) => page.locator('section.column h2').allTextContents();
const stored = async (id: string) => (await api('GET', `/api/deals/${id}`)).body;

async function renewalsBoard(): Promise<Page> {
  const page = await app.page('/deals/board?pipeline=renewals', { as: admin });
  await expect.poll(() => headings(page), PATIENT).toEqual(['Due', 'Quote', 'Renewed', 'Churned']);
  return page;
}

describe('the board over the tenant\'s pipelines', () => {
  it('shows each pipeline\'s own stages, coloured as the pipeline says, switched by the pipeline filter', async () => {
    await Promise.all([createRecord(api, 'deals', { name: 'Sales deal', stage: 'proposal' }), createRecord(api, 'deals', { name: 'Renewal deal', pipeline: 'renewals', stage: 'due' })]);
    const page = await app.page('/deals/board', { as: admin });
    expect(await headings(page)).toEqual(['New', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost']);
    expect(await namesIn(page, 'Proposal')).toEqual(['Sales deal']);
    expect(await page.getByText('Renewal deal').count()).toBe(0);

    await page.getByTestId('board-pipeline').selectOption({ label: 'Renewals' });
    await expect.poll(() => headings(page), PATIENT).toEqual(['Due', 'Quote', 'Renewed', 'Churned']);
    await page.waitForURL((url) => url.searchParams.get('pipeline') === 'renewals');
    expect(await namesIn(page, 'Due')).toEqual(['Renewal deal']);
    expect(await page.getByText('Sales deal').count()).toBe(0);
    const edge = await column(page, 'Quote').locator('header').evaluate((header) => getComputedStyle(header).borderTopColor);
    expect(edge).toBe('rgb(168, 85, 247)');
    await screenshot(page, 'funnel-board-renewals');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'funnel-board-renewals-1920');
  });

  it('puts a card back with the reason naming the fields a stage requires, and moves it once they are there', async () => {
    const deal = await createRecord(api, 'deals', { name: 'Bare renewal', pipeline: 'renewals', stage: 'due' });
    const page = await renewalsBoard();
    await drag(page, dealCard(page, 'Bare renewal'), column(page, 'Quote'));
    const reason = dealCard(page, 'Bare renewal').getByRole('alert');
    await expect.poll(() => reason.textContent(), PATIENT).toMatch(/^Not moved to Quote: /);
    const text = (await reason.textContent())!;
    expect(text).toContain('Amount');
    expect(text).toContain('Expected close');
    expect(await namesIn(page, 'Due')).toEqual(['Bare renewal']);
    expect(await namesIn(page, 'Quote')).toEqual([]);
    expect(await stored(deal.id)).toMatchObject({ stage: 'due', version: 1 });
    await screenshot(page, 'funnel-board-required-refused');

    // Given the fields (elsewhere: the board hears of it), the same drop is saved.
    const patched = await api('PATCH', `/api/deals/${deal.id}`, { version: 1, fields: { amount: { amount: '900', currency: 'EUR' }, expectedClose: '2027-01-31' } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    await expect.poll(() => dealCard(page, 'Bare renewal').textContent(), PATIENT).toContain('900');
    await drag(page, dealCard(page, 'Bare renewal'), column(page, 'Quote'));
    await expect.poll(() => namesIn(page, 'Quote'), PATIENT).toEqual(['Bare renewal']);
    await expect.poll(async () => (await stored(deal.id)).stage, PATIENT).toBe('quote');
  });

  it('asks why a deal is lost before moving it there: Cancel leaves it, a reason and comment move it', async () => {
    const deal = await createRecord(api, 'deals', { name: 'Wavering renewal', pipeline: 'renewals', stage: 'due' });
    const page = await renewalsBoard();

    await drag(page, dealCard(page, 'Wavering renewal'), column(page, 'Churned'));
    const dialog = page.getByRole('dialog', { name: 'Move Wavering renewal to Churned' });
    await dialog.waitFor();
    // The pipeline's own reasons, nothing picked for the user.
    expect(await dialog.getByLabel('Loss reason').locator('option:not([disabled])').allTextContents()).toEqual(['Moved away', 'Budget cut']);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count(), PATIENT).toBe(0);
    expect(await namesIn(page, 'Due')).toEqual(['Wavering renewal']);
    expect(await stored(deal.id)).toMatchObject({ stage: 'due', version: 1 });

    // From the keyboard this time: the card's move menu, then the same question.
    await page.getByRole('button', { name: 'Move Wavering renewal to…' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Churned' }).click();
    await dialog.waitFor();
    // No reason picked: refused in the dialog, nothing sent.
    await dialog.getByRole('button', { name: 'Move to Churned' }).click();
    await dialog.getByText('A deal is lost for a reason: pick one.').waitFor();
    await dialog.getByLabel('Loss reason').selectOption({ label: 'Budget cut' });
    await dialog.getByLabel('Comment (optional)').fill('Their board froze all renewals');
    await screenshot(page, 'funnel-board-loss-dialog');
    await dialog.getByRole('button', { name: 'Move to Churned' }).click();
    await expect.poll(() => namesIn(page, 'Churned'), PATIENT).toEqual(['Wavering renewal']);
    await expect.poll(() => stored(deal.id), PATIENT).toMatchObject({ stage: 'churned', lossReason: 'budget_cut', lossComment: 'Their board froze all renewals' });
    // Focus is back on the card's menu button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move Wavering renewal to…');
  });

  it('shows a rep\'s open board and grid an administrator\'s change of the stages at once, without a reload', async () => {
    const rep = await app.newUser(['sales-representative'], admin.tenant);
    await createRecord(await app.apiAs(rep), 'deals', { name: 'Quoted renewal', pipeline: 'renewals', stage: 'quote', amount: { amount: '900', currency: 'EUR' }, expectedClose: '2027-03-31' });
    const browser = await app.browserOfTest();
    const board = await app.page('/deals/board?pipeline=renewals', { as: rep, browser });
    await expect.poll(() => headings(board), PATIENT).toEqual(['Due', 'Quote', 'Renewed', 'Churned']);
    const grid = await app.page('/deals', { as: rep, browser });
    const stageCell = cellAt(grid, await rowNamed(grid, 'Quoted renewal'), 'stage');
    expect(await textOf(stageCell)).toBe('Quote');

    const stages = RENEWALS.stages.map((stage) => (stage.key === 'quote' ? { ...stage, label: 'Offer' } : stage));
    const changed = await api('PUT', '/api/pipelines/renewals', { version: 1, pipeline: { ...RENEWALS, stages } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);

    await expect.poll(() => headings(board), PATIENT).toEqual(['Due', 'Offer', 'Renewed', 'Churned']);
    await expect.poll(() => textOf(stageCell), PATIENT).toBe('Offer');
  });

  it('shows the deal\'s stage history as a timeline on its card', async () => {
    const deal = await createRecord(api, 'deals', { name: 'Long renewal', pipeline: 'renewals', stage: 'due', amount: { amount: '1200', currency: 'EUR' }, expectedClose: '2027-02-28' });
    expect((await api('PATCH', `/api/deals/${deal.id}`, { version: 1, fields: { stage: 'quote' } })).status).toBe(200);
    expect((await api('PATCH', `/api/deals/${deal.id}`, { version: 2, fields: { stage: 'churned', lossReason: 'moved_away', lossComment: 'Relocated to Lisbon' } })).status).toBe(200);
    const page = await renewalsBoard();
    await dealCard(page, 'Long renewal').locator('button.open').click();
    const card = page.getByRole('dialog', { name: 'Long renewal' });
    const moves = card.getByTestId('stage-move');
    await expect.poll(() => moves.count(), PATIENT).toBe(3);
    const lines = (await moves.allTextContents()).map((line) => line.replace(/\s+/g, ' ').trim());
    expect(lines[0]).toMatch(/^Quote → Churned 0 days so far/);
    expect(lines[0]).toContain('Lost: Moved away — Relocated to Lisbon');
    expect(lines[0]).toContain('by admin@');
    expect(lines[0]).toContain('1,200.00');
    expect(lines[1]).toMatch(/^Due → Quote 0 days/);
    expect(lines[2]).toMatch(/^Created in Due 0 days/);
    // The card offers the deal's own pipeline's stages and loss reasons, not every pipeline's.
    const optionsOf = (label: string) => card.getByLabel(label, { exact: true }).locator('option').allTextContents();
    expect(await optionsOf('Stage')).toEqual(['Due', 'Quote', 'Renewed', 'Churned']);
    expect(await optionsOf('Loss reason')).toEqual(['—', 'Moved away', 'Budget cut']);
    await card.getByTestId('stage-timeline').scrollIntoViewIfNeeded();
    await screenshot(page, 'funnel-card-timeline');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'funnel-card-timeline-1920');
  });
});
