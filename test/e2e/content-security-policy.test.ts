/**
 * The app under its Content-Security-Policy (infra/security-headers.ts), in Chromium: the page
 * arrives with the policy, and signing in, the grid, the deal board, the admin area and the trash
 * run without one violation (issue 12 item 8: the inline bootstrap allowed by hash, nothing
 * evaluated from strings).
 */
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageReady, signIn, useApp } from '../support/app.ts';
import { waitForRows } from '../support/grid.ts';

const app = useApp();

beforeAll(async () => {
  // Before any page of the browser runs a script: every violation the browser reports, kept on the page.
  await app.browser.context.addInitScript(() => {
    const seen: string[] = ((window as any).__cspViolations = []);
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective}: ${event.blockedURI} ${event.sample}`));
  });
});

const violations = (page: Page) => page.evaluate(() => (window as any).__cspViolations as string[]);

it('serves the page with a policy that allows no inline script but its own bootstrap', async () => {
  const response = await fetch(`${app.cloud.url}/companies`);
  const policy = response.headers.get('content-security-policy')!;
  expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
  expect(policy.split(';').find((directive) => directive.trim().startsWith('script-src'))).not.toContain('unsafe');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
});

it('runs signed in, the grid, the deal board, analytics (its charts drawn), the admin area and the trash without a violation', async () => {
  expect((await app.api('POST', '/api/companies', { name: 'Policy Inc' })).status).toBe(201);
  // A deal, so analytics has a funnel to draw.
  expect((await app.api('POST', '/api/deals', { name: 'Policy deal', stage: 'new' })).status).toBe(201);
  const problems: string[] = [];
  // Signing in through the sign-in page, as a person does.
  const page = await app.open('/companies');
  page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
  page.on('pageerror', (err) => problems.push(err.message));
  await signIn(page, app.admin.email, app.admin.password);
  await page.waitForURL((url) => url.pathname === '/companies');
  expect(await violations(page)).toEqual([]);
  await page.goto(`${app.cloud.url}/companies`);
  await pageReady(page);
  await waitForRows(page, 'Companies', 1);
  expect(await violations(page)).toEqual([]);
  for (const path of ['/deals/board', '/analytics', '/admin?tab=audit', '/companies/trash']) {
    await page.goto(`${app.cloud.url}${path}`);
    await pageReady(page);
    // ECharts draws after the page is ready.
    if (path === '/analytics') await page.waitForSelector('main [data-drawn]');
    expect(await violations(page), path).toEqual([]);
  }
  expect(problems).toEqual([]);
});
