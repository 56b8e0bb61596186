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

/** The cell whose focus the grid has drawn, as the grid says (`data-focused-row`, `data-focused-field`). */
export const focusedCell = (page: Page) =>
  page.locator('revo-grid').evaluate((grid) => {
    const row = grid.getAttribute('data-focused-row');
    return row === null ? null : { row: Number(row), field: grid.getAttribute('data-focused-field') ?? '' };
  });

/**
 * Clicks a cell and waits until the grid has drawn its focus there. Keys typed before the grid
 * has moved its focus are held for it (lib/grid/typing-queue.ts), but a test, like a person,
 * types once it sees where.
 */
export async function clickCell(page: Page, row: number, key: string) {
  await cellAt(page, row, key).click();
  await focusLandsOn(page, row, key);
}

/** Waits until the grid has drawn its focus on the cell of row `row` in the column of field `key`. */
export async function focusLandsOn(page: Page, row: number, key: string) {
  await expect.poll(() => focusedCell(page), { timeout: 15_000 }).toEqual({ row, field: key });
}

/** Every `POST /api/bulk` the page sends from now on, with its body. */
export function recordBulkRequests(page: Page): Array<{ changes: Array<{ id: string; field: string; value: unknown; version: number }>; idempotencyKey?: string }> {
  const seen: Array<{ changes: any[]; idempotencyKey?: string }> = [];
  page.on('request', (request: Request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/bulk') seen.push(request.postDataJSON());
  });
  return seen;
}

/** Waits until the grid has drawn `count` rows (its aria-rowcount counts the header too). */
export async function waitForRows(page: Page, label: string, count: number) {
  await page.waitForFunction(
    ([name, n]) => {
      const grid = document.querySelector(`revo-grid[aria-label="${name}"]`);
      return grid?.getAttribute('aria-rowcount') === String(n + 1) && grid.getAttribute('data-rows-shown') === String(n);
    },
    [label, count] as const,
  );
}

/** The selected range as the grid says it (`data-range`): first and last row, and the fields at its corners. */
export const selectedRange = (page: Page) =>
  page.locator('revo-grid').evaluate((grid) => {
    const range = /^(\d+):(.*)-(\d+):(.*)$/.exec(grid.getAttribute('data-range') ?? '');
    return range ? { y: Number(range[1]), from: range[2], y1: Number(range[3]), to: range[4] } : null;
  });

/** The texts of a column's cells in the record rows, in the order shown (group rows left out). */
export const columnShown = (page: Page, key = 'name') =>
  page.locator(`revo-grid [role=gridcell][data-field="${key}"]:not(.group-cell)`).evaluateAll((cells) =>
    cells
      .map((cell) => [Number(cell.getAttribute('aria-rowindex')), cell.textContent?.trim() ?? ''] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, text]) => text),
  );

/**
 * The texts of a column's cells in the rows the grid labelled `label` counts (its aria-rowcount),
 * in order, read at once: a row not drawn yet reads as null, for a poll to ask again. A locator
 * per cell would wait for a row that is gone (the count read before a filter took rows away)
 * until the page's timeout, 15 s a poll.
 */
export const rowsShown = (page: Page, label: string, key = 'name') =>
  gridOf(page, label).evaluate(
    (grid, field) =>
      Array.from(
        { length: Number(grid.getAttribute('aria-rowcount')) - 1 },
        (_, row) => grid.querySelector(`[role=gridcell][data-field="${field}"][aria-rowindex="${row + 2}"]`)?.textContent?.trim() ?? null,
      ),
    key,
  );

/** The row (0-based, as shown) of the record named `name`, read once the grid says its rows are drawn. */
export async function rowNamed(page: Page, name: string): Promise<number> {
  const row = (await columnShown(page, 'name')).indexOf(name);
  expect(row, `the row of ${name}`).toBeGreaterThanOrEqual(0);
  return row;
}

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
