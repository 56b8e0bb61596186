/**
 * The deals board's record card in Chromium: live through the board's own change poll (others'
 * changes show in the open card, a deal someone else trashes says so), and deletable: its Delete
 * asks, the board drops the card and the deal, and the toast's Undo puts the deal back in its
 * stage.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { PATIENT, createRecord, emptyTypes } from '../support/seed.ts';

const app = useApp();
const api = (...args: Parameters<typeof app.api>) => app.api(...args);
let page: Page;

beforeEach(async () => {
  await emptyTypes(app.api, 'deals');
});

const column = (label: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: label, exact: true }) });
const namesIn = async (label: string) => (await column(label).locator('li.deal .name').allTextContents()).sort();
const card = () => page.locator('[aria-labelledby="record-card-title"]');
const stored = async (id: string) => (await api('GET', `/api/deals/${id}`)).body;

async function openCard(name: string) {
  await page.locator('li.deal').filter({ hasText: name }).locator('button.open').click();
  await card().getByRole('heading', { name }).waitFor();
}

describe('the deals board\'s record card', () => {
  it('shows others\' changes of the open deal as they come, and says so when someone else trashes it', async () => {
    const deal = await createRecord(api, 'deals', { name: 'Live order', stage: 'qualified' });
    page = await app.page('/deals/board');
    expect(await namesIn('Qualified')).toContain('Live order');
    await openCard('Live order');
    expect(await card().getByLabel('Stage', { exact: true }).inputValue()).toBe('qualified');

    // Someone else moves and renames it: the board and the open card both show it, without a reload.
    expect((await api('PATCH', `/api/deals/${deal.id}`, { version: 1, fields: { stage: 'won', name: 'Live order (signed)' } })).status).toBe(200);
    await card().getByRole('heading', { name: 'Live order (signed)' }).waitFor(PATIENT);
    await expect.poll(() => card().getByLabel('Stage', { exact: true }).inputValue(), PATIENT).toBe('won');
    await expect.poll(() => card().textContent(), PATIENT).toContain('Version 2');
    await expect.poll(() => namesIn('Won'), PATIENT).toContain('Live order (signed)');
    await screenshot(page, 'kanban-card-live');

    expect((await api('DELETE', `/api/deals/${deal.id}?version=2`)).status).toBe(204);
    await expect.poll(() => card().getByRole('alert').textContent(), PATIENT).toBe('Someone else moved this deal to the trash.');
    expect(await card().getByRole('button', { name: 'Delete this deal' }).count()).toBe(0);
    await expect.poll(() => namesIn('Won'), PATIENT).not.toContain('Live order (signed)');
    await card().getByRole('heading', { name: 'Live order (signed)' }).press('Escape');
    await expect.poll(() => card().count(), PATIENT).toBe(0);
  });

  it('deletes the open deal after asking, drops it from the board, and Undo puts it back in its stage', async () => {
    const deal = await createRecord(api, 'deals', { name: 'Doomed order', stage: 'proposal' });
    page = await app.page('/deals/board');
    expect(await namesIn('Proposal')).toContain('Doomed order');
    await openCard('Doomed order');
    await card().getByRole('button', { name: 'Delete this deal' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete 1 deal?' });
    expect(await confirm.textContent()).toContain('Doomed order');
    await screenshot(page, 'kanban-card-delete-confirm');
    await confirm.getByRole('button', { name: 'Move to trash' }).click();

    await expect.poll(() => card().count(), PATIENT).toBe(0);
    await expect.poll(() => namesIn('Proposal'), PATIENT).not.toContain('Doomed order');
    expect((await api('GET', '/api/deals/trash')).body.items.map((r: { id: string }) => r.id)).toContain(deal.id);
    const toast = page.getByRole('status', { name: 'Deleted deals' });
    await expect.poll(() => toast.textContent(), PATIENT).toMatch(/1 deal moved to trash\s*—\s*Undo/);
    await screenshot(page, 'kanban-card-delete-toast');

    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => namesIn('Proposal'), PATIENT).toContain('Doomed order');
    await expect.poll(() => stored(deal.id), PATIENT).toMatchObject({ name: 'Doomed order', stage: 'proposal', version: 3 });
    await expect.poll(() => toast.count(), PATIENT).toBe(0);
    // Once, not twice: the change feed's news of the restore (older than a deal created now) does not add it again.
    await createRecord(api, 'deals', { name: 'Later order', stage: 'proposal' });
    await expect.poll(() => namesIn('Proposal'), PATIENT).toContain('Later order');
    expect((await namesIn('Proposal')).filter((name) => name === 'Doomed order')).toHaveLength(1);
  });
});
