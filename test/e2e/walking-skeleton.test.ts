/**
 * The walking skeleton end to end: the whole embedded cloud (gateway, identity, API handler,
 * local DynamoDB) and the built SPA, driven in headless Chromium the way a person uses it.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startEmbeddedCloud, type EmbeddedCloud } from '../../local/embedded-cloud.ts';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.ts';

let cloud: EmbeddedCloud;
let browser: TestBrowser;
let dataDir: string;
let admin: { email: string; password: string };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-e2e-'));
  cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
  const { email, password } = cloud.demoAdmin;
  if (!password) throw new Error('a fresh data folder should yield the demo admin password');
  admin = { email, password };
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openApp(): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  // What the browser showed when a test failed says more than the assertion.
  const testName = expect.getState().currentTestName ?? 'test';
  onTestFailed(async () => {
    if (!page.isClosed()) console.error(`screenshot of the failure: ${await screenshot(page, `failed ${testName}`)}`);
  });
  await page.goto(`${cloud.url}/companies`);
  return page;
}

async function signIn(page: Page, password = admin.password) {
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Companies' });
const rowNamed = (page: Page, name: string) => grid(page).getByRole('row').filter({ hasText: name });
const cellOf = (row: Locator, column: number) => row.getByRole('gridcell').nth(column);
const textOf = async (locator: Locator) => (await locator.textContent())?.trim();
const NAME = 0;
const DOMAIN = 1;
const INDUSTRY = 2;

/** Adds a company through the grid's new row and waits until it is saved. */
async function addCompany(page: Page, name: string) {
  await page.getByRole('button', { name: 'Add company' }).click();
  await page.getByRole('textbox', { name: /^Name, row/ }).fill(name);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('tr.draft').count()).toBe(0);
  await expect.poll(() => cellOf(rowNamed(page, name), NAME).textContent()).toContain(name);
}

/** Edits a cell from the keyboard: focus it, Enter, replace the text, Enter. */
async function editCell(cell: Locator, text: string) {
  await cell.focus();
  await cell.press('Enter');
  const editor = cell.locator('input');
  await editor.fill(text);
  await editor.press('Enter');
}

describe('walking skeleton in Chromium', () => {
  it('refuses a wrong password with a clear message, on the sign-in page', async () => {
    const page = await openApp();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/signin');
    await signIn(page, 'not-the-password');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Incorrect email or password.');
    expect(new URL(page.url()).pathname).toBe('/signin');
    await screenshot(page, 'e2e-signin-wrong-password');
    await page.close();
  });

  it('signs in, adds a company, edits a cell, and keeps the edit across a reload', async () => {
    const page = await openApp();
    await signIn(page);
    await page.getByText('0 companies').waitFor();
    expect(new URL(page.url()).pathname).toBe('/companies');
    await screenshot(page, 'e2e-companies-empty');
    expect(await page.getByTestId('current-user').textContent()).toBe(admin.email);

    // As a person types it: name, Tab, domain (typed while the new row is being saved), Enter.
    await page.getByRole('button', { name: 'Add company' }).click();
    await page.keyboard.type('Wayne Enterprises');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Wayne.example');
    await page.keyboard.press('Enter');
    const row = rowNamed(page, 'Wayne Enterprises');
    // The cell shows what the API stored: the contract lower-cases domains.
    await expect.poll(() => textOf(cellOf(row, DOMAIN))).toBe('wayne.example');
    expect(await page.locator('tr.draft').count()).toBe(0);

    await editCell(cellOf(row, INDUSTRY), 'Conglomerates');
    await expect.poll(() => cellOf(row, INDUSTRY).locator('input').count()).toBe(0);
    await screenshot(page, 'e2e-grid-after-edit');

    await page.reload();
    await grid(page).waitFor();
    const reloaded = rowNamed(page, 'Wayne Enterprises');
    expect(await textOf(cellOf(reloaded, DOMAIN))).toBe('wayne.example');
    expect(await textOf(cellOf(reloaded, INDUSTRY))).toBe('Conglomerates');
    expect(await grid(page).getAttribute('aria-rowcount')).toBe(String(await grid(page).getByRole('row').count()));

    // Signing out ends the session: the app sends the next visit back to sign-in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/signin');
    await page.goto(`${cloud.url}/companies`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/signin');
    await page.close();
  });

  it('shows why a value is refused on the cell and keeps the typed input', async () => {
    const page = await openApp();
    await signIn(page);
    await addCompany(page, 'Initech');
    const domain = cellOf(rowNamed(page, 'Initech'), DOMAIN);

    await editCell(domain, 'not a domain');

    await expect.poll(() => domain.getAttribute('aria-invalid')).toBe('true');
    expect(await domain.textContent()).toContain('Domain must be a domain like example.com.');
    expect(await domain.locator('input').inputValue()).toBe('not a domain');
    await screenshot(page, 'e2e-cell-validation-error');

    // Escape gives up the edit and the cell shows the stored value again.
    await domain.locator('input').press('Escape');
    await expect.poll(() => domain.locator('input').count()).toBe(0);
    expect(await domain.getAttribute('aria-invalid')).toBeNull();
    await page.close();
  });

  it('shows the current value when someone else changed the record meanwhile', async () => {
    const page = await openApp();
    await signIn(page);
    await addCompany(page, 'Globex');
    const industry = cellOf(rowNamed(page, 'Globex'), INDUSTRY);

    // Another user changes the same company through the API after this page loaded it.
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('sheetflow.session')!).idToken as string);
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${cloud.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      }).then(async (response) => ({ status: response.status, body: await response.json() }));
    const { body: list } = await api('/api/companies');
    const globex = list.items.find((c: { name: string }) => c.name === 'Globex');
    const changed = await api(`/api/companies/${globex.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ version: globex.version, fields: { industry: 'Energy' } }),
    });
    expect(changed.status).toBe(200);

    await editCell(industry, 'Utilities');

    await expect.poll(() => industry.textContent()).toContain('it is now “Energy”');
    expect(await industry.locator('.cell-text').textContent()).toBe('Energy');
    await screenshot(page, 'e2e-cell-conflict');
    await page.close();
  });
});
