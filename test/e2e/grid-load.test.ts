/**
 * How the grid page loads, in Chromium: `GET /api/me` once for the whole page (shell, grid,
 * toolbar), and RevoGrid's code asked for while the rows are, not after they arrive
 * (lib/grid/preload-grid.ts), each of its files once; the rows arrive and show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiOf, screenshotFailures, signIn, startApp, type TestApp } from '../support/app.ts';
import { cellAt, textOf, waitForRows } from '../support/grid.ts';
import { createRecord } from '../support/seed.ts';

let app: TestApp;
let page: Page;
/** Every request of the page from its first, in the order the browser sent them. */
const requests: Array<{ method: string; path: string }> = [];
/** Paths of the scripts that hold RevoGrid's components. */
const gridCode = new Set<string>();

beforeAll(async () => {
  app = await startApp();
  const first = await app.openSignedIn('/companies');
  const api = await apiOf(first, app.cloud.url);
  for (const name of ['Acme', 'Globex', 'Initech']) await createRecord(api, 'companies', { name });

  // A browser of its own: nothing of the app in its cache, so every file is asked for.
  page = await (await app.newBrowser()).newPage();
  page.on('request', (request) => requests.push({ method: request.method(), path: new URL(request.url()).pathname }));
  page.on('response', async (response) => {
    if (!response.url().endsWith('.js')) return;
    const text = await response.text().catch(() => '');
    // A Stencil entry exports its components by tag: revo_grid, revogr_data, ...
    if (/\bas revo(_grid|gr_data)\b/.test(text)) gridCode.add(new URL(response.url()).pathname);
  });
  await page.goto(`${app.cloud.url}/companies`);
  await signIn(page, app.admin.email, app.admin.password);
  await waitForRows(page, 'Companies', 3);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

screenshotFailures(() => (page ? [page] : []));

describe('the grid page loading', () => {
  it('shows the rows', async () => {
    expect(await textOf(cellAt(page, 0, 'name'))).toBe('Acme');
    expect(await textOf(cellAt(page, 2, 'name'))).toBe('Initech');
  });

  it('asks for the signed-in user once', async () => {
    // The toolbar is there, so every part that wants the user has asked by now.
    await page.getByRole('toolbar', { name: 'View' }).waitFor();
    expect(requests.filter((r) => r.path === '/api/me')).toEqual([{ method: 'GET', path: '/api/me' }]);
  });

  it("asks for RevoGrid's code before the rows, each file once", async () => {
    expect(gridCode.size).toBe(2);
    const rowsAsked = requests.findIndex((r) => r.method === 'POST' && r.path === '/api/views/company/rows');
    expect(rowsAsked).toBeGreaterThan(-1);
    for (const path of gridCode) {
      expect(requests.filter((r) => r.path === path)).toHaveLength(1);
      expect(requests.findIndex((r) => r.path === path)).toBeLessThan(rowsAsked);
    }
  });
});
