/**
 * Custom fields from the UI in Chromium: the add-field dialog (the contract's reasons before
 * anything is sent), the new column in the grid typed into, and the record card editing a new
 * select field.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser.ts';
import { pageReady, useApp } from '../support/app.ts';
import { clickCell, waitForRows } from '../support/grid.ts';
import { PATIENT, createRecord, emptyTypes } from '../support/seed.ts';

const app = useApp();

beforeEach(async () => {
  await emptyTypes(app.api, 'companies');
});

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Add a field to companies' });

async function addField(page: Page, label: string, type: string, options?: string) {
  await page.getByRole('button', { name: 'Add a field (a new column)' }).click();
  await dialog(page).getByLabel('Label').fill(label);
  await dialog(page).getByLabel('Type').selectOption({ label: type });
  if (options !== undefined) await dialog(page).getByLabel('Options, one per line').fill(options);
  await dialog(page).getByRole('button', { name: 'Add field' }).click();
}

describe('custom fields from the UI in Chromium', () => {
  it('adds fields from the grid, types into the new column, and edits a select field in the card', async () => {
    const api = app.api;
    const initech = await createRecord(api, 'companies', { name: 'Initech' });
    const page = await app.page('/companies');

    // The contract's reasons come first, on the form, before anything is sent.
    await page.getByRole('button', { name: 'Add a field (a new column)' }).click();
    await dialog(page).getByRole('button', { name: 'Add field' }).click();
    await expect.poll(() => dialog(page).textContent(), PATIENT).toContain('Label is required');
    await dialog(page).getByLabel('Label').fill('Tier');
    await dialog(page).getByLabel('Type').selectOption({ label: 'Single select' });
    await dialog(page).getByRole('button', { name: 'Add field' }).click();
    await expect.poll(() => dialog(page).textContent(), PATIENT).toContain('Options is required for a single_select field');
    await screenshot(page, 'card-add-field-refused');
    await dialog(page).getByLabel('Options, one per line').fill('Gold\nSilver\n');
    await dialog(page).getByRole('button', { name: 'Add field' }).click();
    await expect.poll(() => dialog(page).count(), PATIENT).toBe(0);

    await addField(page, 'Account code', 'Text');
    await expect.poll(() => dialog(page).count(), PATIENT).toBe(0);
    const fields = (await api('GET', '/api/fields/company')).body.items.map((f: { key: string; type: string; options?: string[] }) => [f.key, f.type, f.options]);
    expect(fields).toEqual([
      ['cf_account_code', 'text', undefined],
      ['cf_tier', 'single_select', ['Gold', 'Silver']],
    ].sort());

    // The rows are read again with the new fields. The new columns are the grid's last: the one
    // added last is scrolled into view (Tier beside it); typing into a cell edits it.
    await pageReady(page);
    await waitForRows(page, 'Companies', 1);
    await expect.poll(() => page.locator('revo-grid [role=columnheader]').allTextContents(), PATIENT).toEqual(expect.arrayContaining(['Account code', 'Tier']));
    await clickCell(page, 0, 'cf_account_code');
    await page.keyboard.type('AC-1');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await api('GET', `/api/companies/${initech.id}`)).body.cf_account_code, PATIENT).toBe('AC-1');
    await screenshot(page, 'card-add-field-column');

    // The card lists the custom fields with editors by their type.
    await page.locator('revo-grid .rowHeaders [data-rgrow="0"]').first().dblclick();
    const card = page.getByRole('dialog', { name: 'Initech' });
    await card.getByLabel('Tier', { exact: true }).selectOption('Gold');
    await expect.poll(async () => (await api('GET', `/api/companies/${initech.id}`)).body.cf_tier, PATIENT).toBe('Gold');
    expect(await card.getByLabel('Account code', { exact: true }).inputValue()).toBe('AC-1');
    await screenshot(page, 'card-custom-fields');
  });
});
