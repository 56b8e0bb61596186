/**
 * Related records by name in the grid's views, in Chromium against the whole stack: a contact
 * view sorted, filtered, grouped and quick-searched by its companies reads the companies' names
 * (every id of the column named at once: POST /api/companies/names), not their ids; a company the
 * signed-in user may not see reads as "Hidden record" and its name never reaches the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { apiOf, screenshotFailures, signIn, startApp, type TestApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, columnShown, groupRowsOf, textOf, waitForRows } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';

let app: TestApp;
let page: Page;
let api: Awaited<ReturnType<typeof apiOf>>;
const ids: Record<string, string> = {};
/** Contacts beyond the first screen, each at a company of its own: names the grid has not drawn. */
const FILLERS = 30;

beforeAll(async () => {
  app = await startApp();
  page = await app.openSignedIn('/contacts');
  api = await apiOf(page, app.cloud.url);
  // Created in this order, the ids sort Zeta, Alpha, Mid: the names sort otherwise.
  for (const [key, name] of [
    ['zeta', 'Zeta Works'],
    ['alpha', 'Alpha Systems'],
    ['mid', 'Mid Industries'],
  ]) ids[key] = (await createRecord(api, 'companies', { name })).id;
  await createRecord(api, 'contacts', { name: 'C1 Zeta', companyIds: [ids.zeta] });
  await createRecord(api, 'contacts', { name: 'C2 Alpha', companyIds: [ids.alpha] });
  await createRecord(api, 'contacts', { name: 'C3 Mid', companyIds: [ids.mid] });
  for (let n = 0; n < FILLERS; n++) {
    const company = await createRecord(api, 'companies', { name: `Filler ${String(n).padStart(2, '0')}` });
    await createRecord(api, 'contacts', { name: `F${String(n).padStart(2, '0')} Filler`, companyIds: [company.id] });
  }
}, 180_000);

afterAll(async () => {
  await app?.close();
});

screenshotFailures(() => (page ? [page] : []));

/** Opens the contacts with this view in the URL, and every name request the page sends. */
async function contactsWith(query: string, rows: number) {
  const posted: Array<{ ids: string[] }> = [];
  const listen = (request: Request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/companies/names') posted.push(request.postDataJSON());
  };
  page.on('request', listen);
  await page.goto(`${app.cloud.url}/contacts?${query}`);
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
    await expect.poll(() => columnShown(page).then((names) => names.slice(0, 2)), PATIENT).toEqual(['C1 Zeta', 'C3 Mid']);
    await screenshot(page, 'grid-relations-sorted');
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

describe('a related record the signed-in user may not see', () => {
  it('sorts and filters as "Hidden record", and its name never reaches the page', async () => {
    // A sales representative sees their own companies; Secret Holdings is the admin's.
    const secret = await createRecord(api, 'companies', { name: 'Secret Holdings' });
    await app.cloud.identity.createUser({ email: 'rep@demo.example', password: 'a rep password', tenant: 'demo', groups: ['sales-representative'] });
    const rep = await app.open('/contacts', await app.newBrowser());
    await signIn(rep, 'rep@demo.example', 'a rep password');
    await rep.waitForURL((url) => url.pathname === '/contacts');
    const repApi = await apiOf(rep, app.cloud.url);
    // Created Zulu before Alpha: by id Secret, Zulu, Alpha; by name Hidden record, Alpha, Zulu.
    const zulu = await createRecord(repApi, 'companies', { name: 'Rep Zulu' });
    const alpha = await createRecord(repApi, 'companies', { name: 'Rep Alpha' });
    await createRecord(repApi, 'contacts', { name: 'R1 Secret', companyIds: [secret.id] });
    await createRecord(repApi, 'contacts', { name: 'R2 Alpha', companyIds: [alpha.id] });
    await createRecord(repApi, 'contacts', { name: 'R3 Zulu', companyIds: [zulu.id] });
    const namesSeen: string[] = [];
    // Passed through as they are, read on the way (a body is gone once the page navigates).
    await rep.route(/\/api\/companies\/names/, async (route) => {
      const response = await route.fetch();
      namesSeen.push(await response.text());
      await route.fulfill({ response });
    });

    await rep.goto(`${app.cloud.url}/contacts?s=companyIds`);
    await waitForRows(rep, 'Contacts', 3);
    await expect.poll(() => columnShown(rep), PATIENT).toEqual(['R1 Secret', 'R2 Alpha', 'R3 Zulu']);
    expect(await textOf(cellAt(rep, 0, 'companyIds'))).toBe('Hidden record');
    await rep.goto(`${app.cloud.url}/contacts?s=-companyIds`);
    await expect.poll(() => columnShown(rep), PATIENT).toEqual(['R3 Zulu', 'R2 Alpha', 'R1 Secret']);

    await rep.goto(`${app.cloud.url}/contacts?f=${encodeURIComponent('companyIds.contains."hidden"')}`);
    await waitForRows(rep, 'Contacts', 1);
    await expect.poll(() => columnShown(rep), PATIENT).toEqual(['R1 Secret']);
    await rep.goto(`${app.cloud.url}/contacts?f=${encodeURIComponent('companyIds.contains."secret h"')}`);
    await waitForRows(rep, 'Contacts', 0);
    await rep.goto(`${app.cloud.url}/contacts?q=holdings`);
    await waitForRows(rep, 'Contacts', 0);
    await screenshot(rep, 'grid-relations-hidden');
    expect(await rep.content()).not.toContain('Secret Holdings');
    expect(namesSeen.length).toBeGreaterThan(0);
    expect(namesSeen.join('\n')).not.toContain('Secret Holdings');
  });
});
