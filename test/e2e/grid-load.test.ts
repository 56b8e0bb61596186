/**
 * How the grid page loads, in Chromium: `GET /api/me` once for the whole page (shell, grid,
 * toolbar), and RevoGrid's code asked for while the rows are, not after they arrive
 * (lib/grid/preload-grid.ts), each of its files once; the rows arrive and show.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp } from '../support/app.ts';
import { cellAt, textOf } from '../support/grid.ts';
import { createRecord, emptyTypes, PATIENT } from '../support/seed.ts';

const app = useApp();

beforeEach(async () => {
  await emptyTypes(app.api, 'companies');
  await Promise.all(['Acme', 'Globex', 'Initech'].map((name) => createRecord(app.api, 'companies', { name })));
});

/**
 * The companies' grid loaded in a browser of its own (nothing of the app in its cache, so every
 * file is asked for), with every request of the page from its first, in the order the browser
 * sent them, and the paths of the scripts that hold RevoGrid's components.
 */
async function loadFresh() {
  const requests: Array<{ method: string; path: string; query: string }> = [];
  const gridCode = new Set<string>();
  const page: Page = await app.page('/companies', {
    browser: await app.browserOfTest(),
    beforeGoto(tab) {
      tab.on('request', (request) => {
        const url = new URL(request.url());
        requests.push({ method: request.method(), path: url.pathname, query: url.search });
      });
      tab.on('response', async (response) => {
        if (!response.url().endsWith('.js')) return;
        const text = await response.text().catch(() => '');
        // A Stencil entry exports its components by tag: revo_grid, revogr_data, ...
        if (/\bas revo(_grid|gr_data)\b/.test(text)) gridCode.add(new URL(response.url()).pathname);
      });
    },
  });
  return { page, requests, gridCode };
}

describe('the grid page loading', () => {
  it('shows the rows', async () => {
    const page = await app.page('/companies');
    expect(await textOf(cellAt(page, 0, 'name'))).toBe('Acme');
    expect(await textOf(cellAt(page, 2, 'name'))).toBe('Initech');
  });

  it('asks for the signed-in user once', async () => {
    const { page, requests } = await loadFresh();
    await page.getByRole('toolbar', { name: 'View' }).waitFor();
    // The change feed's second poll comes a second after the page started it: every part of the
    // page that wanted the user had asked by then.
    await expect.poll(() => requests.some((r) => r.path === '/api/changes' && r.query.includes('after=')), PATIENT).toBe(true);
    expect(requests.filter((r) => r.path === '/api/me')).toEqual([{ method: 'GET', path: '/api/me', query: '' }]);
  });

  it("asks for RevoGrid's code before the rows, each file once", async () => {
    const { requests, gridCode } = await loadFresh();
    // Read from the responses, which may be taken after the grid has drawn with them.
    await expect.poll(() => gridCode.size, PATIENT).toBe(2);
    const rowsAsked = requests.findIndex((r) => r.method === 'POST' && r.path === '/api/views/company/rows');
    expect(rowsAsked).toBeGreaterThan(-1);
    for (const path of gridCode) {
      expect(requests.filter((r) => r.path === path)).toHaveLength(1);
      expect(requests.findIndex((r) => r.path === path)).toBeLessThan(rowsAsked);
    }
  });
});
