/**
 * The admin area in Chromium: the demo administrator invites a user, forms a team with a
 * supervisor and puts the user in it, deactivates them, defines a custom role in the permission
 * matrix, and reads it all back in the audit log; a user who is no administrator is neither
 * shown the area nor let in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiOf, signIn, startApp, type TestApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';

let app: TestApp;
let page: Page;

beforeAll(async () => {
  app = await startApp();
  page = await app.openSignedIn('/companies');
});
afterAll(async () => {
  await app?.close();
});

const row = (attribute: string, value: string) => page.locator(`tr[${attribute}="${value}"]`);

describe('the admin area', () => {
  it('is one click away for an administrator, and lists the users', async () => {
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await row('data-user', app.admin.email).waitFor();
    expect(await row('data-user', app.admin.email).textContent()).toContain('(you)');
  });

  it('invites a user by e-mail, with a role', async () => {
    await page.getByLabel('E-mail').fill('sam@demo.example');
    await page.getByRole('form', { name: 'Invite a user' }).getByLabel('Role').selectOption({ label: 'Sales manager' });
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByRole('status').filter({ hasText: 'Invitation sent to sam@demo.example' }).waitFor();
    await row('data-user', 'sam@demo.example').waitFor();
    expect(await page.getByLabel('Role of sam@demo.example').inputValue()).toBe('sales-manager');
    // The invitation went out by e-mail (the local pool's outbox), with a temporary password.
    expect(app.cloud.identity.outbox.messages('sam@demo.example')[0].data.temporaryPassword).toBeTruthy();
    await screenshot(page, 'e2e-admin-users');
  });

  it('forms a team with a supervisor, and puts the user in it', async () => {
    await page.getByRole('tab', { name: 'Teams' }).click();
    await page.getByLabel('Name').fill('North');
    await page.getByRole('form', { name: 'Create a team' }).getByLabel('Supervisor').selectOption({ label: app.admin.email });
    await page.getByRole('button', { name: 'Create team' }).click();
    await row('data-team', 'North').waitFor();
    await page.getByRole('tab', { name: 'Users' }).click();
    await row('data-user', 'sam@demo.example').getByLabel('North').check();
    const api = await apiOf(page, app.cloud.url);
    await expect.poll(async () => (await api('GET', '/api/users')).body.items.find((u: { email: string }) => u.email === 'sam@demo.example')?.teams.length).toBe(1);
    await page.getByRole('tab', { name: 'Teams' }).click();
    await expect.poll(() => row('data-team', 'North').textContent()).toContain('sam@demo.example');
    expect(await page.getByLabel('Supervisor of North').inputValue()).not.toBe('');
    await screenshot(page, 'e2e-admin-teams');
  });

  it('deactivates the user, and can activate them again', async () => {
    await page.getByRole('tab', { name: 'Users' }).click();
    const sam = row('data-user', 'sam@demo.example');
    await sam.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => sam.textContent()).toContain('Deactivated');
    const api = await apiOf(page, app.cloud.url);
    expect((await api('GET', '/api/users')).body.items.find((u: { email: string }) => u.email === 'sam@demo.example').active).toBe(false);
    await sam.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => sam.textContent()).toContain('Active');
  });

  it('defines a custom role in the permission matrix', async () => {
    await page.getByRole('tab', { name: 'Roles' }).click();
    // A built-in role is shown, not editable.
    expect(await page.getByLabel('company read', { exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'e2e-admin-roles-built-in');
    await page.getByLabel('New role').fill('Contractor');
    await page.getByRole('button', { name: 'Define role' }).click();
    await expect.poll(() => page.getByRole('combobox', { name: 'Role' }).inputValue()).toMatch(/^[0-9A-Z]{26}$/);
    await page.getByLabel('company read', { exact: true }).check();
    await page.getByLabel('company update', { exact: true }).check();
    await page.getByLabel('company scope').selectOption('own');
    await page.getByLabel('company read-only fields').fill('name, domain');
    await page.getByLabel('company read-only fields').press('Tab');
    await page.getByRole('button', { name: 'Save role' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved Contractor' }).waitFor();
    const api = await apiOf(page, app.cloud.url);
    const contractor = (await api('GET', '/api/roles')).body.items.find((r: { name: string }) => r.name === 'Contractor');
    expect(contractor.types).toEqual({ company: { actions: ['read', 'update'], scope: 'own', readOnlyFields: ['name', 'domain'] } });
    await screenshot(page, 'e2e-admin-roles-custom');
  });

  it('shows what was done, by whom, from where, in the audit log', async () => {
    await page.getByRole('tab', { name: 'Audit log' }).click();
    for (const action of ['user.invite', 'team.create', 'user.change', 'user.deactivate', 'role.create', 'role.change', 'sign-in']) {
      await page.locator(`tr[data-action="${action}"]`).first().waitFor();
    }
    expect(await page.locator('tr[data-action="user.invite"]').first().textContent()).toContain('sam@demo.example');
    expect(await page.locator('tr[data-action="sign-in"]').first().textContent()).toMatch(/127\.0\.0\.1/);
    await screenshot(page, 'e2e-admin-audit');
  });

  it('lets the invited user sign in with the temporary password and choose their own', async () => {
    const temporary = app.cloud.identity.outbox.messages('sam@demo.example')[0].data.temporaryPassword;
    const browser = await app.newBrowser();
    const invited = await app.open('/companies', browser);
    await signIn(invited, 'sam@demo.example', temporary);
    await invited.getByLabel('New password').waitFor();
    await screenshot(invited, 'e2e-admin-invited-new-password');
    await invited.getByLabel('New password').fill('Sam-chose-this-1!');
    await invited.getByRole('button', { name: 'Set password and sign in' }).click();
    await invited.waitForURL((url) => url.pathname === '/companies');
    expect(await invited.getByTestId('current-user').textContent()).toBe('sam@demo.example');
    // A sales manager: no admin area.
    expect(await invited.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });

  it('after a password reset, the user signs in with the mailed code and a new password', async () => {
    await page.getByRole('tab', { name: 'Users' }).click();
    await row('data-user', 'sam@demo.example').getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('status').filter({ hasText: 'sam@demo.example must choose a new password' }).waitFor();
    const resetCode = app.cloud.identity.outbox.messages('sam@demo.example').at(-1)!.data.code;
    const browser = await app.newBrowser();
    const sam = await app.open('/companies', browser);
    await signIn(sam, 'sam@demo.example', 'Sam-chose-this-1!');
    await sam.getByLabel('Code from the e-mail').waitFor();
    expect(await sam.getByRole('alert').textContent()).toContain('Your password was reset');
    await sam.getByLabel('Code from the e-mail').fill(resetCode);
    await sam.getByLabel('New password').fill('Sam-after-reset-2!');
    await screenshot(sam, 'e2e-admin-reset-code');
    await sam.getByRole('button', { name: 'Set password and sign in' }).click();
    await sam.waitForURL((url) => url.pathname === '/companies');
    expect(await sam.getByTestId('current-user').textContent()).toBe('sam@demo.example');
  });

  it('is neither shown nor open to a user who is no administrator', async () => {
    await app.cloud.identity.createUser({ email: 'rep@demo.example', password: 'a rep password', tenant: 'demo', groups: ['sales-representative'] });
    const browser = await app.newBrowser();
    const other = await app.open('/companies', browser);
    await signIn(other, 'rep@demo.example', 'a rep password');
    await other.waitForURL((url) => url.pathname === '/companies');
    await other.getByRole('link', { name: 'Companies' }).waitFor();
    expect(await other.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await other.goto(`${app.cloud.url}/admin`);
    await other.getByText('Only administrators manage users, teams and roles.').waitFor();
    await screenshot(other, 'e2e-admin-refused');
  });
});
