/**
 * Related records by name in the grid's views, in Chromium against the whole stack: a contact
 * view sorted, filtered, grouped and quick-searched by its companies reads the companies' names
 * (every id of the column named at once: POST /api/companies/names), not their ids; a company the
 * signed-in user may not see reads as "Hidden record" and its name never reaches the page. A cell
 * of several companies is edited as chips, by keyboard: search and pick, Backspace and × remove,
 * Enter commits (one bulk change of the ids), Esc cancels; a pasted `A; B` still names them.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page, Request, Route } from 'playwright-core';
import { pageReady, useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, columnShown, groupRowsOf, recordBulkRequests, textOf, waitForRows } from '../support/grid.ts';
import { createRecord, createRecords, importRows, PATIENT, recordNamed } from '../support/seed.ts';

const app = useApp({ clipboard: true });
let page: Page;
const ids: Record<string, string> = {};
/** Contacts beyond the first screen, each at a company of its own: names the grid has not drawn. */
const FILLERS = 30;

/** The companies, each a contact's: read by the views' tests, changed by none (the chips' tests have tenants of their own). */
beforeAll(async () => {
  const api = app.api;
  // Created in this order, the ids sort Zeta, Alpha, Mid: the names sort otherwise.
  for (const [key, name] of [
    ['zeta', 'Zeta Works'],
    ['alpha', 'Alpha Systems'],
    ['mid', 'Mid Industries'],
  ]) ids[key] = (await createRecord(api, 'companies', { name })).id;
  await createRecord(api, 'contacts', { name: 'C1 Zeta', companyIds: [ids.zeta] });
  await createRecord(api, 'contacts', { name: 'C2 Alpha', companyIds: [ids.alpha] });
  await createRecord(api, 'contacts', { name: 'C3 Mid', companyIds: [ids.mid] });
  // The fillers' ids decide nothing (their names sort after Alpha and before Mid): imported, a
  // file of companies and one of their contacts (the import links a contact to its company by name).
  const fillers = Array.from({ length: FILLERS }, (_, n) => String(n).padStart(2, '0'));
  await importRows(api, 'companies', fillers.map((n) => ({ Name: `Filler ${n}` })));
  const contacts = await importRows(api, 'contacts', fillers.map((n) => ({ Name: `F${n} Filler`, 'Company Ids': `Filler ${n}` })));
  expect(contacts.partial, 'every filler contact linked to its company').toBe(0);
}, 180_000);

/** Opens the contacts with this view in the URL, and every name request the page sends. */
async function contactsWith(query: string, rows: number) {
  const posted: Array<{ ids: string[] }> = [];
  const listen = (request: Request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/companies/names') posted.push(request.postDataJSON());
  };
  page = await app.page(`/contacts?${query}`, { beforeGoto: (tab) => tab.on('request', listen) });
  await waitForRows(page, 'Contacts', rows);
  return { posted, stop: () => page.off('request', listen) };
}

describe('a view over a relation column reads the related records by name', () => {
  it('sorts by the company names, off-screen rows included, named in one request for the column', async () => {
    const { posted, stop } = await contactsWith('s=companyIds', 3 + FILLERS);
    // By id it would be C1 Zeta first; by name Alpha, then the fillers, then Mid, then Zeta.
    await expect.poll(() => columnShown(page).then((names) => names.slice(0, 2)), PATIENT).toEqual(['C2 Alpha', 'F00 Filler']);
    expect(await textOf(cellAt(page, 0, 'companyIds'))).toBe('Alpha Systems');
    // Every id of the column in one POST (the grid draws only the first screen).
    expect(posted).toHaveLength(1);
    expect(posted[0].ids).toHaveLength(3 + FILLERS);
    stop();
    await page.goto(`${app.cloud.url}/contacts?s=-companyIds`);
    await pageReady(page);
    await expect.poll(() => columnShown(page).then((names) => names.slice(0, 2)), PATIENT).toEqual(['C1 Zeta', 'C3 Mid']);
    await screenshot(page, 'grid-relations-sorted');
  });

  it('says so while the names of the column are on their way', async () => {
    // The names' answer held back (passed on unchanged) until the page has said it waits for them.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: Route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    };
    page = await app.page('/contacts?s=-companyIds', { ready: false, beforeGoto: (tab) => tab.route('**/api/companies/names', hold) });
    const naming = page.getByRole('status').filter({ hasText: 'naming' });
    await expect.poll(() => naming.textContent(), PATIENT).toContain(`naming ${3 + FILLERS} related records…`);
    release();
    await expect.poll(() => naming.count(), PATIENT).toBe(0);
    await expect.poll(() => columnShown(page).then((names) => names[0]), PATIENT).toBe('C1 Zeta');
  });

  it('filters by what a company is called: contains, equals, empty', async () => {
    await contactsWith(`f=${encodeURIComponent('companyIds.contains."works"')}`, 1);
    await expect.poll(() => columnShown(page), PATIENT).toEqual(['C1 Zeta']);
    await contactsWith(`f=${encodeURIComponent('companyIds.eq."mid industries"')}`, 1);
    await expect.poll(() => columnShown(page), PATIENT).toEqual(['C3 Mid']);
    // An id is no longer what the column holds for a filter.
    await contactsWith(`f=${encodeURIComponent(`companyIds.contains."${ids.zeta.slice(0, 10).toLowerCase()}"`)}`, 0);
  });

  it('groups by company, each group under its name', async () => {
    // A company each: a header row per contact.
    await contactsWith('g=companyIds', 2 * (3 + FILLERS));
    await expect.poll(async () => (await groupRowsOf(page)).slice(0, 2).map((group) => group.label), PATIENT).toEqual([
      expect.stringContaining('Alpha Systems'),
      expect.stringContaining('Filler 00'),
    ]);
    await screenshot(page, 'grid-relations-grouped');
  });

  it("finds a row by its company's name in the quick search", async () => {
    await contactsWith('q=industries', 1);
    await expect.poll(() => columnShown(page), PATIENT).toEqual(['C3 Mid']);
    await page.getByRole('searchbox').fill('filler 17');
    await expect.poll(() => columnShown(page), PATIENT).toEqual(['F17 Filler']);
  });
});

/** The companies of the contact named `name`, as the API of the test's user has them. */
let api: Api;
const companiesOf = async (name: string) => (await recordNamed(api, 'contacts', name))?.companyIds ?? null;

/** The chip editor open on a companies cell of the page `on` gives. */
function chipEditor(on: () => Page) {
  const box = () => on().getByRole('combobox', { name: 'Companies, editing' });
  const chips = () => on().getByRole('list', { name: 'Companies: linked records' }).getByRole('listitem');
  /** The chips' names (each chip is its name and a ×). */
  const chipNames = async () => (await chips().allTextContents()).map((text) => text.replace('×', '').trim());
  const matches = () => on().getByRole('listbox', { name: 'Matching companies' }).getByRole('option');
  /** Types a search into the open editor and picks the first match with Enter. */
  async function pick(text: string, name: string) {
    await box().pressSequentially(text);
    await expect.poll(() => matches().first().textContent(), PATIENT).toContain(name);
    await on().keyboard.press('Enter');
    await expect.poll(chipNames, PATIENT).toContain(name);
  }
  return { box, chips, chipNames, matches, pick };
}

describe('the chip editor of a cell of several companies', () => {
  const { box, chips, chipNames, matches, pick } = chipEditor(() => page);
  const mine: Record<string, string> = {};
  let user: User;

  /** Each test in a tenant of its own: three companies, three contacts (each at one). */
  beforeEach(async () => {
    user = await app.newTenant();
    api = await app.apiAs(user);
    // The grid shows the contacts by name: the order the records are made in decides nothing.
    [mine.zeta, mine.alpha, mine.mid] = (await createRecords(api, 'companies', [{ name: 'Zeta Works' }, { name: 'Alpha Systems' }, { name: 'Mid Industries' }])).map((company) => company.id);
    [mine.c1, mine.c2, mine.c3] = (
      await createRecords(api, 'contacts', [
        { name: 'C1 Zeta', companyIds: [mine.zeta] },
        { name: 'C2 Alpha', companyIds: [mine.alpha] },
        { name: 'C3 Mid', companyIds: [mine.mid] },
      ])
    ).map((contact) => contact.id);
  });

  /** C2 Alpha's companies set, then the contacts' grid (by name: C1 Zeta, C2 Alpha, C3 Mid). */
  async function contactsWhereC2Has(...companies: string[]) {
    const c2 = (await api('GET', `/api/contacts/${mine.c2}`)).body;
    expect((await api('PATCH', `/api/contacts/${mine.c2}`, { version: c2.version, fields: { companyIds: companies.map((key) => mine[key]) } })).status).toBe(200);
    page = await app.page('/contacts', { as: user });
    await waitForRows(page, 'Contacts', 3);
  }

  it('adds companies by keyboard, removes the last with Backspace, and Enter saves the ids in one bulk change', async () => {
    await contactsWhereC2Has('alpha');
    const bulk = recordBulkRequests(page);
    await clickCell(page, 1, 'companyIds');
    await page.keyboard.press('Enter');
    await expect.poll(chipNames, PATIENT).toEqual(['Alpha Systems']);
    await expect.poll(() => box().evaluate((input) => input === document.activeElement), PATIENT).toBe(true);
    await pick('zeta', 'Zeta Works');
    await pick('mid', 'Mid Industries');
    await screenshot(page, 'grid-relations-chip-editor');
    // Backspace in the empty box takes the last chip off.
    await page.keyboard.press('Backspace');
    await expect.poll(chipNames, PATIENT).toEqual(['Alpha Systems', 'Zeta Works']);
    expect(bulk).toHaveLength(0);
    await page.keyboard.press('Enter');
    await expect.poll(() => companiesOf('C2 Alpha'), PATIENT).toEqual([mine.alpha, mine.zeta]);
    expect(bulk.map((request) => request.changes)).toEqual([[expect.objectContaining({ field: 'companyIds', value: [mine.alpha, mine.zeta] })]]);
    await expect.poll(() => textOf(cellAt(page, 1, 'companyIds')), PATIENT).toBe('Alpha Systems; Zeta Works');
    await expect.poll(() => box().count()).toBe(0);
  });

  it('Esc cancels: nothing is sent and the cell stays as it was', async () => {
    await contactsWhereC2Has('alpha', 'zeta');
    const bulk = recordBulkRequests(page);
    await clickCell(page, 1, 'companyIds');
    await page.keyboard.press('Enter');
    await expect.poll(() => chips().count(), PATIENT).toBe(2);
    await page.keyboard.press('Backspace');
    await pick('mid', 'Mid Industries');
    await page.keyboard.press('Escape');
    await expect.poll(() => box().count()).toBe(0);
    expect(await textOf(cellAt(page, 1, 'companyIds'))).toBe('Alpha Systems; Zeta Works');
    expect(bulk).toHaveLength(0);
    expect(await companiesOf('C2 Alpha')).toEqual([mine.alpha, mine.zeta]);
  });

  it("removes a chip by its ×, and typing on the cell opens the editor searching what was typed", async () => {
    await contactsWhereC2Has('alpha', 'zeta');
    await clickCell(page, 1, 'companyIds');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Remove Alpha Systems from Companies' }).click();
    await expect.poll(chipNames, PATIENT).toEqual(['Zeta Works']);
    await page.keyboard.press('Enter');
    await expect.poll(() => companiesOf('C2 Alpha'), PATIENT).toEqual([mine.zeta]);

    // Typed on the cell: the editor opens with the text searched, the chips kept.
    await clickCell(page, 2, 'companyIds');
    await page.keyboard.type('alph');
    await expect.poll(() => matches().first().textContent(), PATIENT).toContain('Alpha Systems');
    expect(await chipNames()).toEqual(['Mid Industries']);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => companiesOf('C3 Mid'), PATIENT).toEqual([mine.mid, mine.alpha]);
  });

  it('clears the field when every chip is removed, and a pasted "A; B" still names the companies', async () => {
    await contactsWhereC2Has('zeta');
    await clickCell(page, 1, 'companyIds');
    await page.keyboard.press('Enter');
    await expect.poll(() => chips().count(), PATIENT).toBe(1);
    await page.keyboard.press('Backspace');
    await expect.poll(() => chips().count(), PATIENT).toBe(0);
    await page.keyboard.press('Enter');
    await expect.poll(() => companiesOf('C2 Alpha'), PATIENT).toBe(null);
    await expect.poll(() => textOf(cellAt(page, 1, 'companyIds')), PATIENT).toBe('');

    await page.evaluate(() => navigator.clipboard.writeText('Mid Industries; Zeta Works'));
    await clickCell(page, 1, 'companyIds');
    await page.keyboard.press('Control+V');
    await expect.poll(() => companiesOf('C2 Alpha'), PATIENT).toEqual([mine.mid, mine.zeta]);
  });
});

describe('a related record the signed-in user may not see', () => {
  let admin: User & { tenant: string };
  let rep: User;
  let secretId = '';
  let repAlphaId = '';

  /**
   * Each test in a tenant of its own: a sales representative sees their own companies, Secret
   * Holdings is the administrator's; the representative's contacts are at both.
   */
  beforeEach(async () => {
    admin = await app.newTenant();
    rep = await app.newUser(['sales-representative'], admin.tenant);
    const adminApi = await app.apiAs(admin);
    const secret = await createRecord(adminApi, 'companies', { name: 'Secret Holdings' });
    api = await app.apiAs(rep);
    // Created Zulu before Alpha: by id Secret, Zulu, Alpha; by name Hidden record, Alpha, Zulu.
    const zulu = await createRecord(api, 'companies', { name: 'Rep Zulu' });
    const alpha = await createRecord(api, 'companies', { name: 'Rep Alpha' });
    // The rep may not link a company they cannot see: the administrator did, and handed the contact over.
    const linked = await createRecord(adminApi, 'contacts', { name: 'R1 Secret', companyIds: [secret.id] });
    const repSub = (await api('GET', '/api/me')).body.sub;
    expect((await adminApi('PATCH', `/api/contacts/${linked.id}/owner`, { version: 1, owner: repSub })).status).toBe(200);
    await createRecord(api, 'contacts', { name: 'R2 Alpha', companyIds: [alpha.id] });
    await createRecord(api, 'contacts', { name: 'R3 Zulu', companyIds: [zulu.id] });
    [secretId, repAlphaId] = [secret.id, alpha.id];
  });

  it('sorts and filters as "Hidden record", and its name never reaches the page', async () => {
    const namesSeen: string[] = [];
    // Passed through as they are, read on the way (a body is gone once the page navigates).
    const repPage = await app.page('/contacts?s=companyIds', {
      as: rep,
      beforeGoto: (tab) =>
        tab.route(/\/api\/companies\/names/, async (route) => {
          const response = await route.fetch();
          namesSeen.push(await response.text());
          await route.fulfill({ response });
        }),
    });
    /** The contacts with this view in the URL. */
    const view = async (query: string) => {
      await repPage.goto(`${app.cloud.url}/contacts?${query}`);
      await pageReady(repPage);
    };
    await waitForRows(repPage, 'Contacts', 3);
    await expect.poll(() => columnShown(repPage), PATIENT).toEqual(['R1 Secret', 'R2 Alpha', 'R3 Zulu']);
    expect(await textOf(cellAt(repPage, 0, 'companyIds'))).toBe('Hidden record');
    await view('s=-companyIds');
    await expect.poll(() => columnShown(repPage), PATIENT).toEqual(['R3 Zulu', 'R2 Alpha', 'R1 Secret']);

    await view(`f=${encodeURIComponent('companyIds.contains."hidden"')}`);
    await waitForRows(repPage, 'Contacts', 1);
    await expect.poll(() => columnShown(repPage), PATIENT).toEqual(['R1 Secret']);
    await view(`f=${encodeURIComponent('companyIds.contains."secret h"')}`);
    await waitForRows(repPage, 'Contacts', 0);
    await view('q=holdings');
    await waitForRows(repPage, 'Contacts', 0);
    await screenshot(repPage, 'grid-relations-hidden');
    expect(await repPage.content()).not.toContain('Secret Holdings');
    expect(namesSeen.length).toBeGreaterThan(0);
    expect(namesSeen.join('\n')).not.toContain('Secret Holdings');
  });

  it('stays linked when the contact is edited with chips: the hidden record is kept by its id', async () => {
    const repPage = await app.page('/contacts', { as: rep });
    await waitForRows(repPage, 'Contacts', 3);
    const bulk = recordBulkRequests(repPage);
    const editor = chipEditor(() => repPage);
    await clickCell(repPage, 0, 'companyIds');
    await repPage.keyboard.press('Enter');
    await expect.poll(editor.chipNames, PATIENT).toEqual(['Hidden record']);
    await editor.pick('rep al', 'Rep Alpha');
    await repPage.keyboard.press('Enter');
    await expect.poll(() => bulk.length, PATIENT).toBe(1);
    expect(bulk[0].changes).toEqual([expect.objectContaining({ field: 'companyIds', value: [secretId, repAlphaId] })]);
    await expect.poll(() => textOf(cellAt(repPage, 0, 'companyIds')), PATIENT).toBe('Hidden record; Rep Alpha');
  });
});
