/**
 * Reading and driving the record grid (RevoGrid) in browser tests: cells by row and field,
 * the focused cell, and the bulk requests a page sends.
 */
import { expect } from 'vitest';
import type { Locator, Page, Request } from 'playwright-core';

export const gridOf = (page: Page, label: string) => page.getByRole('grid', { name: label });

/** The cell of row `row` (0-based, as shown) in the column of field `key`. */
export const cellAt = (page: Page, row: number, key: string): Locator =>
  page.locator(`revo-grid [role=gridcell][data-field="${key}"][aria-rowindex="${row + 2}"]`);

export const textOf = async (locator: Locator) => (await locator.textContent())?.trim() ?? '';

/** The focused cell as RevoGrid knows it: column and row positions. */
export const focusedCell = (page: Page) =>
  page.locator('revo-grid').evaluate(async (grid: any) => {
    const focused = await grid.getFocused();
    return focused ? { x: focused.cell.x as number, y: focused.cell.y as number } : null;
  });

/**
 * Clicks a cell and waits until RevoGrid has moved its focus there. RevoGrid moves the focus
 * asynchronously after a click; keys pressed before it lands go to the cell focused before, so a
 * test (like a person) types once the cell is focused.
 */
export async function clickCell(page: Page, row: number, key: string) {
  await cellAt(page, row, key).click();
  await focusLandsOn(page, row, key);
}

/** Waits until RevoGrid's focus is on the cell of row `row` in the column of field `key`. */
export async function focusLandsOn(page: Page, row: number, key: string) {
  // Polled from here: RevoGrid's getFocused answers a promise, and waitForFunction takes a
  // promise for a truthy answer, so it did not wait at all.
  await expect.poll(() => focusedField(page), { timeout: 10_000, interval: 20 }).toEqual({ y: row, key });
}

/** The focused cell as row position and field key. */
const focusedField = (page: Page) =>
  page.locator('revo-grid').evaluate(async (grid: any) => {
    const focused = await grid.getFocused();
    return focused ? { y: focused.cell.y as number, key: (focused.column?.field?.key ?? null) as string | null } : null;
  });

/** Every `POST /api/bulk` the page sends from now on, with its body. */
export function recordBulkRequests(page: Page): Array<{ changes: Array<{ id: string; field: string; value: unknown; version: number }>; idempotencyKey?: string }> {
  const seen: Array<{ changes: any[]; idempotencyKey?: string }> = [];
  page.on('request', (request: Request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/bulk') seen.push(request.postDataJSON());
  });
  return seen;
}

/** Waits until the grid shows `count` rows (its aria-rowcount counts the header too). */
export async function waitForRows(page: Page, label: string, count: number) {
  await page.waitForFunction(
    ([name, n]) => document.querySelector(`revo-grid[aria-label="${name}"]`)?.getAttribute('aria-rowcount') === String(n + 1),
    [label, count] as const,
  );
}

/** The selected range (positions), or null. */
export const selectedRange = (page: Page) =>
  page.locator('revo-grid').evaluate(async (grid: any) => {
    const range = await grid.getSelectedRange();
    return range ? { x: range.x as number, y: range.y as number, x1: range.x1 as number, y1: range.y1 as number } : null;
  });

/** The texts of a column's cells in the record rows, in the order shown (group rows left out). */
export const columnShown = (page: Page, key = 'name') =>
  page.locator(`revo-grid [role=gridcell][data-field="${key}"]:not(.group-cell)`).evaluateAll((cells) =>
    cells
      .map((cell) => [Number(cell.getAttribute('aria-rowindex')), cell.textContent?.trim() ?? ''] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, text]) => text),
  );

/** The column header of field `key`. */
export const headerOf = (page: Page, key: string): Locator => page.locator(`revo-grid [role=columnheader][data-field="${key}"]`);

/**
 * The grid's group header rows as drawn (lib/views/group-rows.ts): each one's position, its first
 * cell's text, whether it is expanded, and the text of its cells of `fields` (their sums).
 */
export const groupRowsOf = (page: Page, fields: string[] = []) =>
  page.locator('revo-grid [data-group-toggle]').evaluateAll(
    (cells, keys) =>
      cells
        .map((cell) => {
          const index = cell.getAttribute('aria-rowindex');
          const text = (key: string) => document.querySelector(`revo-grid [role=gridcell][data-field="${key}"][aria-rowindex="${index}"]`)?.textContent?.trim() ?? '';
          return { row: Number(index) - 2, label: cell.textContent?.trim() ?? '', expanded: cell.getAttribute('aria-expanded') === 'true', sums: Object.fromEntries(keys.map((key) => [key, text(key)])) };
        })
        .sort((a, b) => a.row - b.row),
    fields,
  );

/**
 * Runs `run` with the page's CPU four times slower, as on a loaded machine: keys then come while
 * the grid is still moving its focus, extending a range, or opening and closing editors.
 */
export async function onSlowPage<T>(page: Page, run: () => Promise<T>): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  try {
    return await run();
  } finally {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
  }
}

/**
 * Selects the text of the editor box labelled `label` the moment it appears (focus, select all),
 * as Playwright's fill('') does before its Delete, and as a quick person does: before the editor
 * has finished opening.
 */
export const selectTextOnceShown = (page: Page, label: string) =>
  page.evaluate((name) => {
    const seen = new MutationObserver(() => {
      const box = document.querySelector(`input[aria-label="${CSS.escape(name)}"]`);
      if (!(box instanceof HTMLInputElement)) return;
      seen.disconnect();
      box.focus();
      box.select();
    });
    seen.observe(document.body, { subtree: true, childList: true });
  }, label);

/**
 * A click on a cell and Alt+Enter at once, as a quick person: Alt held, the click and the Enter
 * sent together, so the key reaches the page before the grid has drawn the cell's focus.
 */
export async function clickWithAltEnter(page: Page, row: number, key: string) {
  const box = (await cellAt(page, row, key).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // The page busy for a moment after the press (a loaded machine): the release and the key wait
  // for it, and come before the grid's next frame.
  await page.evaluate(() =>
    window.addEventListener(
      'mousedown',
      () => {
        const until = performance.now() + 50;
        while (performance.now() < until);
      },
      { once: true },
    ),
  );
  await page.keyboard.down('Alt');
  try {
    await Promise.all([page.mouse.down(), page.mouse.up(), page.keyboard.press('Enter')]);
  } finally {
    await page.keyboard.up('Alt');
  }
}
