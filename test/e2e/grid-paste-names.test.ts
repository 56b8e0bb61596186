/**
 * A column of company names pasted from a spreadsheet into contacts' Companies, in Chromium
 * against the whole stack: names the page has never shown are read back by the server (one
 * `POST /api/companies/ids-by-name` for the whole paste, then one bulk request with the ids);
 * a name no company has, or two companies share, refuses its cell with the reason, nothing sent
 * for it; a cell of several (`A; b`) is read part by part, case aside.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, recordBulkRequests, textOf, waitForRows } from '../support/grid.ts';
import { createRecord, emptyTypes, PATIENT, recordNamed } from '../support/seed.ts';
import { foldName } from '../../functions/contracts/user-labels.ts';

const app = useApp({ clipboard: true });
let page: Page;
const ids: Record<string, string> = {};

/** Each test's companies and contacts, and the contacts' grid by name. */
beforeEach(async () => {
  await emptyTypes(app.api, 'contacts', 'companies');
  const api = app.api;
  const company = async (key: string, name: string) => (ids[key] = (await createRecord(api, 'companies', { name })).id);
  await Promise.all([
    company('shown', 'Shown Co').then((shown) => createRecord(api, 'contacts', { name: 'P0 Shown', companyIds: [shown] })),
    // No contact links it and no companies page is opened: the contacts page never learns its name.
    company('unseen', 'Ünseen Partners'),
    company('twinA', 'Twin Co'),
    company('twinB', 'Twin Co'),
    ...['P1 Unseen', 'P2 Nowhere', 'P3 Twin', 'P4 Both'].map((name) => createRecord(api, 'contacts', { name })),
  ]);
  page = await app.page('/contacts?s=name');
});

const companiesOf = async (name: string) => (await recordNamed(app.api, 'contacts', name))?.companyIds ?? null;

describe('names pasted into a relation column', () => {
  it('are looked up on the server in one request, written in one bulk request, refused by cell with the reason', async () => {
    await waitForRows(page, 'Contacts', 5);
    await expect.poll(() => textOf(cellAt(page, 0, 'companyIds')), PATIENT).toBe('Shown Co');
    const lookups: Array<{ names: string[] }> = [];
    page.on('request', (request: Request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/ids-by-name')) lookups.push(request.postDataJSON());
    });
    const bulk = recordBulkRequests(page);

    // As Excel copies a column: one name a line, CRLF, a trailing line break.
    await page.evaluate(() => navigator.clipboard.writeText('unseen partners\r\nNowhere Inc\r\nTwin Co\r\nShown Co; ÜNSEEN  Partners\r\n'));
    await clickCell(page, 1, 'companyIds');
    await page.keyboard.press('Control+V');

    await expect.poll(() => companiesOf('P1 Unseen'), PATIENT).toEqual([ids.unseen]);
    await expect.poll(() => companiesOf('P4 Both'), PATIENT).toEqual([ids.shown, ids.unseen]);
    const nowhere = cellAt(page, 2, 'companyIds');
    const twin = cellAt(page, 3, 'companyIds');
    await expect.poll(() => nowhere.getAttribute('aria-invalid'), PATIENT).toBe('true');
    expect(await nowhere.getAttribute('aria-description')).toBe('no company named "Nowhere Inc"');
    expect(await textOf(nowhere)).toContain('Nowhere Inc');
    await expect.poll(() => twin.getAttribute('aria-invalid'), PATIENT).toBe('true');
    expect(await twin.getAttribute('aria-description')).toBe('2 companies are named "Twin Co": pick one');

    // One lookup for the whole paste, each name once (however spelt), then one write of the ids.
    expect(lookups).toHaveLength(1);
    expect(lookups[0].names.map(foldName).sort()).toEqual(['nowhere inc', 'shown co', 'twin co', 'unseen partners']);
    expect(bulk).toHaveLength(1);
    expect(bulk[0].changes.map(({ field, value }) => ({ field, value }))).toEqual([
      { field: 'companyIds', value: [ids.unseen] },
      { field: 'companyIds', value: [ids.shown, ids.unseen] },
    ]);
    expect(await companiesOf('P2 Nowhere')).toBeNull();
    expect(await companiesOf('P3 Twin')).toBeNull();
    // The names found are shown at once, as stored.
    await expect.poll(() => textOf(cellAt(page, 1, 'companyIds')), PATIENT).toBe('Ünseen Partners');
    await expect.poll(() => textOf(cellAt(page, 4, 'companyIds')), PATIENT).toBe('Shown Co; Ünseen Partners');
    await screenshot(page, 'grid-paste-names-refused');
  });

  it('keeps the cell saving while the names are looked up, and a write made meanwhile goes out after it', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/companies/ids-by-name', async (route) => {
      await held;
      await route.continue();
    });
    const bulk = recordBulkRequests(page);
    const cell = cellAt(page, 2, 'companyIds');
    await page.evaluate(() => navigator.clipboard.writeText('Shown Co'));
    await clickCell(page, 2, 'companyIds');
    await page.keyboard.press('Control+V');
    await expect.poll(() => cell.getAttribute('class'), PATIENT).toContain('cell-saving');
    expect(await textOf(cell)).toContain('Shown Co');
    // Cleared while the paste's names are on their way: needs no lookup, but waits for the paste.
    await page.keyboard.press('Delete');
    release();
    await expect.poll(() => bulk.length, PATIENT).toBe(2);
    expect(bulk.map((request) => request.changes.map((change) => change.value))).toEqual([[[ids.shown]], [null]]);
    await expect.poll(() => companiesOf('P2 Nowhere'), PATIENT).toBeNull();
    await expect.poll(() => cell.getAttribute('class'), PATIENT).not.toContain('cell-saving');
    await page.unroute('**/api/companies/ids-by-name');
  });
});
