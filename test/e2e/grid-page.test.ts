/**
 * The page around the grid in Chromium, as a person meets it (issue 13, minor): the count in the
 * header says what the grid shows; a new custom column is brought into view with the focus on it;
 * Tab from the toolbar reaches the grid in one step, with no unnamed tab stops in between; and at
 * 1280x720 (VIEWPORT) the grid takes the window's height.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { focusLandsOn, focusedCell, gridOf, headerOf, waitForRows } from '../support/grid.ts';
import { emptyTypes, importRows, PATIENT, recordNamed } from '../support/seed.ts';

const app = useApp();
let page: Page;
const ROWS = 60;
const nameOf = (i: number) => `Company ${String(i).padStart(2, '0')}`;

beforeEach(async () => {
  await emptyTypes(app.api, 'companies');
  // Every tenth an "Acme": a search for it leaves 6 of 60.
  await importRows(app.api, 'companies', Array.from({ length: ROWS }, (_, i) => ({ Name: i % 10 === 0 ? `Acme ${nameOf(i)}` : nameOf(i), Size: i })));
  page = await app.page('/companies');
});

const subtitle = () => page.locator('main .subtitle').textContent().then((text) => text?.replace(/\s+/g, ' ').trim());

/** The tab stops of the page from its top, in order, as Tab reaches them, up to the first in the grid (at most `limit`). */
async function tabStops(limit: number) {
  const stops: Array<{ tag: string; role: string | null; name: string; inGrid: boolean }> = [];
  await page.locator('body').focus();
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    stops.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const labelled = el.getAttribute('aria-labelledby');
        const name =
          el.getAttribute('aria-label') ??
          (labelled ? document.getElementById(labelled)?.textContent : null) ??
          ((el as HTMLInputElement).labels?.[0]?.textContent || el.getAttribute('placeholder') || el.getAttribute('title') || el.textContent || '');
        return { tag: el.tagName.toLowerCase(), role: el.getAttribute('role'), name: name.replace(/\s+/g, ' ').trim(), inGrid: !!el.closest('.grid-frame') };
      }),
    );
    if (stops.at(-1)?.inGrid) break;
  }
  return stops;
}

describe('the page around the grid in Chromium', () => {
  it('counts what the grid shows: "6 of 60 companies" while a search leaves 6', async () => {
    await expect.poll(subtitle, PATIENT).toBe(`${ROWS} companies`);
    await page.getByLabel('Search this view').fill('acme');
    await waitForRows(page, 'Companies', 6);
    await expect.poll(subtitle).toBe(`6 of ${ROWS} companies`);
    await screenshot(page, 'grid-page-count-filtered');
    await page.getByLabel('Search this view').fill('');
    await waitForRows(page, 'Companies', ROWS);
    await expect.poll(subtitle).toBe(`${ROWS} companies`);
  });

  it('brings a new custom column into view with the focus on its first cell, and says where it went', async () => {
    const dialog = page.getByRole('dialog', { name: 'Add a field to companies' });
    await page.getByRole('button', { name: 'Add a field (a new column)' }).click();
    await dialog.getByLabel('Label').fill('Account code');
    await dialog.getByRole('button', { name: 'Add field' }).click();
    await expect.poll(() => dialog.count(), PATIENT).toBe(0);

    // Its header within the grid's box, not scrolled off to the right.
    const header = headerOf(page, 'cf_account_code');
    await focusLandsOn(page, 0, 'cf_account_code');
    const grid = (await gridOf(page, 'Companies').boundingBox())!;
    const box = (await header.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(grid.x);
    expect(box.x + box.width).toBeLessThanOrEqual(grid.x + grid.width);
    await expect.poll(() => page.getByTestId('cell-message').textContent()).toMatch(/Account code:\s*added as the last column/);
    await screenshot(page, 'grid-page-new-column');

    // Typing goes into it at once.
    await page.keyboard.type('AC-7');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await recordNamed(app.api, 'companies', `Acme ${nameOf(0)}`))?.cf_account_code, PATIENT).toBe('AC-7');
  });

  it('reaches the grid with one Tab from the toolbar, through named stops only, and works in it from there', async () => {
    const stops = await tabStops(30);
    const grid = stops.findIndex((stop) => stop.inGrid);
    expect(grid).toBeGreaterThan(0);
    // The one before is the toolbar's last control; every stop up to the grid has a name (no unnamed container).
    expect(stops[grid - 1]).toMatchObject({ name: 'Add a filter', inGrid: false });
    expect(stops.slice(0, grid).filter((stop) => !stop.name)).toEqual([]);
    // Tabbed into (the grid, then its first cell), the grid has a cell to work from: arrows move from there.
    expect(['grid', 'gridcell']).toContain(stops[grid].role);
    await focusLandsOn(page, 0, 'name');
    await page.keyboard.press('ArrowDown');
    await focusLandsOn(page, 1, 'name');
    // Nothing in the grid's frame takes a Tab stop of its own (RevoGrid's attribution link did): only the grid.
    const stopsInFrame = await page.locator('.grid-frame').evaluate((frame) =>
      [...frame.querySelectorAll('*')].filter((el) => (el as HTMLElement).tabIndex >= 0).map((el) => el.getAttribute('role') ?? el.tagName.toLowerCase()),
    );
    expect(stopsInFrame).toEqual(['grid']);
  });

  it('fills the window at 1280x720: at least 12 rows shown whole, and nothing below the page to scroll to', async () => {
    expect(page.viewportSize()).toEqual({ width: 1280, height: 720 });
    const shown = () =>
      page.evaluate(() => {
        const grid = document.querySelector('revo-grid')!.getBoundingClientRect();
        const whole = [...document.querySelectorAll('revo-grid [role=gridcell][data-field=name]')].filter((cell) => {
          const box = cell.getBoundingClientRect();
          return box.top >= grid.top && box.bottom <= grid.bottom && box.height > 0;
        });
        return { rows: whole.length, pageHeight: document.documentElement.scrollHeight, window: innerHeight };
      });
    // Polled: RevoGrid lays its rows out over a few frames after it has drawn them.
    await expect.poll(async () => (await shown()).rows, PATIENT).toBeGreaterThanOrEqual(12);
    await screenshot(page, 'grid-page-1280x720');
    const { pageHeight, window } = await shown();
    expect(pageHeight).toBeLessThanOrEqual(window);
  });
});
