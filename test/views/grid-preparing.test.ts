/**
 * The grid over a type whose records the server is still preparing (no stored snapshot, more
 * records than a request reads: functions/views/snapshot-build.ts): the page says so with how
 * many are read, and shows the rows once they are ready, asking again by itself.
 * The limits are made small (a request reads at most 3 records, a build step 1: the build of
 * 8 records takes 9 stream rounds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, startApp, type TestApp } from '../support/app.ts';
import { cellAt, textOf, waitForRows } from '../support/grid.ts';

process.env.SNAPSHOT_INLINE_RECORDS = '3';
process.env.SNAPSHOT_BUILD_STEP_RECORDS = '1';

let app: TestApp;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
  delete process.env.SNAPSHOT_INLINE_RECORDS;
  delete process.env.SNAPSHOT_BUILD_STEP_RECORDS;
});

describe('a grid whose records are being prepared', () => {
  it('says so, then shows every row without a reload', async () => {
    const page = await app.openSignedIn('/deals/board');
    const api = await apiOf(page, app.cloud.url);
    for (const name of ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka']) {
      expect((await api('POST', '/api/companies', { name })).status).toBe(201);
    }
    const seen: string[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/api/views/company/rows')) seen.push(String(response.status()));
    });
    const preparing = page.waitForResponse((response) => response.url().includes('/api/views/company/rows') && response.status() === 202);
    await page.goto(new URL('/companies', page.url()).href);
    await preparing;
    // Checked in the page every frame: the state lasts until the next ask, a second later.
    await page.waitForFunction(
      () => /Preparing records… \d+ read/.test(document.querySelector('main')?.textContent ?? '') && document.querySelector('[role="progressbar"][aria-label="Preparing records"]') !== null,
      undefined,
      { polling: 'raf' },
    );
    await waitForRows(page, 'Companies', 8);
    expect(await textOf(cellAt(page, 0, 'name'))).toBe('Acme');
    await expect.poll(() => page.getByText('8 companies').count()).toBe(1);
    expect(seen[0]).toBe('202');
    expect(seen.at(-1)).toBe('200');
    await page.close();
  });
});
