/**
 * The app under its Content-Security-Policy (infra/security-headers.ts), in Chromium: the page
 * arrives with the policy, and signing in, the grid, the deal board, the admin area and the trash
 * run without one violation (issue 12 item 8: the inline bootstrap allowed by hash, nothing
 * evaluated from strings).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiOf, startApp, type TestApp } from '../support/app.ts';
import { waitForRows } from '../support/grid.ts';

let app: TestApp;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  app = await startApp();
  // Before any page of the browser runs a script: every violation the browser reports, kept on the page.
  await app.browser.context.addInitScript(() => {
    const seen: string[] = ((window as any).__cspViolations = []);
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective}: ${event.blockedURI} ${event.sample}`));
  });
  page = await app.openSignedIn('/companies');
  page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
  page.on('pageerror', (err) => problems.push(err.message));
});
afterAll(async () => {
  await app?.close();
});

const violations = () => page.evaluate(() => (window as any).__cspViolations as string[]);

it('serves the page with a policy that allows no inline script but its own bootstrap', async () => {
  const response = await page.request.get(`${app.cloud.url}/companies`);
  const policy = response.headers()['content-security-policy'];
  expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
  expect(policy.split(';').find((directive) => directive.trim().startsWith('script-src'))).not.toContain('unsafe');
  expect(response.headers()['x-frame-options']).toBe('DENY');
});

it('runs signed in, the grid, the deal board, the admin area and the trash without a violation', async () => {
  const api = await apiOf(page, app.cloud.url);
  expect((await api('POST', '/api/companies', { name: 'Policy Inc' })).status).toBe(201);
  await page.goto(`${app.cloud.url}/companies`);
  await waitForRows(page, 'Companies', 1);
  expect(await violations()).toEqual([]);
  for (const [path, ready] of [
    ['/deals/board', () => page.getByRole('heading', { name: /deal/i }).first().waitFor()],
    ['/admin?tab=audit', () => page.locator('tr[data-action="sign-in"]').first().waitFor()],
    ['/companies/trash', () => page.getByRole('heading').first().waitFor()],
  ] as const) {
    await page.goto(`${app.cloud.url}${path}`);
    await ready();
    expect(await violations(), path).toEqual([]);
  }
  expect(problems).toEqual([]);
});
