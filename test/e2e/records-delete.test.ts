/**
 * Deleting records in Chromium: rows of the selected range deleted by keyboard (Ctrl+Minus),
 * after a confirmation naming the count; the toast's Undo brings them back; another open grid
 * drops and regains them live; the trash lists who deleted what and restores one or the
 * selected; a role without delete sees no way to delete, and the server refuses it too.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, selectedRange, textOf, waitForRows } from '../support/grid.ts';
import { PATIENT, createRecord, createRecords } from '../support/seed.ts';

const app = useApp();
/** Each test's own tenant (its trash holds only what the test put there), its administrator and API. */
let admin: User & { tenant: string };
let api: Awaited<ReturnType<typeof app.apiAs>>;
let page: Page;
let other: Page;

beforeEach(async () => {
  admin = await app.newTenant();
  api = await app.apiAs(admin);
  await createRecords(api, 'companies', ['Alpha', 'Bravo', 'Charlie', 'Delta'].map((name) => ({ name })));
});

/**
 * The grid of the test's administrator, and the same grid in another tab: another person's
 * screen, as far as the grid knows (a tab has a session of its own and follows the changes on its
 * own; the one thing tabs share, the queue of edits made offline, stays empty here).
 */
async function openGrids() {
  [page, other] = await Promise.all([app.page('/companies', { as: admin }), app.page('/companies', { as: admin })]);
}

const names = async (p: Page, count: number) => Promise.all(Array.from({ length: count }, (_, i) => textOf(cellAt(p, i, 'name'))));
const trashNames = async () => ((await api('GET', '/api/companies/trash')).body.items as Array<{ name: string }>).map((r) => r.name).sort();
const toast = (p: Page) => p.getByRole('status', { name: 'Deleted companies' });
const editors = (p: Page) => p.getByRole('textbox', { name: /, editing$/ });

/** Selects the names of rows `from`..`to` with the keyboard and presses Ctrl+Minus. */
async function deleteRowsByKeyboard(from: number, to: number) {
  await clickCell(page, from, 'name');
  for (let y = from; y < to; y++) await page.keyboard.press('Shift+ArrowDown');
  await expect.poll(() => selectedRange(page), PATIENT).toMatchObject({ y: from, y1: to });
  await page.keyboard.press('Control+Minus');
}

describe('deleting records from the grid', () => {
  it('deletes two rows by keyboard after a confirmation, and Undo in the toast brings them back', async () => {
    await openGrids();
    await deleteRowsByKeyboard(1, 2);
    const confirm = page.getByRole('dialog', { name: 'Delete 2 companies?' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(/Bravo.*Charlie.*restored for 30 days/s);
    await screenshot(page, 'delete-confirm');
    // The yes has the focus: Enter confirms.
    await page.keyboard.press('Enter');
    await waitForRows(page, 'Companies', 2);
    expect(await names(page, 2)).toEqual(['Alpha', 'Delta']);
    // The Enter was the dialog's: no cell editor opened behind it (it would have before the rows were drawn again).
    expect(await editors(page).count()).toBe(0);
    await expect.poll(() => toast(page).textContent(), PATIENT).toMatch(/2 companies moved to trash\s*—\s*Undo/);
    expect(await trashNames()).toEqual(['Bravo', 'Charlie']);
    // The other grid drops them live.
    await waitForRows(other, 'Companies', 2);
    await screenshot(page, 'delete-toast');

    await toast(page).getByRole('button', { name: 'Undo' }).click();
    await waitForRows(page, 'Companies', 4);
    expect(await names(page, 4)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
    expect(await trashNames()).toEqual([]);
    await waitForRows(other, 'Companies', 4);
    await expect.poll(() => toast(page).count(), PATIENT).toBe(0);
  });

  it('brings rows back once, in their places, when the feed reads them again while the Undo is answered', async () => {
    page = await app.page('/companies', { as: admin });
    await deleteRowsByKeyboard(1, 2);
    await page.keyboard.press('Enter');
    await waitForRows(page, 'Companies', 2);
    // The order a busy machine makes: the feed reports the restore and asks for the rows again
    // before the Undo's answer has put them back; that answer comes first, the rows' after it.
    let feedAsked!: () => void;
    const feedAsks = new Promise<void>((resolve) => (feedAsked = resolve));
    let rowsBack!: () => void;
    const undoShown = new Promise<void>((resolve) => (rowsBack = resolve));
    const rowReads: Promise<unknown>[] = [];
    await page.route(
      (url) => /^\/api\/companies\/[0-9A-Z]{26}$/.test(url.pathname),
      async (route) => {
        if (route.request().method() !== 'GET') return route.fallback();
        feedAsked();
        await undoShown;
        await route.continue();
      },
    );
    await page.route('**/api/trash/restore', async (route) => {
      const response = await route.fetch();
      await feedAsks;
      await route.fulfill({ response });
    });
    page.on('response', (response) => {
      if (/^\/api\/companies\/[0-9A-Z]{26}$/.test(new URL(response.url()).pathname)) rowReads.push(response.finished());
    });
    await toast(page).getByRole('button', { name: 'Undo' }).click();
    await waitForRows(page, 'Companies', 4);
    expect(await names(page, 4)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
    rowsBack();
    // The feed's reads answered, and its next poll asked (it polls again only once it has taken
    // the last page in): the rows are still there once each, where they were. One read or two:
    // the restore's two changes come in one poll or, on a busy machine, in two, and a row the
    // Undo put back at the change's version is not read again.
    await page.waitForResponse((response) => new URL(response.url()).pathname === '/api/changes', PATIENT);
    expect(rowReads.length).toBeGreaterThan(0);
    await Promise.all(rowReads);
    await waitForRows(page, 'Companies', 4);
    expect(await names(page, 4)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
  });

  it('puts rows back in their places when the feed takes them away before the deletion is answered', async () => {
    page = await app.page('/companies', { as: admin });
    await waitForRows(page, 'Companies', 4);
    // The order a busy machine makes: the feed tells of the deletion while its request is unanswered.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/api/trash', async (route) => {
      const response = await route.fetch();
      await answered;
      await route.fulfill({ response });
    });
    await deleteRowsByKeyboard(1, 2);
    await page.keyboard.press('Enter');
    await waitForRows(page, 'Companies', 2);
    answer();
    await toast(page).getByRole('button', { name: 'Undo' }).click();
    await waitForRows(page, 'Companies', 4);
    expect(await names(page, 4)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
  });

  it('undoes a deletion with Ctrl+Z, deletes again, and Cancel or Esc deletes nothing', async () => {
    page = await app.page('/companies', { as: admin });
    await deleteRowsByKeyboard(0, 0);
    const one = page.getByRole('dialog', { name: 'Delete 1 company?' });
    await one.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => one.count(), PATIENT).toBe(0);
    expect(await trashNames()).toEqual([]);

    // As in a spreadsheet, Ctrl+Z right after the deletion brings the row back.
    await deleteRowsByKeyboard(0, 0);
    await one.waitFor();
    await page.keyboard.press('Enter');
    await waitForRows(page, 'Companies', 3);
    expect(await trashNames()).toEqual(['Alpha']);
    // The keyboard is back in the grid once the dialog has closed.
    await page.waitForFunction(() => !!document.activeElement?.closest('revo-grid'), undefined, { timeout: 10_000 });
    await page.keyboard.press('Control+z');
    await waitForRows(page, 'Companies', 4);
    expect(await names(page, 4)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
    expect(await trashNames()).toEqual([]);

    // Alpha, restored, goes again, with Bravo; its history has each step.
    await deleteRowsByKeyboard(0, 1);
    const two = page.getByRole('dialog', { name: 'Delete 2 companies?' });
    await two.getByRole('button', { name: 'Move to trash' }).click();
    await waitForRows(page, 'Companies', 2);
    expect(await trashNames()).toEqual(['Alpha', 'Bravo']);
    const alpha = (await api('GET', '/api/companies/trash')).body.items.find((r: { name: string }) => r.name === 'Alpha');
    const history = (await api('GET', `/api/companies/${alpha.id}/history`)).body.items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['created', 'deleted', 'restored', 'deleted']);
  });

  it('lists the trash with who deleted and days left, and restores one and the selected', async () => {
    const trashed = ((await api('GET', '/api/companies')).body.items as Array<{ id: string; name: string; version: number }>).filter((c) => ['Bravo', 'Charlie'].includes(c.name));
    const moved = await api('POST', '/api/trash', { items: trashed.map(({ id, version }) => ({ type: 'company', id, version })) });
    expect(moved.body.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok']);
    await openGrids();
    await page.getByRole('link', { name: 'Trash', exact: true }).first().click();
    await page.waitForURL((url) => url.pathname === '/companies/trash');
    const table = page.getByRole('table', { name: 'Companies in the trash' });
    await table.waitFor();
    const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    expect(await row('Bravo').textContent()).toContain(admin.email);
    expect(await row('Bravo').getByRole('cell').nth(3).textContent()).toBe('30');
    await screenshot(page, 'trash-list');

    await row('Bravo').getByRole('button', { name: 'Restore Bravo' }).click();
    await expect.poll(() => row('Bravo').count(), PATIENT).toBe(0);
    await page.getByRole('checkbox', { name: 'Select Charlie' }).check();
    await page.getByRole('button', { name: 'Restore selected (1)' }).click();
    await page.getByText('The trash is empty.').waitFor();
    expect(await trashNames()).toEqual([]);
    // The other grid has them back live.
    await waitForRows(other, 'Companies', 4);

    await page.getByRole('link', { name: 'Back to companies' }).click();
    await page.waitForURL((url) => url.pathname === '/companies');
    await waitForRows(page, 'Companies', 4);
    expect(await names(page, 4)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
  });

  it('undoes the deletion of 20 rows with one restore request', async () => {
    const more = Array.from({ length: 20 }, (_, i) => `Row ${String(i + 1).padStart(2, '0')}`);
    await createRecords(api, 'companies', more.map((name) => ({ name })));
    page = await app.page('/companies', { as: admin });
    await waitForRows(page, 'Companies', 24);
    await deleteRowsByKeyboard(4, 23);
    await page.getByRole('dialog', { name: 'Delete 20 companies?' }).getByRole('button', { name: 'Move to trash' }).click();
    await waitForRows(page, 'Companies', 4);
    expect(await trashNames()).toEqual(more);

    const restores: string[] = [];
    const count = (request: { method(): string; url(): string }) => request.method() === 'POST' && /\/restore(\?|$)/.test(request.url()) && restores.push(new URL(request.url()).pathname);
    page.on('request', count);
    try {
      await toast(page).getByRole('button', { name: 'Undo' }).click();
      await waitForRows(page, 'Companies', 24);
    } finally {
      page.off('request', count);
    }
    expect(restores).toEqual(['/api/trash/restore']);
    expect(await trashNames()).toEqual([]);
    await expect.poll(() => textOf(cellAt(page, 4, 'name')), PATIENT).toBe('Row 01');
  });

  it('shows a role without delete no way to delete, and the server refuses it', async () => {
    const repUser = await app.newUser(['sales-representative'], admin.tenant);
    const repApi = await app.apiAs(repUser);
    const own = await createRecord(repApi, 'companies', { name: 'Rep Co' });
    const rep = await app.page('/companies', { as: repUser });
    // Their scope (their team's companies) decides how many rows they see.
    const seen = (await repApi('GET', '/api/companies')).body.items.length;
    await waitForRows(rep, 'Companies', seen);
    await rep.getByRole('button', { name: 'Add company' }).waitFor();
    expect(await rep.getByRole('button', { name: 'Delete rows' }).count()).toBe(0);
    expect(await rep.getByRole('link', { name: 'Trash', exact: true }).count()).toBe(0);

    // The shortcut does nothing either; Alt+Enter after it opens the card: the keys were handled,
    // and no Delete dialog came of the first.
    await clickCell(rep, 0, 'name');
    await rep.keyboard.press('Control+Minus');
    const first = await textOf(cellAt(rep, 0, 'name'));
    await rep.keyboard.press('Alt+Enter');
    await rep.getByRole('dialog', { name: first }).getByRole('heading', { name: first }).waitFor();
    expect(await rep.getByRole('dialog', { name: /^Delete/ }).count()).toBe(0);
    // The card has no Delete button.
    expect(await rep.getByRole('button', { name: /^Delete this/ }).count()).toBe(0);
    await screenshot(rep, 'delete-role-without');

    // The server is the guard: the single delete is 403, the many answer forbidden per record.
    expect((await repApi('DELETE', `/api/companies/${own.id}?version=1`)).status).toBe(403);
    const many = await repApi('POST', '/api/trash', { items: [{ type: 'company', id: own.id, version: 1 }] });
    expect(many.body.results).toEqual([{ status: 'forbidden', reason: expect.stringContaining('may not delete company records') }]);
    expect((await api('GET', `/api/companies/${own.id}`)).status).toBe(200);
  });
});
