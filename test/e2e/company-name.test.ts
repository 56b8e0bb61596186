/**
 * The company's name in the admin area's Settings tab: the administrator of a tenant of its own
 * names the company, and the invitation a new user gets names it; a name another administrator
 * saved meanwhile is not overwritten but shown.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';

const app = useApp();
let admin: User & { tenant: string };
let api: Api;
let page: Page;

beforeEach(async () => {
  admin = await app.newTenant();
  api = await app.apiAs(admin);
  page = await app.page('/admin?tab=settings', { as: admin });
});

const form = () => page.getByRole('form', { name: 'Company name' });
const nameField = () => form().getByLabel('Company name');

describe('the company name', () => {
  it('is set in Settings, and the invitation names it', async () => {
    // Never named: the tenant's id stands in.
    await expect.poll(() => nameField().inputValue()).toBe(admin.tenant);
    await nameField().fill('Nordlicht Freight GmbH');
    await form().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await api('GET', '/api/tenant')).body).toMatchObject({ name: 'Nordlicht Freight GmbH', version: 1 });
    await screenshot(page, 'e2e-admin-company-name');

    await page.getByRole('tab', { name: 'Users' }).click();
    const rita = `rita@${admin.tenant}.example`;
    await page.getByLabel('E-mail').fill(rita);
    await page.getByRole('form', { name: 'Invite a user' }).getByLabel('Role').selectOption({ label: 'Sales representative' });
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByRole('status').filter({ hasText: `Invitation sent to ${rita}` }).waitFor();
    const [mail] = app.cloud.identity.outbox.messages(rita);
    expect(mail.subject).toBe('You are invited to Nordlicht Freight GmbH on Sheetflow');
    expect(mail.text).toContain('Nordlicht Freight GmbH');
  });

  it('shows why a blank name is refused, and saves nothing', async () => {
    await expect.poll(() => nameField().inputValue()).toBe(admin.tenant);
    await nameField().fill('   ');
    await form().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'is required' }).waitFor();
    expect((await api('GET', '/api/tenant')).body).toEqual({ name: admin.tenant, version: 0 });
  });

  it('shows the name another administrator saved meanwhile, instead of overwriting it', async () => {
    await expect.poll(() => nameField().inputValue()).toBe(admin.tenant);
    // Another administrator names the company after this page read it.
    expect((await api('PATCH', '/api/tenant', { version: 0, name: 'Their Name Ltd' })).status).toBe(200);
    await nameField().fill('My Name Ltd');
    await form().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').waitFor();
    await expect.poll(() => nameField().inputValue()).toBe('Their Name Ltd');
    expect((await api('GET', '/api/tenant')).body).toMatchObject({ name: 'Their Name Ltd', version: 1 });
    // Saved again over what it now shows, it is the administrator's.
    await nameField().fill('My Name Ltd');
    await form().getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await api('GET', '/api/tenant')).body).toMatchObject({ name: 'My Name Ltd', version: 2 });
  });
});
