/**
 * The record card stays current in Chromium: others' changes show as they happen (through the
 * grid page's one change feed), a field being typed in keeps the user's text and shows a
 * conflict when someone else changed that field, a change of another field does not disturb it;
 * the card's Delete asks, moves the record to the trash, and Undo brings it back; a record
 * someone else deletes says so.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, textOf, waitForRows } from '../support/grid.ts';
import { PATIENT, createRecord, emptyTypes } from '../support/seed.ts';

const app = useApp();
const api = (...args: Parameters<typeof app.api>) => app.api(...args);
let page: Page;
let acme: { id: string };
let wile: { id: string };

/** Each test's company (and its contact), and the companies' grid. */
beforeEach(async () => {
  await emptyTypes(app.api, 'companies', 'contacts');
  acme = await createRecord(app.api, 'companies', { name: 'Acme', industry: 'Steel' });
  wile = await createRecord(app.api, 'contacts', { name: 'Wile', companyIds: [acme.id] });
  page = await app.page('/companies');
});

const card = (p: Page) => p.locator('[aria-labelledby="record-card-title"]');
const input = (label: string) => card(page).getByLabel(label, { exact: true });
const patch = async (version: number, fields: Record<string, unknown>) => expect((await api('PATCH', `/api/companies/${acme.id}`, { version, fields })).status).toBe(200);
const stored = async () => (await api('GET', `/api/companies/${acme.id}`)).body;

async function openCard() {
  await clickCell(page, 0, 'name');
  await page.keyboard.press('Alt+Enter');
  await card(page).getByRole('heading', { level: 2 }).waitFor();
}

describe('the record card, live', () => {
  it('shows others\' changes as they come, and keeps a field being typed in', async () => {
    await openCard();
    expect(await input('Industry').inputValue()).toBe('Steel');

    // Someone else changes the industry: the card shows it without a reload.
    await patch(1, { industry: 'Rockets' });
    await expect.poll(() => input('Industry').inputValue(), PATIENT).toBe('Rockets');
    await expect.poll(() => card(page).textContent(), PATIENT).toContain('Version 2');

    // The user types a domain; someone else changes the name: the typing stays, the name shows.
    await input('Domain').fill('mine.example');
    await patch(2, { name: 'Acme Corp' });
    await card(page).getByRole('heading', { name: 'Acme Corp' }).waitFor();
    expect(await input('Domain').inputValue()).toBe('mine.example');
    expect(await card(page).getByRole('alert').count()).toBe(0);

    // Someone else sets the domain the user is typing: the conflict shows at once, mine is kept.
    await patch(3, { domain: 'theirs.example' });
    const conflict = card(page).getByRole('alert').filter({ hasText: 'Someone else changed Domain' });
    await expect.poll(() => conflict.textContent(), PATIENT).toContain('“theirs.example”');
    expect(await input('Domain').inputValue()).toBe('mine.example');
    await screenshot(page, 'card-live-conflict');
    await conflict.getByRole('button', { name: 'Use mine' }).click();
    await expect.poll(stored, PATIENT).toMatchObject({ domain: 'mine.example', name: 'Acme Corp', industry: 'Rockets', version: 5 });
    await expect.poll(() => textOf(cellAt(page, 0, 'domain')), PATIENT).toBe('mine.example');

    // A related record opened in the card is not the companies page's to delete.
    await card(page).getByRole('region', { name: 'Related records' }).getByRole('button', { name: /Wile/ }).click();
    await card(page).getByRole('heading', { name: 'Wile' }).waitFor();
    expect(await card(page).getByRole('button', { name: /^Delete this/ }).count()).toBe(0);
    await card(page).getByRole('button', { name: 'Back to the previous record' }).click();
    await card(page).getByRole('button', { name: 'Delete this company' }).waitFor();
  });

  it('deletes from the card after asking, and Undo brings the record back', async () => {
    await openCard();
    await card(page).getByRole('button', { name: 'Delete this company' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete 1 company?' });
    expect(await confirm.textContent()).toContain('Acme');
    await confirm.getByRole('button', { name: 'Move to trash' }).click();
    await expect.poll(() => card(page).count(), PATIENT).toBe(0);
    await waitForRows(page, 'Companies', 0);
    // The company went to the trash, not its contact.
    const trashed = new Set([...(await api('GET', '/api/companies/trash')).body.items, ...(await api('GET', '/api/contacts/trash')).body.items].map((r: { id: string }) => r.id));
    expect([acme.id, wile.id].filter((id) => trashed.has(id))).toEqual([acme.id]);
    await page.getByRole('status', { name: 'Deleted companies' }).getByRole('button', { name: 'Undo' }).click();
    await waitForRows(page, 'Companies', 1);
    await expect.poll(stored, PATIENT).toMatchObject({ name: 'Acme', version: 3 });
  });

  it('says so when someone else moves the record shown to the trash', async () => {
    await openCard();
    await card(page).getByRole('heading', { name: 'Acme' }).waitFor();
    expect((await api('DELETE', `/api/companies/${acme.id}?version=1`)).status).toBe(204);
    await expect.poll(() => card(page).getByRole('alert').textContent(), PATIENT).toBe('Someone else moved this company to the trash.');
    expect(await card(page).getByRole('button', { name: 'Delete this company' }).count()).toBe(0);
    await waitForRows(page, 'Companies', 0);
    await screenshot(page, 'card-live-trashed');
  });
});
