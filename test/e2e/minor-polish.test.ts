/**
 * Issue 13's minor items in Chromium, as a person met them: the Save-as dialog takes the typing
 * at once, a page's message stays on that page, activity kinds read as words in the grid, the
 * card, the filter and the exported file (which imports back), the export's header says what a
 * column holds and its rows come in the grid's order, and phone numbers read as people of the
 * user's country writes them while the stored and exported value stays E.164.
 *
 * Each test in a tenant of its own (its records, saved views and counts are its own), on a page of
 * its own opened as that tenant's administrator once its records are made.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CDPSession, Download, Page } from 'playwright-core';
import { useApp, type Api, type PageOptions, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, columnShown, textOf, waitForRows } from '../support/grid.ts';
import { PATIENT, createRecord } from '../support/seed.ts';

const app = useApp();
/** The test's tenant's administrator, their API and their page. */
let user: User;
let api: Api;
let page: Page;

/** A tenant of the test's own and its administrator's API: what the test makes, it makes there. */
async function ownTenant() {
  user = await app.newTenant();
  api = await app.apiAs(user);
}

/** The administrator's page at `path`, ready (its grid's rows drawn). */
async function open(path: string, options: PageOptions = {}) {
  page = await app.page(path, { as: user, ...options });
}

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
  beforeEach(async () => {
    await ownTenant();
    await createRecord(api, 'companies', { name: 'Polish Co' });
  });

  it('Save as… puts the caret in Name: the name is typed at once and Enter saves', async () => {
    await open('/companies');
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
    await open('/companies');
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

/** The rows of a downloaded CSV as objects by header, and the header. */
async function csvOf(download: Download) {
  const [header, ...rows] = Papa.parse<string[]>(readFileSync((await download.path())!, 'utf8').trimEnd()).data;
  return { header, rows: rows.map((row) => Object.fromEntries(header.map((column, i) => [column, row[i]]))), text: readFileSync((await download.path())!) };
}

/** A downloaded file as a person edits it in a spreadsheet: each row changed by `change`, the header kept. */
function edited(file: Awaited<ReturnType<typeof csvOf>>, change: (row: Record<string, string>) => Record<string, string>): Buffer {
  return Buffer.from(Papa.unparse([file.header, ...file.rows.map((row) => file.header.map((column) => change(row)[column]))]));
}

async function exportView() {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  return csvOf(download);
}

/** Imports a file through the grid's Import dialog, as a person picks one, and waits for the import to end. */
async function importFile(plural: string, name: string, buffer: Buffer, rows: number) {
  const dialog = page.getByRole('dialog', { name: `Import ${plural} from CSV` });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await dialog.getByLabel('CSV file (first row: column names)').setInputFiles({ name, mimeType: 'text/csv', buffer });
  await expect.poll(() => dialog.getByTestId('dry-run-summary').textContent(), PATIENT).toMatch(new RegExp(`${rows} rows?:\\s*${rows} to import`));
  await dialog.getByRole('button', { name: `Import ${rows} row` }).click();
  await expect.poll(() => dialog.getByTestId('import-summary').textContent(), { timeout: 45_000 }).toMatch(new RegExp(`${rows}\\s*imported`));
  await dialog.getByRole('button', { name: 'Close' }).first().click();
}

describe('activity kinds', () => {
  it('read as words in the grid, its dropdown, a filter and the card; the export writes the words and imports back', async () => {
    await ownTenant();
    const [ring, mail, plan] = await Promise.all([
      createRecord(api, 'activities', { name: 'Ring Hooli', kind: 'call' }),
      createRecord(api, 'activities', { name: 'Mail the deck', kind: 'email' }),
      createRecord(api, 'activities', { name: 'Plan the quarter', kind: 'task' }),
    ]);
    await open('/activities');
    await waitForRows(page, 'Activities', 3);
    await expect.poll(() => columnShown(page, 'name'), PATIENT).toEqual(['Mail the deck', 'Plan the quarter', 'Ring Hooli']);
    expect(await columnShown(page, 'kind')).toEqual(['Email', 'Task', 'Call']);

    // The cell's dropdown offers the words (no empty one: an activity has a kind); the key is what is saved.
    await clickCell(page, 1, 'kind');
    await page.keyboard.press('Enter');
    const dropdown = page.getByLabel('Kind, editing');
    await dropdown.waitFor();
    expect(await dropdown.locator('option').allTextContents()).toEqual(['Task', 'Call', 'Meeting', 'Email', 'Note']);
    await dropdown.selectOption('Meeting');
    await expect.poll(async () => (await api('GET', `/api/activities/${plan.id}`)).body.kind, PATIENT).toBe('meeting');
    await expect.poll(() => textOf(cellAt(page, 1, 'kind')), PATIENT).toBe('Meeting');

    // A filter by kind offers the words too, and says them on its chip.
    await toolbar().getByLabel('Add a filter').selectOption({ label: 'Kind' });
    const filter = page.getByRole('dialog', { name: 'Filter Kind' });
    await filter.getByLabel('Email').check();
    await filter.getByRole('button', { name: 'Done' }).click();
    await waitForRows(page, 'Activities', 1);
    expect(await toolbar().getByRole('button', { name: 'Kind is Email' }).count()).toBe(1);

    // The file says what the grid says; edited and imported again (an exported file updates the
    // records it names), a word is read back as its kind.
    const file = await exportView();
    expect(file.rows.map((row) => [row.Name, row.Kind])).toEqual([['Mail the deck', 'Email']]);
    await importFile('activities', 'emails.csv', edited(file, (row) => ({ ...row, Kind: 'Meeting' })), 1);
    await expect.poll(async () => (await api('GET', `/api/activities/${mail.id}`)).body.kind, PATIENT).toBe('meeting');

    // The card of a call says Call.
    await toolbar().getByRole('button', { name: 'Remove the filter on Kind' }).click();
    await waitForRows(page, 'Activities', 3);
    await page.locator('revo-grid .rowHeaders [data-rgrow="2"]').first().dblclick();
    const card = page.getByRole('dialog', { name: 'Ring Hooli' });
    await card.getByRole('heading', { name: 'Ring Hooli' }).waitFor();
    // Its choice holds the key and shows the word, as a deal's stage does; every kind offered by its word.
    const kind = card.getByLabel('Kind', { exact: true });
    expect(await kind.inputValue()).toBe('call');
    expect(await kind.locator('option:checked').textContent()).toBe('Call');
    expect(await kind.locator('option').allTextContents()).toEqual(['Task', 'Call', 'Meeting', 'Email', 'Note']);
    expect(ring.kind).toBe('call');
    expect(mail.kind).toBe('email');
    await page.keyboard.press('Escape');
  });
});

describe('export', () => {
  it("writes headers that say what a column holds, rows in the grid's order; the file imports back", async () => {
    await ownTenant();
    const company = async (name: string) => (await createRecord(api, 'companies', { name })).id;
    const [zenith, apex, mango] = await Promise.all([company('Zenith Ltd'), company('Apex Corp'), company('Mango Inc')]);
    // Made in another order than their names'.
    await createRecord(api, 'contacts', { name: 'Zoe Quinn', companyIds: [zenith, apex] });
    await createRecord(api, 'contacts', { name: 'Adam Ross', companyIds: [mango] });
    await createRecord(api, 'contacts', { name: 'Mia Wong' });
    await open('/contacts');
    await waitForRows(page, 'Contacts', 3);
    await expect.poll(() => columnShown(page, 'name'), PATIENT).toEqual(['Adam Ross', 'Mia Wong', 'Zoe Quinn']);

    const file = await exportView();
    expect(file.header).toEqual(['Id', 'Version', 'Name', 'Position', 'Emails', 'Phones', 'Companies', 'Tags', 'Updated']);
    expect(file.rows.map((row) => [row.Name, row.Companies])).toEqual([
      ['Adam Ross', 'Mango Inc'],
      ['Mia Wong', ''],
      ['Zoe Quinn', 'Zenith Ltd; Apex Corp'],
    ]);

    // Edited and imported again, the Companies column is read by name: Mia now works at Apex.
    await importFile('contacts', 'contacts.csv', edited(file, (row) => (row.Name === 'Mia Wong' ? { ...row, Companies: 'Apex Corp' } : row)), 3);
    await expect
      .poll(async () => {
        const contacts: Array<{ name: string; companyIds?: string[] }> = (await api('GET', '/api/contacts')).body.items;
        return Object.fromEntries(contacts.map((c) => [c.name, c.companyIds ?? []]));
      }, PATIENT)
      .toEqual({ 'Adam Ross': [mango], 'Mia Wong': [apex], 'Zoe Quinn': [zenith, apex] });
    await waitForRows(page, 'Contacts', 3);
  });
});

/**
 * Sets the page's language as a person's browser is set (its region is their country), the way
 * Playwright's `locale` does: navigator.language(s) and Intl's default; read from the next load.
 */
async function speak(page: Page, cdp: CDPSession, locale: string) {
  await cdp.send('Emulation.setLocaleOverride', { locale });
  await cdp.send('Emulation.setUserAgentOverride', { userAgent: await page.evaluate(() => navigator.userAgent), acceptLanguage: locale });
}

describe('phone numbers', () => {
  it("show as the user's country writes them and are typed so; the stored and exported value stays E.164", async () => {
    await ownTenant();
    const person = await createRecord(api, 'contacts', { name: 'Phoebe Phones', phones: ['+14155550134', '+442079460958 ext. 12'] });
    await createRecord(api, 'contacts', { name: 'Philip Other', phones: ['+4930123456'] });
    // The tab speaks American English from its first load.
    let cdp!: CDPSession;
    await open('/contacts?q=ph', {
      beforeGoto: async (tab) => {
        cdp = await tab.context().newCDPSession(tab);
        await speak(tab, cdp, 'en-US');
      },
    });
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await waitForRows(page, 'Contacts', 2);
    await expect.poll(() => columnShown(page, 'phones'), PATIENT).toEqual(['+49 30 123456', '(415) 555-0134; +44 20 7946 0958 ext. 12']);
    await screenshot(page, 'phones-en-US');

    // Typed as the cell shows them: the national number is read in the user's country.
    await clickCell(page, 1, 'phones');
    await page.keyboard.press('Enter');
    const editor = page.getByLabel('Phones, editing');
    await expect.poll(() => editor.inputValue(), PATIENT).toBe('(415) 555-0134; +44 20 7946 0958 ext. 12');
    await editor.fill('(415) 555-0199; +44 20 7946 0958 ext. 12');
    await editor.press('Enter');
    await expect.poll(async () => (await api('GET', `/api/contacts/${person.id}`)).body.phones, PATIENT).toEqual(['+14155550199', '+442079460958 ext. 12']);
    await expect.poll(() => textOf(cellAt(page, 1, 'phones')), PATIENT).toBe('(415) 555-0199; +44 20 7946 0958 ext. 12');

    // The quick search finds it by its digits (as stored); the export of that search holds it, in E.164.
    await toolbar().getByLabel('Search this view').fill('5550199');
    await waitForRows(page, 'Contacts', 1);
    const file = await exportView();
    expect(file.rows.map((row) => row.Name)).toEqual(['Phoebe Phones']);
    // E.164 as stored (a cell with letters after its `+` is quoted against formulas with a `'`).
    expect(file.rows[0].Phones).toMatch(/^'?\+14155550199; \+442079460958 ext\. 12$/);

    // The card shows and reads them the same way.
    await page.locator('revo-grid .rowHeaders [data-rgrow="0"]').first().dblclick();
    const card = page.getByRole('dialog', { name: 'Phoebe Phones' });
    await card.getByRole('heading', { name: 'Phoebe Phones' }).waitFor();
    expect(await card.getByLabel('Phones', { exact: true }).inputValue()).toBe('(415) 555-0199; +44 20 7946 0958 ext. 12');
    await page.keyboard.press('Escape');

    // The global search says the phone that matched the same way.
    await page.getByRole('combobox', { name: 'Search all records' }).fill('+1 415 555 0199');
    await expect.poll(() => page.getByRole('listbox', { name: 'Records found' }).getByRole('option').allTextContents(), PATIENT).toEqual(['Phoebe Phones Phone (415) 555-0199']);
    await page.keyboard.press('Escape');

    // Someone in Britain reads the British number nationally, the American one internationally.
    await speak(page, cdp, 'en-GB');
    await page.goto(`${app.cloud.url}/contacts?q=ph`);
    expect(await page.evaluate(() => navigator.language)).toBe('en-GB');
    await waitForRows(page, 'Contacts', 2);
    await expect.poll(() => columnShown(page, 'phones'), PATIENT).toEqual(['+49 30 123456', '+1 415 555 0199; 020 7946 0958 ext. 12']);
    await screenshot(page, 'phones-en-GB');
    await cdp.detach();
  });
});
