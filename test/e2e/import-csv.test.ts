/**
 * Import and export from the grid's toolbar in Chromium: a CSV picked in the dialog, its dry run
 * (a column the server cannot match mapped by hand, the first cells it cannot read), the import
 * with its progress bar, the report of the cell left empty and its error file (the row as it was,
 * its record's Id and why), the rows in the grid; then the export.
 */
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { screenshot } from '../support/browser.ts';
import { useApp } from '../support/app.ts';
import { waitForRows } from '../support/grid.ts';
import { emptyTypes, PATIENT } from '../support/seed.ts';

const app = useApp();

beforeEach(async () => {
  await emptyTypes(app.api, 'contacts');
});

const CSV = [
  'Who,Email,Role,Notes',
  'Ada Lovelace,ada@example.com,Engineer,first',
  'Bad Row,not-an-email,Engineer,second',
  'Grace Hopper,grace@example.com,Rear admiral,third',
].join('\r\n');

/** What the report says of the e-mail cell it left empty, in plain words. */
const BAD_EMAIL = 'Email: "not-an-email" must be an e-mail address like name@example.com';

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Import contacts from CSV' });
const textOfDownload = async (download: Download) => readFileSync((await download.path())!, 'utf8');

describe('import and export in Chromium', () => {
  it('imports a CSV with a bad cell through the dialog: mapping, progress, error report; exports the rows', async () => {
    // Someone new: the mappings a user chose are remembered for them (the test's run before chose one).
    const importer = await app.newUser(['administrator']);
    const page = await app.page('/contacts', { as: importer });
    const api = await app.apiAs(importer);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog(page).getByLabel('CSV file (first row: column names)').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });

    // "Who" matches no field: the dry run says the name has no column.
    await expect.poll(() => dialog(page).getByRole('alert').textContent(), PATIENT).toContain('has no column for the required field name');
    await dialog(page).getByLabel('Field for the column Who').selectOption('name');
    const summary = dialog(page).getByTestId('dry-run-summary');
    // A bad cell does not refuse its row: the row is imported with that cell left empty.
    await expect.poll(() => summary.textContent(), PATIENT).toMatch(/3 rows:\s*3 to import\s*\(1 with cells left empty\), 0 not imported/);
    // Email matched by name (the singular of emails), Role by what people call a position.
    expect(await dialog(page).getByLabel('Field for the column Email').inputValue()).toBe('emails');
    expect(await dialog(page).getByLabel('Field for the column Role').inputValue()).toBe('position');
    expect(await dialog(page).textContent()).toContain(BAD_EMAIL);
    await screenshot(page, 'import-preview');

    await dialog(page).getByRole('button', { name: 'Import 3 rows' }).click();
    const progress = dialog(page).getByRole('progressbar', { name: 'Import progress' });
    await progress.waitFor();
    await expect.poll(() => dialog(page).getByTestId('import-summary').textContent(), { timeout: 45_000 }).toMatch(/3\s*imported\s*\(1 with cells left empty\), 0 not imported/);
    expect(await progress.getAttribute('aria-valuenow')).toBe('3');
    const report = dialog(page).getByRole('table', { name: 'Rows not imported as they were' });
    expect(await report.getByRole('row').nth(1).textContent()).toBe(`3Imported, cell left emptyEmail${BAD_EMAIL.replace(/^Email: /, '')}`);
    await screenshot(page, 'import-done');

    const [errors] = await Promise.all([page.waitForEvent('download'), dialog(page).getByRole('button', { name: 'Download the errors (CSV)' }).click()]);
    expect(errors.suggestedFilename()).toBe('contacts-import-errors.csv');
    // The row as it was, with the record it became and why, to fix and import again.
    const [header, ...rows] = Papa.parse<string[]>((await textOfDownload(errors)).trimEnd()).data;
    expect(header).toEqual(['Id', 'Who', 'Email', 'Role', 'Notes', 'Reason']);
    expect(rows.map((row) => row.slice(1))).toEqual([['Bad Row', 'not-an-email', 'Engineer', 'second', `Imported, these cells left empty: ${BAD_EMAIL}`]]);

    await dialog(page).getByRole('button', { name: 'Close' }).first().click();
    await waitForRows(page, 'Contacts', 3);
    const stored = (await api('GET', '/api/contacts')).body.items as Array<{ id: string; name: string; position?: string; emails?: string[] }>;
    expect(stored.map((c) => [c.name, c.position, c.emails]).sort()).toEqual([
      ['Ada Lovelace', 'Engineer', ['ada@example.com']],
      ['Bad Row', 'Engineer', undefined],
      ['Grace Hopper', 'Rear admiral', ['grace@example.com']],
    ]);
    expect(rows[0][0]).toBe(stored.find((c) => c.name === 'Bad Row')?.id);

    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    const csv = await textOfDownload(exported);
    expect(csv.split('\r\n')[0]).toContain('Name');
    expect(csv).toContain('Ada Lovelace');
    expect(csv).toContain('grace@example.com');

    // The next file with a column "Who" is read as this one was: the mapping chosen by hand is remembered.
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog(page).getByLabel('CSV file (first row: column names)').setInputFiles({ name: 'more-people.csv', mimeType: 'text/csv', buffer: Buffer.from('Who,Email\r\nAlan Turing,alan@example.com\r\n') });
    await expect.poll(() => dialog(page).getByTestId('dry-run-summary').textContent(), PATIENT).toMatch(/1 rows:\s*1 to import/);
    expect(await dialog(page).getByLabel('Field for the column Who').inputValue()).toBe('name');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  });
});
