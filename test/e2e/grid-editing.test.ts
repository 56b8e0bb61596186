/**
 * The grid in Chromium: editing from the keyboard (type, Enter, Tab, Esc), a refused value on
 * its cell, moving around (arrows, Home/End, Ctrl+arrows, PageDown), clearing a range with
 * Delete as one bulk request, and the ARIA grid with its counts. Every save is checked on the
 * server, not only on the screen.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, focusLandsOn, focusedCell, gridOf, headerOf, onSlowPage, recordBulkRequests, selectedRange, textOf } from '../support/grid.ts';
import { emptyTypes, importRows, recordNamed, recordsOf } from '../support/seed.ts';

const app = useApp();
let page: Page;
const ROWS = 60;
/** Names sort as they are numbered (the default view sorts by name). */
const nameOf = (i: number) => `Company ${String(i).padStart(2, '0')}`;
/** The custom dropdown field every company has (created once: the columns stay the same for every test). */
let relationshipKey = '';

beforeAll(async () => {
  const created = await app.api('POST', '/api/fields/company', { label: 'Relationship', type: 'single_select', options: ['Competitor', 'Customer', 'Partner'] });
  expect(created.status).toBe(201);
  relationshipKey = created.body.key;
});

beforeEach(async () => {
  await emptyTypes(app.api, 'companies');
  await importRows(app.api, 'companies', Array.from({ length: ROWS }, (_, i) => ({ Name: nameOf(i), Size: i })));
  page = await app.page('/companies');
});

type Company = { name: string; domain?: string; industry?: string; size?: number };

const companyNamed = (name: string) => recordNamed(app.api, 'companies', name);
const companies = async () => (await recordsOf(app.api, 'companies')) as unknown as Company[];

describe('grid editing in Chromium', () => {
  it('is an ARIA grid with the row and column counts of the view', async () => {
    const grid = gridOf(page, 'Companies');
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(ROWS + 1));
    // Eight columns by default and the custom field; those scrolled out of sight are not rendered (virtual columns).
    expect(await grid.getAttribute('aria-colcount')).toBe('9');
    const headers = page.locator('revo-grid [role=columnheader]');
    await expect.poll(() => headers.allTextContents()).toEqual(expect.arrayContaining(['Name', 'Domain', 'Industry', 'Size']));
    expect(await headers.first().getAttribute('aria-colindex')).toBe('1');
    expect(await textOf(cellAt(page, 0, 'name'))).toBe(nameOf(0));
    await screenshot(page, 'grid-editing-loaded');
  });

  it('saves typed text on Enter, moves on Tab, and forgets it on Esc', async () => {
    await clickCell(page, 1, 'industry');
    await page.keyboard.type('Energy');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await companyNamed(nameOf(1)))?.industry).toBe('Energy');
    expect(await textOf(cellAt(page, 1, 'industry'))).toBe('Energy');

    // Type-to-edit, then Esc: nothing is sent and the cell shows what it had.
    const bulk = recordBulkRequests(page);
    await clickCell(page, 2, 'industry');
    await page.keyboard.type('Mining');
    await page.keyboard.press('Escape');
    expect(await textOf(cellAt(page, 2, 'industry'))).toBe('');

    // Tab saves and moves right, where typing edits the next cell.
    await clickCell(page, 3, 'domain');
    await page.keyboard.type('three.example');
    await page.keyboard.press('Tab');
    await focusLandsOn(page, 3, 'industry');
    await expect.poll(async () => (await companyNamed(nameOf(3)))?.domain).toBe('three.example');
    await page.keyboard.type('Retail');
    await page.keyboard.press('Enter');
    await expect.poll(async () => {
      const company = await companyNamed(nameOf(3));
      return [company?.domain, company?.industry];
    }).toEqual(['three.example', 'Retail']);
    expect(bulk.flatMap((b) => b.changes.map((c) => c.field))).toEqual(['domain', 'industry']);
  });

  it('keeps every key of a row typed with Tab and Enter between cells and no wait, on a slow page', async () => {
    // The keys come while the grid is still moving its focus and opening or closing editors
    // (RevoGrid moves ~70 ms after a key).
    const before = new Map((await companies()).map((c) => [c.name, c]));
    const bulk = recordBulkRequests(page);
    await onSlowPage(page, async () => {
      await clickCell(page, 5, 'domain');
      await page.keyboard.type('five.example');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Retail');
      await page.keyboard.press('Tab');
      await page.keyboard.type('500');
      // Enter saves and moves down; typing edits the cell below.
      await page.keyboard.press('Enter');
      await page.keyboard.type('7');
      // Two quick Enters: the first saves and moves down, the second opens that cell with its value.
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await page.keyboard.type('1');
      await page.keyboard.press('Enter');
      const expected = {
        [nameOf(5)]: { domain: 'five.example', industry: 'Retail', size: 500 },
        [nameOf(6)]: { size: 7 },
        [nameOf(7)]: { size: 71 },
      };
      await expect.poll(async () => {
        const after = await companies();
        // Every company as it was, but for the cells typed into: nothing landed elsewhere.
        return after.filter((c) => JSON.stringify(c) !== JSON.stringify(before.get(c.name))).map((c) => ({ name: c.name, domain: c.domain, industry: c.industry, size: c.size }))
          .sort((a, b) => a.name.localeCompare(b.name));
      }).toEqual(Object.entries(expected).map(([name, values]) => ({ name, domain: undefined, industry: undefined, ...values })));
      // Each cell sent once, in the order typed (the page's request events may trail the server).
      await expect.poll(() => bulk.flatMap((b) => b.changes.map((c) => `${c.field}=${c.value}`))).toEqual(['domain=five.example', 'industry=Retail', 'size=500', 'size=7', 'size=71']);
      await focusLandsOn(page, 8, 'size');
    });
  });

  it('clears the whole range when Delete comes right after the Shift+arrows that made it, on a slow page', async () => {
    // RevoGrid extends the range ~70 ms after a Shift+arrow, and then one Shift+arrow every two
    // frames: a Delete straight after eight of them (Shift+Down held, the key repeating) must
    // wait for all eight.
    const bulk = recordBulkRequests(page);
    const rows = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    await onSlowPage(page, async () => {
      await clickCell(page, 1, 'size');
      await page.keyboard.down('Shift');
      await Promise.all(Array.from({ length: 8 }, () => page.keyboard.press('ArrowDown')));
      await page.keyboard.up('Shift');
      await page.keyboard.press('Delete');
      await expect.poll(async () => {
        const byName = new Map((await companies()).map((c) => [c.name, c]));
        return [0, ...rows, 10].map((row) => byName.get(nameOf(row))?.size ?? null);
      }).toEqual([0, ...rows.map(() => null), 10]);
      await expect.poll(() => bulk.flatMap((b) => b.changes.map((c) => `${c.field}=${c.value}`))).toEqual(rows.map(() => 'size=null'));
      expect(bulk).toHaveLength(1);
    });
  });

  it('shows why a value is refused on the cell and keeps the typed input', async () => {
    const domain = cellAt(page, 4, 'domain');
    await clickCell(page, 4, 'domain');
    await page.keyboard.type('not a domain');
    await page.keyboard.press('Enter');
    await expect.poll(() => domain.getAttribute('aria-invalid')).toBe('true');
    expect(await domain.getAttribute('aria-description')).toMatch(/domain/i);
    expect(await textOf(domain)).toContain('not a domain');
    // Back on the cell, the reason is spelled out under the grid.
    await clickCell(page, 4, 'domain');
    await expect.poll(() => page.getByTestId('cell-message').textContent()).toMatch(/Domain:.*domain/);
    await screenshot(page, 'grid-editing-invalid');
    expect((await companyNamed(nameOf(4)))?.domain).toBeUndefined();

    // Opening the cell again offers the typed input to correct, not an empty box.
    await page.keyboard.press('Enter');
    const editor = page.getByRole('textbox', { name: 'Domain, editing' });
    expect(await editor.inputValue()).toBe('not a domain');
    await editor.fill('four.example');
    await editor.press('Enter');
    await expect.poll(async () => (await companyNamed(nameOf(4)))?.domain).toBe('four.example');
    await expect.poll(() => domain.getAttribute('aria-invalid')).toBeNull();
  });

  it('moves with arrows, Home/End, Ctrl+arrows and PageDown', async () => {
    await clickCell(page, 0, 'name');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await focusLandsOn(page, 1, 'domain');
    await page.keyboard.press('End');
    // The last column (scrolled into view): the custom field, the ninth.
    expect(await gridOf(page, 'Companies').getAttribute('aria-colcount')).toBe('9');
    await focusLandsOn(page, 1, relationshipKey);
    expect(await headerOf(page, relationshipKey).getAttribute('aria-colindex')).toBe('9');
    await page.keyboard.press('Home');
    await focusLandsOn(page, 1, 'name');
    await page.keyboard.press('Control+ArrowDown');
    await focusLandsOn(page, ROWS - 1, 'name');
    await page.keyboard.press('Control+Home');
    await focusLandsOn(page, 0, 'name');
    await page.keyboard.press('PageDown');
    await expect.poll(async () => (await focusedCell(page))?.row).toBeGreaterThan(5);
    expect((await focusedCell(page))?.field).toBe('name');
    await page.keyboard.press('PageUp');
    await focusLandsOn(page, 0, 'name');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await focusLandsOn(page, 0, 'domain');
  });

  it('clears a selected range with Delete in one bulk request', async () => {
    const bulk = recordBulkRequests(page);
    await clickCell(page, 10, 'size');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => selectedRange(page)).toMatchObject({ y: 10, y1: 12 });
    await page.keyboard.press('Delete');
    await expect.poll(async () => Promise.all([10, 11, 12].map(async (i) => (await companyNamed(nameOf(i)))?.size ?? null))).toEqual([null, null, null]);
    expect(bulk).toHaveLength(1);
    expect(bulk[0].changes.map((c) => c.value)).toEqual([null, null, null]);
    expect(bulk[0].idempotencyKey).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect(await textOf(cellAt(page, 11, 'size'))).toBe('');
  });

  it('puts what is typed into every cell of the selection with Ctrl+Enter, in one request and one undo step', async () => {
    const bulk = recordBulkRequests(page);
    await clickCell(page, 4, 'industry');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => selectedRange(page)).toMatchObject({ y: 4, y1: 6 });
    await page.keyboard.type('Mining');
    await page.keyboard.press('Control+Enter');
    const industries = () => Promise.all([3, 4, 5, 6, 7].map(async (i) => (await companyNamed(nameOf(i)))?.industry ?? null));
    await expect.poll(industries).toEqual([null, 'Mining', 'Mining', 'Mining', null]);
    expect(bulk).toHaveLength(1);
    expect(bulk[0].changes.map((c) => `${c.field}=${c.value}`)).toEqual(['industry=Mining', 'industry=Mining', 'industry=Mining']);
    await expect.poll(() => textOf(cellAt(page, 6, 'industry'))).toBe('Mining');
    await page.keyboard.press('Control+z');
    await expect.poll(industries).toEqual([null, null, null, null, null]);
    // Without a range, Ctrl+Enter saves the one cell, as Enter does.
    await clickCell(page, 3, 'industry');
    await page.keyboard.type('Water');
    await page.keyboard.press('Control+Enter');
    await expect.poll(async () => (await companyNamed(nameOf(3)))?.industry).toBe('Water');
  });

  it('chooses a dropdown\'s option by type-ahead typed right after the Enter that opens it, on a slow page, and by type-ahead at it', async () => {
    const key = relationshipKey;
    const relationship = async (i: number) => (await companyNamed(nameOf(i)))?.[key] ?? null;
    const dropdown = page.getByRole('combobox', { name: 'Relationship, editing' });

    // Enter opens the dropdown a frame or two later: "Cu" typed before that picks Customer (not
    // Competitor, the first C), and the Enter after it saves.
    await clickCell(page, 2, 'name');
    await page.keyboard.press('End');
    await focusLandsOn(page, 2, key);
    await onSlowPage(page, async () => {
      await page.keyboard.press('Enter');
      await page.keyboard.type('Cu');
      await page.keyboard.press('Enter');
      await expect.poll(() => relationship(2), { timeout: 15_000 }).toBe('Customer');
    });
    await expect.poll(() => textOf(cellAt(page, 2, key))).toBe('Customer');
    expect(await dropdown.count()).toBe(0);

    // Typed at the open dropdown, the type-ahead chooses and Enter saves (a key's change does not save the first letter's option).
    const bulk = recordBulkRequests(page);
    await clickCell(page, 3, key);
    await page.keyboard.press('Enter');
    await dropdown.waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'SELECT');
    await page.keyboard.type('Cu');
    // The keys may still be held for the Enter (the grid settling): they land a moment later.
    await expect.poll(() => dropdown.inputValue()).toBe('Customer');
    await screenshot(page, 'grid-editing-select-type-ahead');
    expect(await relationship(3)).toBeNull();
    await page.keyboard.press('Enter');
    await expect.poll(() => relationship(3)).toBe('Customer');
    // The Enter's save the only one: none for the option of the first letter (Competitor) before it.
    await expect.poll(() => bulk.flatMap((b) => b.changes.map((c) => c.value))).toEqual(['Customer']);
  });
});
