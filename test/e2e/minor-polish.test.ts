/**
 * Issue 13's minor items in Chromium, as a person met them: the Save-as dialog takes the typing
 * at once, a page's message stays on that page, activity kinds read as words in the grid, the
 * card, the filter and the exported file (which imports back), the export's header says what a
 * column holds and its rows come in the grid's order, and phone numbers read as people of the
 * user's country write them while the stored, copied and exported value stays E.164.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiOf, screenshotFailures, startApp, type TestApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { columnShown, waitForRows } from '../support/grid.ts';
import { PATIENT, createRecord } from '../support/seed.ts';

let app: TestApp;
let page: Page;
let api: Awaited<ReturnType<typeof apiOf>>;

beforeAll(async () => {
  app = await startApp();
  page = await app.openSignedIn('/companies');
  api = await apiOf(page, app.cloud.url);
}, 120_000);
afterAll(async () => {
  await app?.close();
});
screenshotFailures(() => [page]);

const toolbar = () => page.getByRole('toolbar', { name: 'View' });
const viewMessage = () => toolbar().getByRole('status');

/** Saves the view as shown under `name` from the Save as… dialog, typing as a person does once it is open. */
async function saveViewAs(name: string) {
  await toolbar().getByRole('button', { name: 'Save as…' }).click();
  await page.getByRole('dialog', { name: 'Save view as' }).waitFor();
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await expect.poll(() => viewMessage().textContent(), PATIENT).toBe(`Saved “${name}”.`);
}

const sections = () => page.getByRole('navigation', { name: 'Sections' });

describe('saving a view', () => {
  beforeAll(async () => {
    await createRecord(api, 'companies', { name: 'Polish Co' });
  });

  it('Save as… puts the caret in Name: the name is typed at once and Enter saves', async () => {
    await page.goto(`${app.cloud.url}/companies`);
    await waitForRows(page, 'Companies', 1);
    await toolbar().getByRole('button', { name: 'Save as…' }).click();
    const name = page.getByRole('dialog', { name: 'Save view as' }).getByLabel('Name');
    await expect.poll(() => name.evaluate((input) => input === document.activeElement), PATIENT).toBe(true);
    await page.keyboard.type('Big accounts');
    await page.keyboard.press('Enter');
    await expect.poll(() => viewMessage().textContent(), PATIENT).toBe('Saved “Big accounts”.');
    expect((await api('GET', '/api/views/company')).body.items.map((view: { name: string }) => view.name)).toContain('Big accounts');
  });

  it('"Saved" stays on the page it was said on: not on Contacts, nor on Companies visited again', async () => {
    await page.goto(`${app.cloud.url}/companies`);
    await waitForRows(page, 'Companies', 1);
    await saveViewAs('Mine for later');

    await sections().getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await toolbar().waitFor();
    expect(await viewMessage().count()).toBe(0);

    await sections().getByRole('link', { name: 'Companies' }).click();
    await page.getByRole('heading', { name: 'Companies', level: 1 }).waitFor();
    await expect.poll(() => toolbar().getByLabel('View', { exact: true }).locator('option').allTextContents(), PATIENT).toContain('Mine for later');
    expect(await viewMessage().count()).toBe(0);
  });
});
