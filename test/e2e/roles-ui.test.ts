/**
 * The UI hides what the signed-in user's role cannot do (the server is the guard; this is the
 * convenience): a sales representative sees no Import, Export or + Field, and a deal's
 * probability (read-only for the role) is not editable and says why; products (read only) have
 * no Add and no editable cell. An administrator sees all of it and the Admin link, and so does
 * a custom role that administers; one that only reads deals cannot move them on the board.
 * Alt+Enter opens the focused row's record card.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, focusLandsOn, recordBulkRequests, textOf, waitForRows } from '../support/grid.ts';
import { createRecord, emptyTypes, PATIENT } from '../support/seed.ts';

const app = useApp();
const repUser: User = { email: 'rep@demo.example', password: 'a rep password' };
let rep: Page;

beforeAll(async () => {
  await app.cloud.identity.createUser({ ...repUser, tenant: 'demo', groups: ['sales-representative'] });
});

/** A product (the role only reads them) and the representative's own deal (their scope; probability is not theirs to set). */
beforeEach(async () => {
  await emptyTypes(app.api, 'deals', 'products');
  expect((await app.api('POST', '/api/products', { name: 'Widget' })).status).toBe(201);
  await createRecord(await app.apiAs(repUser), 'deals', { name: 'Rep deal' });
});

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

describe('what the role allows, in the UI', () => {
  it('shows a sales representative no Import, Export, + Field or Admin, but Add', async () => {
    // Ready: the role is known, and what it allows shown.
    rep = await app.page('/deals', { as: repUser });
    await button(rep, 'Add deal').waitFor();
    expect(await button(rep, 'Import').count()).toBe(0);
    expect(await button(rep, 'Export').count()).toBe(0);
    expect(await button(rep, 'Add a field (a new column)').count()).toBe(0);
    expect(await rep.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });

  it('keeps a read-only field from being edited, and says why', async () => {
    rep = await app.page('/deals', { as: repUser });
    const probability = cellAt(rep, 0, 'probability');
    expect(await probability.getAttribute('aria-description')).toBe('Sales representative may read this field but not change it');
    expect(await probability.getAttribute('class')).toContain('cell-readonly');
    const bulk = recordBulkRequests(rep);
    await clickCell(rep, 0, 'probability');
    await rep.keyboard.type('90');
    await rep.keyboard.press('Enter');
    await expect.poll(() => rep.getByTestId('cell-message').textContent(), PATIENT).toContain('may read this field but not change it');
    // Then an edit the role may make, in the cell on the left: keys act in the order typed and
    // edits are sent in order, so once its request is out, one of the keys before would be too.
    await rep.keyboard.press('Shift+Tab');
    await rep.keyboard.press('Shift+Tab');
    await rep.keyboard.press('Shift+Tab');
    await rep.keyboard.press('Shift+Tab');
    await focusLandsOn(rep, 0, 'name');
    await rep.keyboard.type('Rep deal 2');
    await rep.keyboard.press('Enter');
    await expect.poll(() => bulk.length, PATIENT).toBeGreaterThan(0);
    expect(bulk.map((request) => request.changes.map((change) => `${change.field}=${change.value}`))).toEqual([['name=Rep deal 2']]);
    expect(await rep.getByRole('textbox', { name: 'Probability, editing' }).count()).toBe(0);
    expect(await textOf(probability)).toBe('');
    await screenshot(rep, 'roles-ui-rep-deals');
  });

  it('opens the focused row’s record card with Alt+Enter, the field read-only there too', async () => {
    rep = await app.page('/deals', { as: repUser });
    await clickCell(rep, 0, 'name');
    await rep.keyboard.press('Alt+Enter');
    const card = rep.getByRole('dialog');
    await card.getByRole('heading', { name: 'Rep deal' }).waitFor();
    const probability = card.locator('output#card-field-probability');
    await probability.waitFor();
    expect(await probability.getAttribute('title')).toBe('Sales representative may read this field but not change it');
    expect(await card.locator('input#card-field-name').count()).toBe(1);
    await screenshot(rep, 'roles-ui-rep-card');
    await rep.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
  });

  it('gives a type the role only reads no Add and no editable cell', async () => {
    rep = await app.page('/deals', { as: repUser });
    await rep.getByRole('link', { name: 'Products' }).click();
    await waitForRows(rep, 'Products', 1);
    expect(await cellAt(rep, 0, 'name').getAttribute('aria-description')).toBe('Sales representative may not change product records');
    expect(await button(rep, 'Add product').count()).toBe(0);
  });

  it('shows an administrator Import, Export, + Field, Add and the Admin link', async () => {
    const admin = await app.page('/deals');
    await waitForRows(admin, 'Deals', 1);
    expect(await cellAt(admin, 0, 'probability').getAttribute('aria-description')).toBeNull();
    for (const name of ['Import', 'Export', 'Add a field (a new column)', 'Add deal']) await button(admin, name).waitFor();
    await admin.getByRole('link', { name: 'Admin' }).waitFor();
    await screenshot(admin, 'roles-ui-admin-deals');
  });

  it('shows the Admin link to a custom role that administers; without update, deals do not move on the board', async () => {
    // A representative of their own, with their own deal: their role changes here.
    const auditor = await app.newUser(['sales-representative']);
    await createRecord(await app.apiAs(auditor), 'deals', { name: 'Auditor deal' });
    const role = await app.api('POST', '/api/roles', { name: 'Deal auditor', administer: true, types: { deal: { actions: ['read'], scope: 'all', readOnlyFields: [] } } });
    expect(role.status).toBe(201);
    const users = (await app.api('GET', '/api/users')).body.items as Array<{ sub: string; email: string; version: number }>;
    const user = users.find((u) => u.email === auditor.email)!;
    expect((await app.api('PATCH', `/api/users/${user.sub}`, { version: user.version, fields: { role: role.body.id } })).status).toBe(200);
    // The role counts at the next request; the page reads GET /api/me when loaded.
    const page = await app.page('/deals/board', { as: auditor });
    await page.getByRole('link', { name: 'Admin' }).waitFor();
    await page.getByTestId('board-locked').waitFor();
    expect(await page.getByTestId('board-locked').textContent()).toContain('Deal auditor may not change deal records');
    // The board is drawn (its deals shown), without a way to move them.
    await page.locator('li.deal').filter({ hasText: 'Auditor deal' }).waitFor();
    expect(await page.getByRole('button', { name: 'Move Auditor deal to…' }).count()).toBe(0);
    await screenshot(page, 'roles-ui-custom-board');
  });
});
