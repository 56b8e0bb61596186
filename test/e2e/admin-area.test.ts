/**
 * The admin area in Chromium: the demo administrator invites a user, forms a team with a
 * supervisor and puts the user in it, deactivates them, defines a custom role in the permission
 * matrix, and reads it all back in the audit log; a user who is no administrator is neither
 * shown the area nor let in.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signIn, useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';

const app = useApp();
/** Each test's own tenant: its directory, teams, roles and audit log hold only what the test made. */
let admin: User & { tenant: string };
let api: Api;
let page: Page;
/** The user each test invites (an e-mail has one account, whichever the tenant). */
let sam = '';

beforeEach(async () => {
  admin = await app.newTenant();
  api = await app.apiAs(admin);
  sam = `sam@${admin.tenant}.example`;
});

const row = (attribute: string, value: string) => page.locator(`tr[${attribute}="${value}"]`);

/** The admin area of the test's administrator, on `tab`. */
async function adminArea(tab = 'Users') {
  page = await app.page('/admin', { as: admin });
  await page.getByRole('tab', { name: tab }).click();
  return page;
}

/** Sam invited through the API, as a sales manager: their directory entry. */
async function inviteSam(): Promise<{ sub: string; version: number }> {
  const invited = await api('POST', '/api/users', { email: sam, role: 'sales-manager' });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  return invited.body;
}


/** A tab nobody is signed in in (a session is the tab's). */
const freshPage = (path: string) => app.open(path);

describe('the admin area', () => {
  it('is one click away for an administrator, and lists the users', async () => {
    page = await app.page('/companies', { as: admin });
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await row('data-user', admin.email).waitFor();
    expect(await row('data-user', admin.email).textContent()).toContain('(you)');
  });

  it('invites a user by e-mail, with a role', async () => {
    await adminArea();
    await page.getByLabel('E-mail').fill(sam);
    await page.getByRole('form', { name: 'Invite a user' }).getByLabel('Role').selectOption({ label: 'Sales manager' });
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByRole('status').filter({ hasText: `Invitation sent to ${sam}` }).waitFor();
    await row('data-user', sam).waitFor();
    expect(await page.getByLabel(`Role of ${sam}`).inputValue()).toBe('sales-manager');
    // The invitation went out by e-mail (the local pool's outbox), with a temporary password.
    expect(app.cloud.identity.outbox.messages(sam)[0].data.temporaryPassword).toBeTruthy();
    await screenshot(page, 'e2e-admin-users');
  });

  it('forms a team with a supervisor, and puts the user in it', async () => {
    await inviteSam();
    await adminArea('Teams');
    await page.getByLabel('Name').fill('North');
    await page.getByRole('form', { name: 'Create a team' }).getByLabel('Supervisor').selectOption({ label: admin.email });
    await page.getByRole('button', { name: 'Create team' }).click();
    await row('data-team', 'North').waitFor();
    await page.getByRole('tab', { name: 'Users' }).click();
    await row('data-user', sam).getByLabel('North').check();
    await expect.poll(async () => (await api('GET', '/api/users')).body.items.find((u: { email: string }) => u.email === sam)?.teams.length).toBe(1);
    await page.getByRole('tab', { name: 'Teams' }).click();
    await expect.poll(() => row('data-team', 'North').textContent()).toContain(sam);
    expect(await page.getByLabel('Supervisor of North').inputValue()).not.toBe('');
    await screenshot(page, 'e2e-admin-teams');
  });

  it('deactivates the user, and can activate them again', async () => {
    await inviteSam();
    await adminArea();
    const samRow = row('data-user', sam);
    // Not signed in yet: Invited until the first sign-in, and again once activated.
    await expect.poll(() => samRow.textContent()).toContain('Invited');
    await samRow.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => samRow.textContent()).toContain('Deactivated');
    expect((await api('GET', '/api/users')).body.items.find((u: { email: string }) => u.email === sam).active).toBe(false);
    await samRow.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => samRow.textContent()).toContain('Invited');
    expect((await api('GET', '/api/users')).body.items.find((u: { email: string }) => u.email === sam).active).toBe(true);
  });

  it('defines a custom role in the permission matrix', async () => {
    await adminArea('Roles');
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
    // Who starts a process and sees which of its instances is the role's too.
    await page.getByLabel('Quick sale start', { exact: true }).check();
    await page.getByLabel('Quick sale instances seen').selectOption('own');
    await page.getByRole('button', { name: 'Save role' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved Contractor' }).waitFor();
    const contractor = (await api('GET', '/api/roles')).body.items.find((r: { name: string }) => r.name === 'Contractor');
    expect(contractor.types).toEqual({ company: { actions: ['read', 'update'], scope: 'own', readOnlyFields: ['name', 'domain'] } });
    expect(contractor.processes).toEqual({ 'quick-sale': { start: true, see: 'own' } });
    await screenshot(page, 'e2e-admin-roles-custom');
  });

  it('shows what was done, by whom, from where, in the audit log', async () => {
    // What the tests above do in the UI, done through the API (the administrator signed in before).
    const invited = await inviteSam();
    const me = (await api('GET', '/api/me')).body;
    const team = await api('POST', '/api/teams', { name: 'North', supervisor: me.sub });
    expect(team.status).toBe(201);
    const joined = await api('PATCH', `/api/users/${invited.sub}`, { version: invited.version, fields: { teams: [team.body.id] } });
    expect(joined.status).toBe(200);
    expect((await api('PATCH', `/api/users/${invited.sub}`, { version: joined.body.version, fields: { active: false } })).status).toBe(200);
    const role = await api('POST', '/api/roles', { name: 'Contractor', types: {} });
    expect(role.status).toBe(201);
    expect((await api('PATCH', `/api/roles/${role.body.id}`, { version: role.body.version, fields: { types: { company: { actions: ['read'], scope: 'own', readOnlyFields: [] } } } })).status).toBe(200);

    await adminArea('Audit log');
    for (const action of ['user.invite', 'team.create', 'user.change', 'user.deactivate', 'role.create', 'role.change', 'sign-in']) {
      await page.locator(`tr[data-action="${action}"]`).first().waitFor();
    }
    expect(await page.locator('tr[data-action="user.invite"]').first().textContent()).toContain(sam);
    expect(await page.locator('tr[data-action="sign-in"]').first().textContent()).toMatch(/127\.0\.0\.1/);
    await screenshot(page, 'e2e-admin-audit');
  });

  it('lets the invited user sign in with the temporary password and choose their own', async () => {
    await inviteSam();
    const temporary = app.temporaryPassword(sam);
    const invited = await freshPage('/companies');
    await signIn(invited, sam, temporary);
    await invited.getByLabel('New password').waitFor();
    await screenshot(invited, 'e2e-admin-invited-new-password');
    await invited.getByLabel('New password').fill('Sam-chose-this-1!');
    await invited.getByRole('button', { name: 'Set password and sign in' }).click();
    await invited.waitForURL((url) => url.pathname === '/companies');
    expect(await invited.getByTestId('current-user').textContent()).toBe(sam);
    // A sales manager: no admin area (the sections shown once the role is known).
    await invited.locator('nav[data-role-known]').waitFor();
    await invited.getByRole('link', { name: 'Companies' }).waitFor();
    expect(await invited.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });

  it('after a password reset, the user signs in with the mailed code and a new password', async () => {
    await inviteSam();
    await app.acceptInvitation(sam, 'Sam-chose-this-1!');
    await adminArea();
    await row('data-user', sam).getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('status').filter({ hasText: `${sam} must choose a new password` }).waitFor();
    const resetCode = app.cloud.identity.outbox.messages(sam).at(-1)!.data.code;
    const samPage = await freshPage('/companies');
    await signIn(samPage, sam, 'Sam-chose-this-1!');
    await samPage.getByLabel('Code from the e-mail').waitFor();
    expect(await samPage.getByRole('alert').textContent()).toContain('Your password was reset');
    await samPage.getByLabel('Code from the e-mail').fill(resetCode);
    await samPage.getByLabel('New password').fill('Sam-after-reset-2!');
    await screenshot(samPage, 'e2e-admin-reset-code');
    await samPage.getByRole('button', { name: 'Set password and sign in' }).click();
    await samPage.waitForURL((url) => url.pathname === '/companies');
    expect(await samPage.getByTestId('current-user').textContent()).toBe(sam);
  });

  it('is neither shown nor open to a user who is no administrator', async () => {
    const rep = await app.newUser(['sales-representative'], admin.tenant);
    const other = await freshPage('/companies');
    await signIn(other, rep.email, rep.password);
    await other.waitForURL((url) => url.pathname === '/companies');
    // The sections shown once the role is known: the Admin link would be among them.
    await other.locator('nav[data-role-known]').waitFor();
    await other.getByRole('link', { name: 'Companies' }).waitFor();
    expect(await other.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await other.goto(`${app.cloud.url}/admin`);
    await other.getByText('Only administrators manage users, teams and roles.').waitFor();
    await screenshot(other, 'e2e-admin-refused');
  });
});
