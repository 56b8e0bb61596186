/**
 * The walking skeleton end to end: the whole embedded cloud (gateway, identity, API handler,
 * local DynamoDB) and the built SPA, driven in headless Chromium the way a person uses it.
 * The grid's own behaviour is tested in grid-*.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { pageReady, signIn, useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, gridOf, textOf, waitForRows } from '../support/grid.ts';
import { emptyTypes } from '../support/seed.ts';

const app = useApp();

beforeEach(async () => {
  await emptyTypes(app.api, 'companies', 'deals');
});

describe('walking skeleton in Chromium', () => {
  it('refuses a wrong password with a clear message, on the sign-in page', async () => {
    const page = await app.open('/companies');
    await page.waitForURL((url) => url.pathname === '/signin');
    await signIn(page, app.admin.email, 'not-the-password');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Incorrect email or password.');
    expect(new URL(page.url()).pathname).toBe('/signin');
    await screenshot(page, 'e2e-signin-wrong-password');
  });

  it('signs in, adds a company, edits a cell, and keeps the edit across a reload', async () => {
    // Signed in the way a person does: the sign-in page, then back where they were going.
    const page = await app.open('/companies');
    await page.waitForURL((url) => url.pathname === '/signin');
    await signIn(page, app.admin.email, app.admin.password);
    await page.waitForURL((url) => url.pathname === '/companies');
    await pageReady(page);
    await page.getByText('0 companies').waitFor();
    expect(new URL(page.url()).pathname).toBe('/companies');
    expect(await page.getByTestId('current-user').textContent()).toBe(app.admin.email);
    await screenshot(page, 'e2e-companies-empty');

    // Add: a name, Enter; the new row opens its name cell, Tab goes on to the domain.
    await page.getByRole('button', { name: 'Add company' }).click();
    await page.getByRole('textbox', { name: 'Name of the new company' }).fill('Wayne Enterprises');
    await page.keyboard.press('Enter');
    await waitForRows(page, 'Companies', 1);
    expect(await textOf(cellAt(page, 0, 'name'))).toBe('Wayne Enterprises');

    await clickCell(page, 0, 'domain');
    await page.keyboard.type('Wayne.example');
    await page.keyboard.press('Enter');
    // The cell shows what the API stored: the contract lower-cases domains.
    const api = app.api;
    await expect.poll(async () => (await api('GET', '/api/companies')).body.items[0]?.domain).toBe('wayne.example');
    await clickCell(page, 0, 'industry');
    await page.keyboard.type('Conglomerates');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await api('GET', '/api/companies')).body.items[0]?.industry).toBe('Conglomerates');
    await screenshot(page, 'e2e-grid-after-edit');

    await page.reload();
    await pageReady(page);
    await waitForRows(page, 'Companies', 1);
    expect(await textOf(cellAt(page, 0, 'domain'))).toBe('wayne.example');
    expect(await textOf(cellAt(page, 0, 'industry'))).toBe('Conglomerates');
    expect(await gridOf(page, 'Companies').getAttribute('aria-rowcount')).toBe('2');

    // Every record type has its grid, one click away.
    await page.getByRole('link', { name: 'Deals' }).click();
    await page.getByText('0 deals').waitFor();
    expect(new URL(page.url()).pathname).toBe('/deals');

    // Signing out ends the session: the app sends the next visit back to sign-in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/signin');
    await page.goto(`${app.cloud.url}/companies`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/signin');
  });
});
