/**
 * The UI hides what the signed-in user's role cannot do (the server is the guard; this is the
 * convenience): a sales representative sees no Import, Export or + Field, and a deal's
 * probability (read-only for the role) is not editable and says why; products (read only) have
 * no Add and no editable cell. An administrator sees all of it and the Admin link, and so does
 * a custom role that administers; one that only reads deals cannot move them on the board.
 * Alt+Enter opens the focused row's record card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiOf, screenshotFailures, signIn, startApp, type TestApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, recordBulkRequests, textOf, waitForRows } from '../support/grid.ts';

let app: TestApp;
let admin: Page;
let rep: Page;

beforeAll(async () => {
  app = await startApp();
  admin = await app.openSignedIn('/deals');
  const adminApi = await apiOf(admin, app.cloud.url);
  expect((await adminApi('POST', '/api/products', { name: 'Widget' })).status).toBe(201);

  await app.cloud.identity.createUser({ email: 'rep@demo.example', password: 'a rep password', tenant: 'demo', groups: ['sales-representative'] });
  rep = await app.open('/deals', await app.newBrowser());
  await signIn(rep, 'rep@demo.example', 'a rep password');
  await rep.waitForURL((url) => url.pathname === '/deals');
  // The representative's own deal (their scope is their own deals; probability is not theirs to set).
  const repApi = await apiOf(rep, app.cloud.url);
  expect((await repApi('POST', '/api/deals', { name: 'Rep deal' })).status).toBe(201);
  await rep.reload();
  await waitForRows(rep, 'Deals', 1);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

screenshotFailures(() => [admin, rep].filter(Boolean));

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

describe('what the role allows, in the UI', () => {
  it('shows a sales representative no Import, Export, + Field or Admin, but Add', async () => {
    await button(rep, 'Add deal').waitFor();
    expect(await button(rep, 'Import').count()).toBe(0);
    expect(await button(rep, 'Export').count()).toBe(0);
    expect(await button(rep, 'Add a field (a new column)').count()).toBe(0);
    expect(await rep.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });

  it('keeps a read-only field from being edited, and says why', async () => {
    const probability = cellAt(rep, 0, 'probability');
    expect(await probability.getAttribute('aria-description')).toBe('Sales representative may read this field but not change it');
    expect(await probability.getAttribute('class')).toContain('cell-readonly');
    const bulk = recordBulkRequests(rep);
    await clickCell(rep, 0, 'probability');
    await rep.keyboard.type('90');
    await rep.keyboard.press('Enter');
    await rep.waitForTimeout(500);
    expect(bulk).toEqual([]);
    expect(await rep.locator('revogr-edit').count()).toBe(0);
    expect(await textOf(probability)).toBe('');
    expect(await rep.getByTestId('cell-message').textContent()).toContain('may read this field but not change it');
    await screenshot(rep, 'roles-ui-rep-deals');
  });

  it('opens the focused row’s record card with Alt+Enter, the field read-only there too', async () => {
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
    await rep.getByRole('link', { name: 'Products' }).click();
    await waitForRows(rep, 'Products', 1);
    expect(await cellAt(rep, 0, 'name').getAttribute('aria-description')).toBe('Sales representative may not change product records');
    expect(await button(rep, 'Add product').count()).toBe(0);
  });

  it('shows an administrator Import, Export, + Field, Add and the Admin link', async () => {
    await admin.reload();
    await waitForRows(admin, 'Deals', 1);
    expect(await cellAt(admin, 0, 'probability').getAttribute('aria-description')).toBeNull();
    for (const name of ['Import', 'Export', 'Add a field (a new column)', 'Add deal']) await button(admin, name).waitFor();
    await admin.getByRole('link', { name: 'Admin' }).waitFor();
    await screenshot(admin, 'roles-ui-admin-deals');
  });

  it('shows the Admin link to a custom role that administers; without update, deals do not move on the board', async () => {
    const adminApi = await apiOf(admin, app.cloud.url);
    const role = await adminApi('POST', '/api/roles', { name: 'Deal auditor', administer: true, types: { deal: { actions: ['read'], scope: 'all', readOnlyFields: [] } } });
    expect(role.status).toBe(201);
    const users = (await adminApi('GET', '/api/users')).body.items as Array<{ sub: string; email: string; version: number }>;
    const repUser = users.find((u) => u.email === 'rep@demo.example')!;
    expect((await adminApi('PATCH', `/api/users/${repUser.sub}`, { version: repUser.version, fields: { role: role.body.id } })).status).toBe(200);
    // The role counts at the next request; the page reads GET /api/me again when loaded anew.
    await rep.goto(`${app.cloud.url}/deals/board`);
    await rep.getByRole('link', { name: 'Admin' }).waitFor();
    await rep.getByTestId('board-locked').waitFor();
    expect(await rep.getByTestId('board-locked').textContent()).toContain('Deal auditor may not change deal records');
    expect(await rep.getByRole('button', { name: 'Move Rep deal to…' }).count()).toBe(0);
    await screenshot(rep, 'roles-ui-custom-board');
  });
});
