/**
 * Importing real files in Chromium, as a new team does (issue 13): the administrator sets the
 * workspace's default country, then imports a companies file saved by Excel on Windows
 * (Windows-1252, semicolons) with national phone numbers, websites with paths, "1.200" and
 * "ca. 40" employees; the dialog reads it by the default country, the report names each cell
 * left empty and why, and the error file comes down with the rows to fix. Then contacts whose
 * company does not exist yet, created from the dialog's choice; and an export of the grid, edited
 * and imported again in update mode, while a colleague changed one of its records.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { screenshot } from '../support/browser.ts';
import { pageReady, useApp } from '../support/app.ts';
import { waitForRows } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';

// Each test in a tenant of its own: its default country, its records and its user's mappings start empty.
const app = useApp();

/** A new tenant's administrator: their API, and a page of theirs at `path`. */
async function tenantAt(path: string) {
  const admin = await app.newTenant();
  return { api: await app.apiAs(admin), page: await app.page(path, { as: admin }) };
}

const dialog = (page: Page, label: string) => page.getByRole('dialog', { name: `Import ${label} from CSV` });
const textOfDownload = async (download: Download) => readFileSync((await download.path())!, 'utf8');

/** A companies file as Excel on Windows in Germany saves it: Windows-1252, semicolons, numbers written 1.200. */
const COMPANIES = Buffer.from(
  [
    'Company name;Website;Phone number;Employees;Industry',
    'Müller Bäckerei GmbH;https://www.mueller-baeckerei.example/kontakt;030 1234567;1.200;Bäckerei',
    'Acme Corp;http://acme.example/about;0044 20 7946 0958;ca. 40;Manufacturing',
    'Café Crème;cafe-creme.example;12;15;Gastronomie',
  ].join('\r\n') + '\r\n',
  'latin1',
);

describe('importing real files in Chromium', () => {
  it('reads a Windows file by the default country, reports each cell left empty and why, and gives the rows back to fix', async () => {
    const { api, page } = await tenantAt('/admin?tab=settings');
    // The administrator sets the workspace's country: Germany.
    const settings = page.getByRole('form', { name: 'Workspace settings' });
    await settings.getByLabel(/^Default country/).selectOption('DE');
    await settings.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await api('GET', '/api/settings')).body).toMatchObject({ defaultCountry: 'DE', version: 1 });

    await page.goto(`${app.cloud.url}/companies`);
    await pageReady(page);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const companies = dialog(page, 'companies');
    await companies.getByLabel('CSV file (first row: column names)').setInputFiles({ name: 'firmen.csv', mimeType: 'text/csv', buffer: COMPANIES });

    const summary = companies.getByTestId('dry-run-summary');
    await expect.poll(() => summary.textContent(), PATIENT).toMatch(/3 rows:\s*3 to import\s*\(2 with cells left empty\), 0 not imported/);
    // Read by the default country and its way of writing numbers; the headers matched by what people call them.
    expect(await companies.getByLabel(/^Phone numbers without a country code are from/).inputValue()).toBe('DE');
    expect(await companies.getByLabel(/^Numbers are written like/).locator('option:checked').textContent()).toBe('1.234,5');
    expect(await companies.getByLabel('Field for the column Website').inputValue()).toBe('domain');
    expect(await companies.getByLabel('Field for the column Employees').inputValue()).toBe('size');
    expect(await companies.getByLabel('Field for the column Phone number').inputValue()).toBe('phones');

    await companies.getByRole('button', { name: 'Import 3 rows' }).click();
    await expect.poll(() => companies.getByTestId('import-summary').textContent(), { timeout: 45_000 }).toMatch(/3\s*imported\s*\(2 with cells left empty\), 0 not imported/);
    const report = companies.getByRole('table', { name: 'Rows not imported as they were' });
    const reportRows = async () => (await report.getByRole('row').allTextContents()).slice(1);
    expect(await reportRows()).toEqual([
      '3Imported, cell left emptyEmployees"ca. 40" is not a number as this file writes them (like 1.234,5)',
      '4Imported, cell left emptyPhone number"12" is not a phone number in Germany (numbers without a country code are read as DE)',
    ]);
    const shot = await screenshot(page, 'import-real-files-report');
    expect(shot).toMatch(/import-real-files-report\.png$/);

    const [errors] = await Promise.all([page.waitForEvent('download'), companies.getByRole('button', { name: 'Download the errors (CSV)' }).click()]);
    expect(errors.suggestedFilename()).toBe('companies-import-errors.csv');
    const [header, ...rows] = Papa.parse<string[]>((await textOfDownload(errors)).trimEnd()).data;
    expect(header).toEqual(['Id', 'Company name', 'Website', 'Phone number', 'Employees', 'Industry', 'Reason']);
    expect(rows.map((row) => row.slice(1))).toEqual([
      ['Acme Corp', 'http://acme.example/about', '0044 20 7946 0958', 'ca. 40', 'Manufacturing', 'Imported, these cells left empty: Employees: "ca. 40" is not a number as this file writes them (like 1.234,5)'],
      ['Café Crème', 'cafe-creme.example', '12', '15', 'Gastronomie', 'Imported, these cells left empty: Phone number: "12" is not a phone number in Germany (numbers without a country code are read as DE)'],
    ]);

    await companies.getByRole('button', { name: 'Close' }).first().click();
    await waitForRows(page, 'Companies', 3);
    const stored = new Map(((await api('GET', '/api/companies')).body.items as Array<Record<string, any>>).map((c) => [c.name, c]));
    expect(stored.get('Müller Bäckerei GmbH')).toMatchObject({ domain: 'mueller-baeckerei.example', phones: ['+49301234567'], size: 1200, industry: 'Bäckerei' });
    expect(stored.get('Acme Corp')).toMatchObject({ domain: 'acme.example', phones: ['+442079460958'] });
    expect(stored.get('Acme Corp')).not.toHaveProperty('size');
    expect(rows.map((row) => row[0])).toEqual([stored.get('Acme Corp')?.id, stored.get('Café Crème')?.id]);
  });

  it('offers to create the companies a contacts file names that do not exist, and creates them', async () => {
    const { api, page } = await tenantAt('/contacts');
    const navy = await createRecord(api, 'companies', { name: 'US Navy Example' });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const contacts = dialog(page, 'contacts');
    const file = ['First name,Last name,E-mail address,Mobile,Job title,Company', 'Ada,Lovelace,ada@analytical.example,+49 171 1234567,Countess,Analytical Engines Ltd', 'Grace,Hopper,grace@navy.example,,Rear Admiral,us navy example'].join('\r\n');
    await contacts.getByLabel('CSV file (first row: column names)').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });

    const missing = contacts.getByRole('group', { name: 'company named in “Company” does not exist' });
    await missing.waitFor();
    expect(await missing.textContent()).toContain('Analytical Engines Ltd');
    await expect.poll(() => contacts.getByTestId('dry-run-summary').textContent(), PATIENT).toMatch(/2 rows:\s*2 to import\s*\(1 with cells left empty\)/);
    await screenshot(page, 'import-real-files-missing-companies');
    await missing.getByLabel('Create the missing companies').check();
    await expect.poll(() => contacts.getByTestId('dry-run-summary').textContent(), PATIENT).toMatch(/2 rows:\s*2 to import, 0 not imported/);
    await contacts.getByRole('button', { name: 'Import 2 rows' }).click();
    await expect.poll(() => contacts.getByTestId('import-summary').textContent(), { timeout: 45_000 }).toMatch(/2\s*imported, 0 not imported.*1 company created/);
    await screenshot(page, 'import-real-files-created-companies');

    const companies = new Map(((await api('GET', '/api/companies')).body.items as Array<Record<string, any>>).map((c) => [c.name, c.id]));
    const people = new Map(((await api('GET', '/api/contacts')).body.items as Array<Record<string, any>>).map((c) => [c.name, c]));
    expect(people.get('Ada Lovelace')).toMatchObject({ emails: ['ada@analytical.example'], phones: ['+491711234567'], position: 'Countess', companyIds: [companies.get('Analytical Engines Ltd')] });
    expect(people.get('Grace Hopper')).toMatchObject({ companyIds: [navy.id] });
  });

  it('updates the records an exported file names, edited, at the version exported; one changed since is not overwritten', async () => {
    const { api, page } = await tenantAt('/companies');
    const stark = await createRecord(api, 'companies', { name: 'Stark Industries', industry: 'Defense' });
    const wayne = await createRecord(api, 'companies', { name: 'Wayne Enterprises', industry: 'Conglomerate' });
    await createRecord(api, 'companies', { name: 'Oscorp', industry: 'Chemicals' });
    await page.reload();
    await pageReady(page);
    await waitForRows(page, 'Companies', 3);

    // The grid's export, edited in a spreadsheet: both companies get another industry.
    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    const [header, ...rows] = Papa.parse<string[]>((await textOfDownload(exported)).trimEnd()).data;
    expect(header.slice(0, 3)).toEqual(['Id', 'Version', 'Name']);
    const industry = header.indexOf('Industry');
    const row = (id: string) => rows.find((r) => r[0] === id)!;
    expect(row(stark.id)[1]).toBe('1');
    row(stark.id)[industry] = 'Clean energy';
    row(wayne.id)[industry] = 'Security';
    // Meanwhile a colleague changes Wayne Enterprises in the grid.
    expect((await api('PATCH', `/api/companies/${wayne.id}`, { version: 1, fields: { industry: 'Philanthropy' } })).status).toBe(200);

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const companies = dialog(page, 'companies');
    await companies.getByLabel('CSV file (first row: column names)').setInputFiles({ name: 'companies-edited.csv', mimeType: 'text/csv', buffer: Buffer.from(Papa.unparse([header, ...rows])) });
    // A file with an Id column is read as an update, unless the user chooses otherwise; the dry run says what would change.
    await expect.poll(() => companies.getByRole('radio', { name: /Update the companies the file names/ }).isChecked(), PATIENT).toBe(true);
    const unchanged = 1;
    expect(rows).toHaveLength(3);
    await expect.poll(() => companies.getByTestId('dry-run-summary').textContent(), PATIENT).toContain(`1 to update, ${unchanged} unchanged, 1 changed since the export`);
    expect((await api('GET', `/api/companies/${stark.id}`)).body).toMatchObject({ industry: 'Defense', version: 1 });

    await companies.getByRole('button', { name: /^Import \d+ rows$/ }).click();
    await expect.poll(() => companies.getByTestId('import-summary').textContent(), { timeout: 45_000 }).toContain(`1 updated, ${unchanged} unchanged, 1 changed since the export (not overwritten)`);
    const report = companies.getByRole('table', { name: 'Rows not imported as they were' });
    expect((await report.getByRole('row').allTextContents()).slice(1)).toEqual([
      `${rows.indexOf(row(wayne.id)) + 2}Not importedVersionthe company changed since this file was exported (it is at version 2, the file has 1): not overwritten; export it again and redo the change`,
    ]);
    await screenshot(page, 'import-real-files-update');

    expect((await api('GET', `/api/companies/${stark.id}`)).body).toMatchObject({ industry: 'Clean energy', version: 2 });
    expect((await api('GET', `/api/companies/${wayne.id}`)).body).toMatchObject({ industry: 'Philanthropy', version: 2 });
    // History as a grid edit leaves it.
    expect((await api('GET', `/api/companies/${stark.id}/history`)).body.items.at(-1)).toMatchObject({ version: 2, action: 'updated', changes: [{ field: 'industry', old: 'Defense', new: 'Clean energy' }] });
  });
});
