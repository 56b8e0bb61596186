/**
 * The record card in Chromium: opened from a grid row, every field editable with the version
 * seen (a refused value keeps the input and says why, a conflict shows the other value and lets
 * the user choose), the records related to it, its history, and Esc giving focus back to the grid;
 * pointed at another row while open, it shows that one.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser.ts';
import { useApp } from '../support/app.ts';
import { cellAt, clickCell, clickWithAltEnter, textOf } from '../support/grid.ts';
import { PATIENT, createRecord, emptyTypes } from '../support/seed.ts';

const app = useApp();

beforeEach(async () => {
  await emptyTypes(app.api, 'companies', 'contacts', 'deals', 'activities');
});

const card = (page: Page) => page.getByRole('dialog');
const section = (page: Page, title: string) => card(page).getByRole('region', { name: title });

/** Types into a field of the card and presses Enter, as a person edits one field. */
async function editField(page: Page, label: string, text: string) {
  const input = card(page).getByLabel(label, { exact: true });
  await input.fill(text);
  await input.press('Enter');
}

describe('record card in Chromium', () => {
  it('opens a company from its row: edits fields, shows refusals, conflicts, related records and history', async () => {
    const api = app.api;
    const [acme] = await Promise.all([createRecord(api, 'companies', { name: 'Acme Corp', domain: 'acme.example' }), createRecord(api, 'companies', { name: 'Unrelated Inc' })]);
    await Promise.all([
      createRecord(api, 'contacts', { name: 'Wile E. Coyote', position: 'Buyer', companyIds: [acme.id] }),
      createRecord(api, 'deals', { name: 'Acme anvils', stage: 'proposal', companyId: acme.id }),
      createRecord(api, 'activities', { name: 'Call Wile', kind: 'call', companyId: acme.id }),
    ]);
    const page = await app.page('/companies');

    // A row opens by a double click on its row header.
    await page.locator('revo-grid .rowHeaders [data-rgrow="0"]').first().dblclick();
    await card(page).getByRole('heading', { name: 'Acme Corp' }).waitFor();
    const related = section(page, 'Related records');
    await expect.poll(() => related.locator('[data-related="contacts"]').textContent(), PATIENT).toContain('Wile E. Coyote');
    expect(await related.locator('[data-related="deals"]').textContent()).toContain('Acme anvils');
    expect(await related.locator('[data-related="activities"]').textContent()).toContain('Call Wile');
    expect(await related.textContent()).not.toContain('Unrelated');
    await screenshot(page, 'card-company');

    // An edit is a PATCH at the version seen; the grid's row shows it too.
    await editField(page, 'Industry', 'Aerospace');
    await expect.poll(async () => (await api('GET', `/api/companies/${acme.id}`)).body, PATIENT).toMatchObject({ industry: 'Aerospace', version: 2 });
    await expect.poll(() => textOf(cellAt(page, 0, 'industry')), PATIENT).toBe('Aerospace');
    const history = section(page, 'History');
    await expect.poll(() => history.textContent(), PATIENT).toMatch(/Industry\s*empty\s*→\s*Aerospace/);
    // Who made it, by the directory's name for them (the demo administrator: their e-mail).
    expect(await history.textContent()).toContain(`by ${app.admin.email}`);

    // Refused: the reason from the contract, the typed text kept; Esc gives the edit up.
    await editField(page, 'Domain', 'not a domain');
    const domain = card(page).getByLabel('Domain', { exact: true });
    await expect.poll(() => card(page).getByRole('alert').first().textContent(), PATIENT).toBe('Domain must be a domain like example.com.');
    expect(await domain.inputValue()).toBe('not a domain');
    expect(await domain.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'card-refused-value');
    await domain.press('Escape');
    expect(await domain.inputValue()).toBe('acme.example');
    expect(await card(page).count()).toBe(1);

    // Someone else changes the industry while the user types: both values are shown (at once by
    // the live change, or on Enter by the 409, whichever comes first), the user picks.
    await card(page).getByLabel('Industry', { exact: true }).fill('Space');
    expect((await api('PATCH', `/api/companies/${acme.id}`, { version: 2, fields: { industry: 'Rockets' } })).status).toBe(200);
    await card(page).getByLabel('Industry', { exact: true }).press('Enter');
    const conflict = card(page).getByRole('alert').filter({ hasText: 'Someone else changed Industry' });
    await expect.poll(() => conflict.textContent(), PATIENT).toContain('“Rockets”');
    expect(await card(page).getByLabel('Industry', { exact: true }).inputValue()).toBe('Space');
    await screenshot(page, 'card-conflict');
    await conflict.getByRole('button', { name: 'Use mine' }).click();
    await expect.poll(async () => (await api('GET', `/api/companies/${acme.id}`)).body, PATIENT).toMatchObject({ industry: 'Space', version: 4 });
    await expect.poll(() => history.textContent(), PATIENT).toMatch(/Industry\s*Rockets\s*→\s*Space/);

    // A related record opens in the card; Back returns.
    await related.getByRole('button', { name: /Acme anvils/ }).click();
    await card(page).getByRole('heading', { name: 'Acme anvils' }).waitFor();
    expect(await card(page).getByLabel('Stage', { exact: true }).inputValue()).toBe('proposal');
    await card(page).getByRole('button', { name: 'Back to the previous record' }).click();
    await card(page).getByRole('heading', { name: 'Acme Corp' }).waitFor();

    // Esc closes the card and the grid has the focus again.
    await card(page).getByRole('heading', { name: 'Acme Corp' }).press('Escape');
    await expect.poll(() => card(page).count(), PATIENT).toBe(0);
    expect(await page.evaluate(() => !!document.activeElement?.closest('revo-grid'))).toBe(true);
  });

  it('follows the page pointing it at another row while open, and starts over there (a related record opened inside is left)', async () => {
    const [acme] = await Promise.all([createRecord(app.api, 'companies', { name: 'Acme Corp' }), createRecord(app.api, 'companies', { name: 'Globex' })]);
    await createRecord(app.api, 'deals', { name: 'Acme anvils', companyId: acme.id });
    const page = await app.page('/companies');
    await page.locator('revo-grid .rowHeaders [data-rgrow="0"]').first().dblclick();
    await card(page).getByRole('heading', { name: 'Acme Corp' }).waitFor();
    await section(page, 'Related records').getByRole('button', { name: /Acme anvils/ }).click();
    await card(page).getByRole('heading', { name: 'Acme anvils' }).waitFor();
    // Another row's header double-clicked while the card shows the related deal.
    await page.locator('revo-grid .rowHeaders [data-rgrow="1"]').first().dblclick();
    await card(page).getByRole('heading', { name: 'Globex' }).waitFor();
    expect(await card(page).getByRole('button', { name: 'Back to the previous record' }).count()).toBe(0);
  });

  it('opens the card of the row just clicked when Alt+Enter comes at once: not the row focused before, nor the cell editor', async () => {
    await Promise.all(['Quick One', 'Quick Two', 'Quick Three'].map((name) => createRecord(app.api, 'companies', { name })));
    const page = await app.page('/companies');
    /** What the key opened: a cell editor, or the card of the record it names. */
    const opened = async () => ((await page.getByRole('textbox', { name: /, editing$/ }).count()) ? 'a cell editor' : (await card(page).getByRole('heading', { level: 2 }).allTextContents()).join());
    // No cell focused before: the key is not the grid's Enter (which edits).
    await clickWithAltEnter(page, 1, 'name');
    await expect.poll(opened, PATIENT).toBe('Quick Three');
    await card(page).getByRole('heading', { name: 'Quick Three' }).press('Escape');
    await expect.poll(() => card(page).count(), PATIENT).toBe(0);
    // Another row focused before: the card is the clicked row's.
    await clickCell(page, 0, 'name');
    await clickWithAltEnter(page, 2, 'domain');
    await expect.poll(opened, PATIENT).toBe('Quick Two');
  });
});
