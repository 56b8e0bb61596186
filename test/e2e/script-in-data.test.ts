/**
 * Script in data (docs/SECURITY.md): records named with HTML are shown in the grid, the record
 * card, the deal board and the trash as the text they are. Nothing of them runs or becomes an
 * element, and the Content-Security-Policy (the second line) never had anything to stop.
 */
import { beforeEach, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageReady, useApp } from '../support/app.ts';
import { cellAt, clickWithAltEnter, textOf, waitForRows } from '../support/grid.ts';
import { PATIENT, createRecord, emptyTypes } from '../support/seed.ts';

const app = useApp();

/** Each would run a script if a page put it into the document as markup. */
const HOSTILE = ['<img src=x onerror="window.__ran=(window.__ran||0)+1">', '<script>window.__ran=1</script>', '"><svg onload="window.__ran=1">'];

beforeEach(async () => {
  await emptyTypes(app.api, 'companies', 'deals');
});

/** Before the page's first script: every violation of the policy the browser reports. */
const listenForViolations = (page: Page) =>
  page.addInitScript(() => {
    const seen: string[] = ((window as any).__violations = []);
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective}: ${event.blockedURI}`));
  });

/** No script of the data ran, none of it is an element of the page, and the policy blocked nothing. */
async function nothingRan(page: Page, where: string) {
  const seen = await page.evaluate(() => ({
    ran: (window as any).__ran ?? 0,
    violations: (window as any).__violations as string[],
    elements: document.querySelectorAll('img[src="x"], svg[onload]').length + [...document.scripts].filter((script) => script.textContent?.includes('__ran')).length,
  }));
  expect(seen, where).toEqual({ ran: 0, violations: [], elements: 0 });
}

it('shows names that are HTML as text in the grid, the card, the board and the trash, and runs none of it', async () => {
  const companies = await Promise.all(HOSTILE.map((name) => createRecord(app.api, 'companies', { name, industry: name })));
  await Promise.all(HOSTILE.map((name) => createRecord(app.api, 'deals', { name, companyId: companies[0].id })));
  const page = await app.page('/companies', { beforeGoto: listenForViolations });

  await waitForRows(page, 'Companies', HOSTILE.length);
  const names = await Promise.all(HOSTILE.map((_, row) => textOf(cellAt(page, row, 'name'))));
  expect(names.sort()).toEqual([...HOSTILE].sort());
  await nothingRan(page, 'grid');

  await clickWithAltEnter(page, 0, 'name');
  const card = page.getByRole('dialog');
  await expect.poll(async () => HOSTILE.includes((await card.getByRole('heading').first().textContent())?.trim() ?? ''), PATIENT).toBe(true);
  await nothingRan(page, 'card');
  await page.keyboard.press('Escape');

  await page.goto(`${app.cloud.url}/deals/board`);
  await pageReady(page);
  await expect.poll(async () => (await page.locator('li.deal .name').allTextContents()).map((text) => text.trim()).sort(), PATIENT).toEqual([...HOSTILE].sort());
  await nothingRan(page, 'board');

  const trashed = await app.api('POST', '/api/trash', { items: [{ type: 'company', id: companies[1].id, version: companies[1].version }] });
  expect(trashed.status).toBe(200);
  await page.goto(`${app.cloud.url}/companies/trash`);
  await pageReady(page);
  await expect.poll(() => page.getByRole('main').textContent(), PATIENT).toContain(HOSTILE[1]);
  await nothingRan(page, 'trash');
});
