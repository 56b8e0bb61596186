/**
 * Import and export from the grid's toolbar in Chromium: a CSV picked in the dialog, its dry run
 * (a column the server cannot match mapped by hand, the first errors), the import with its
 * progress bar, the row-error report and its download, the rows in the grid; then the export.
 */
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
  'Full name,Email,Role,Notes',
  'Ada Lovelace,ada@example.com,Engineer,first',
  'Bad Row,not-an-email,Engineer,second',
  'Grace Hopper,grace@example.com,Rear admiral,third',
].join('\r\n');

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Import contacts from CSV' });
const textOfDownload = async (download: Download) => readFileSync((await download.path())!, 'utf8');

describe('import and export in Chromium', () => {
  it('imports a CSV with a bad row through the dialog: mapping, progress, error report; exports the rows', async () => {
    const page = await app.page('/contacts');
    const api = app.api;
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog(page).getByLabel('CSV file (first row: column names)').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });

    // "Full name" matches no field: the dry run says the name has no column.
    await expect.poll(() => dialog(page).getByRole('alert').textContent(), PATIENT).toContain('has no column for the required field name');
    await dialog(page).getByLabel('Field for the column Full name').selectOption('name');
    const summary = dialog(page).getByTestId('dry-run-summary');
    await expect.poll(() => summary.textContent(), PATIENT).toMatch(/3 rows:\s*2 to import, 1 with errors/);
    // Email matched by name (the singular of emails); Role is mapped by hand.
    expect(await dialog(page).getByLabel('Field for the column Email').inputValue()).toBe('emails');
    await dialog(page).getByLabel('Field for the column Role').selectOption('position');
    await expect.poll(() => dialog(page).getByLabel('Field for the column Role').isEnabled(), PATIENT).toBe(true);
    expect(await dialog(page).textContent()).toContain('Line 3: emails.0:');
    await screenshot(page, 'import-preview');

    await dialog(page).getByRole('button', { name: 'Import 2 rows' }).click();
    const progress = dialog(page).getByRole('progressbar', { name: 'Import progress' });
    await progress.waitFor();
    await expect.poll(() => dialog(page).getByTestId('import-summary').textContent(), { timeout: 45_000 }).toMatch(/2\s*imported, 1 with errors/);
    expect(await progress.getAttribute('aria-valuenow')).toBe('3');
    const report = dialog(page).getByRole('table', { name: 'Rows not imported' });
    expect(await report.getByRole('row').nth(1).textContent()).toMatch(/^3emails\.0: must be an e-mail/);
    await screenshot(page, 'import-done');

    const [errors] = await Promise.all([page.waitForEvent('download'), dialog(page).getByRole('button', { name: 'Download the errors (CSV)' }).click()]);
    expect(errors.suggestedFilename()).toBe('contacts-import-errors.csv');
    expect(await textOfDownload(errors)).toMatch(/^Line,Reason\r\n3,emails\.0: must be an e-mail/);

    await dialog(page).getByRole('button', { name: 'Close' }).first().click();
    await waitForRows(page, 'Contacts', 2);
    const contacts = (await api('GET', '/api/contacts')).body.items.map((c: { name: string; position?: string }) => [c.name, c.position]);
    expect(contacts.sort()).toEqual([
      ['Ada Lovelace', 'Engineer'],
      ['Grace Hopper', 'Rear admiral'],
    ]);

    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    const csv = await textOfDownload(exported);
    expect(csv.split('\r\n')[0]).toContain('Name');
    expect(csv).toContain('Ada Lovelace');
    expect(csv).toContain('grace@example.com');
  });
});
