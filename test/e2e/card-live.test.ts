/**
 * The record card stays current in Chromium: others' changes show as they happen (through the
 * grid page's one change feed), a field being typed in keeps the user's text and shows a
 * conflict when someone else changed that field, a change of another field does not disturb it;
 * the card's Delete asks, moves the record to the trash, and Undo brings it back; a record
 * someone else deletes says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiOf, screenshotFailures, startApp, type TestApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, textOf, waitForRows } from '../support/grid.ts';
import { PATIENT, createRecord } from '../support/seed.ts';

let app: TestApp;
let page: Page;
let api: Awaited<ReturnType<typeof apiOf>>;
let acme: { id: string };

beforeAll(async () => {
  app = await startApp();
  page = await app.openSignedIn('/companies');
  api = await apiOf(page, app.cloud.url);
  acme = await createRecord(api, 'companies', { name: 'Acme', industry: 'Steel' });
  await createRecord(api, 'contacts', { name: 'Wile', companyIds: [acme.id] });
  await page.reload();
  await waitForRows(page, 'Companies', 1);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

screenshotFailures(() => [page].filter(Boolean));

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
    await card(page).getByRole('button', { name: 'Delete this company' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete 1 company?' });
    expect(await confirm.textContent()).toContain('Acme Corp');
    await confirm.getByRole('button', { name: 'Move to trash' }).click();
    await expect.poll(() => card(page).count(), PATIENT).toBe(0);
    await waitForRows(page, 'Companies', 0);
    expect((await api('GET', '/api/companies/trash')).body.items.map((r: { id: string }) => r.id)).toEqual([acme.id]);
    await page.getByRole('status', { name: 'Deleted companies' }).getByRole('button', { name: 'Undo' }).click();
    await waitForRows(page, 'Companies', 1);
    await expect.poll(stored, PATIENT).toMatchObject({ name: 'Acme Corp', version: 7 });
  });

  it('says so when someone else moves the record shown to the trash', async () => {
    await openCard();
    await card(page).getByRole('heading', { name: 'Acme Corp' }).waitFor();
    expect((await api('DELETE', `/api/companies/${acme.id}?version=7`)).status).toBe(204);
    await expect.poll(() => card(page).getByRole('alert').textContent(), PATIENT).toBe('Someone else moved this company to the trash.');
    expect(await card(page).getByRole('button', { name: 'Delete this company' }).count()).toBe(0);
    await waitForRows(page, 'Companies', 0);
    await screenshot(page, 'card-live-trashed');
  });
});
