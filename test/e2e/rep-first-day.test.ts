/**
 * A sales rep's first day, in Chromium: the administrator invites them with name, role and team
 * (and is refused a second invitation of the same e-mail, which changes nothing); the rep signs
 * in with the temporary password from the mail, reads the password rules before the first try,
 * is refused a weak password without losing what they typed, sets a good one and lands on an
 * empty grid that says why it is empty for them and how to start. A rep in no team is told to
 * ask for one. The administrator sees Invited until the first sign-in, and can send the
 * invitation again; a user who forgot their password sets a new one with a mailed code. Each test
 * in a tenant of its own, the invitation (or the first sign-in) it starts from made through the API.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { invitedUser, pageReady, signIn, useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, textOf, waitForRows } from '../support/grid.ts';

const app = useApp();
let tenantAdmin: User & { tenant: string };
let api: Api;
/** The administrator's page, once the test opened it. */
let admin: Page;
/** The rep of the test's tenant (an e-mail has one account, whichever the tenant). */
let rita = '';
const RITA_PASSWORD = 'Rita-chose-this-1!';

beforeEach(async () => {
  tenantAdmin = await app.newTenant();
  api = await app.apiAs(tenantAdmin);
  rita = `rita@${tenantAdmin.tenant}.example`;
});

const userRow = (email: string) => admin.locator(`tr[data-user="${email}"]`);
const inviteForm = () => admin.getByRole('form', { name: 'Invite a user' });
const latestMail = (email: string) => app.cloud.identity.outbox.messages(email).at(-1)!;
const emptyGrid = (page: Page) => page.getByTestId('empty-grid');

/** The administration page of the test's administrator. */
async function openAdmin() {
  admin = await app.page('/admin', { as: tenantAdmin });
}

/** The administrator invites someone through the form. */
async function invite(name: string, email: string, role: string, teams: string[] = []) {
  await admin.getByRole('tab', { name: 'Users' }).click();
  await inviteForm().getByLabel('Full name').fill(name);
  await inviteForm().getByLabel('E-mail').fill(email);
  await inviteForm().getByLabel('Role').selectOption({ label: role });
  for (const team of teams) await inviteForm().getByLabel(team, { exact: true }).check();
  await inviteForm().getByRole('button', { name: 'Invite' }).click();
}

/** Rita invited through the API as a sales representative, into the team North. */
async function ritaInvited() {
  const north = await api('POST', '/api/teams', { name: 'North', supervisor: null });
  expect(north.status, JSON.stringify(north.body)).toBe(201);
  const invited = await api('POST', '/api/users', { email: rita, name: 'Rita Rep', role: 'sales-representative', teams: [north.body.id] });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
}

/** Rita invited, and her first sign-in done (she chose RITA_PASSWORD). */
async function ritaSignedIn(): Promise<User> {
  await ritaInvited();
  return app.acceptInvitation(rita, RITA_PASSWORD);
}

/**
 * A tab at the sign-in page, as the invitation's link opens it: nobody signed in (a session is
 * its tab's: no other tab's shows in it), in the app's browser (a browser of its own took seconds
 * to start, and proved nothing more).
 */
async function openInvitation(email: string) {
  const mail = latestMail(email);
  const page = await app.open(new URL(mail.data.signInUrl).pathname);
  return { page, temporaryPassword: mail.data.temporaryPassword };
}

describe("a sales rep's first day", () => {
  it('the administrator forms a team and invites the rep into it with name and role; the rep shows as Invited', async () => {
    await openAdmin();
    await admin.getByRole('heading', { name: 'Administration' }).waitFor();
    await admin.getByRole('tab', { name: 'Teams' }).click();
    await admin.getByLabel('Name', { exact: true }).fill('North');
    await admin.getByRole('button', { name: 'Create team' }).click();
    await admin.locator('tr[data-team="North"]').waitFor();

    await invite('Rita Rep', rita, 'Sales representative', ['North']);
    await admin.getByRole('status').filter({ hasText: `Invitation sent to ${rita}` }).waitFor();
    const row = userRow(rita);
    await expect.poll(() => row.textContent()).toContain('Rita Rep');
    expect(await row.getByLabel(`Role of ${rita}`).inputValue()).toBe('sales-representative');
    expect(await row.getByLabel('North').isChecked()).toBe(true);
    expect(await row.getByRole('cell').nth(3).textContent()).toContain('Invited');
    await row.getByRole('button', { name: 'Resend invitation' }).waitFor();
    await screenshot(admin, 'rep-first-day-0-admin-invited');
    // The mail says where to sign in, and for whom.
    const mail = latestMail(rita);
    expect(mail.text).toContain(`${app.cloud.url}/signin`);
    expect(mail.text).toContain(tenantAdmin.tenant);
  });

  it('a second invitation of the same e-mail is refused by name, and changes nothing', async () => {
    await ritaInvited();
    await openAdmin();
    await invite('Someone Else', rita, 'Marketing');
    const alert = inviteForm().getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain(`${rita} exists already`);
    expect(await userRow(rita).getByLabel(`Role of ${rita}`).inputValue()).toBe('sales-representative');
    await admin.reload();
    await pageReady(admin);
    expect(await userRow(rita).getByLabel(`Role of ${rita}`).inputValue()).toBe('sales-representative');
    expect(await userRow(rita).textContent()).toContain('Rita Rep');
    expect(app.cloud.identity.outbox.messages(rita)).toHaveLength(1);
  });

  it('Resend invitation mails a new temporary password', async () => {
    await ritaInvited();
    await openAdmin();
    const first = latestMail(rita).data.temporaryPassword;
    await userRow(rita).getByRole('button', { name: 'Resend invitation' }).click();
    await admin.getByRole('status').filter({ hasText: `Invitation sent to ${rita} again` }).waitFor();
    expect(app.cloud.identity.outbox.messages(rita)).toHaveLength(2);
    expect(latestMail(rita).data.temporaryPassword).not.toBe(first);
  });

  it('the rep reads the rules first, is refused a weak password without losing what was typed, then sets a good one', async () => {
    await ritaInvited();
    const { page, temporaryPassword } = await openInvitation(rita);
    await signIn(page, rita, temporaryPassword);
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    // The rules are there before the first try, tied to the box.
    const rules = page.locator('#new-password-rules');
    expect(await rules.textContent()).toContain('at least 8 characters');
    expect(await page.getByLabel('New password').getAttribute('aria-describedby')).toContain('new-password-rules');
    await screenshot(page, 'rep-first-day-1-choose-password');

    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('Your new password needs at least 8 characters.');
    // Still on this step, with what was typed; nothing asks for the temporary password again.
    expect(await page.getByLabel('New password').inputValue()).toBe('short');
    expect(await page.getByText('Enter your password.').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-password');
    await screenshot(page, 'rep-first-day-2-weak-password-refused');

    await page.getByLabel('New password').fill(RITA_PASSWORD);
    expect(await rules.textContent()).toContain('(done)');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/companies');
    expect(await page.getByTestId('current-user').textContent()).toBe(rita);
  });

  it('the rep sees an empty grid that says why (the team North has no companies yet) and how to start', async () => {
    const page = await app.page('/companies', { as: await ritaSignedIn() });
    await page.getByText('0 companies').waitFor();
    const empty = emptyGrid(page);
    await empty.waitFor();
    expect(await empty.textContent()).toContain('You see the companies of your team North, and no one in it owns one yet.');
    await empty.getByRole('button', { name: 'Add the first company' }).waitFor();
    // A rep may not import: the empty grid does not offer it.
    expect(await empty.textContent()).toContain('Start by adding a company.');
    expect(await empty.getByRole('button', { name: 'Import a file' }).count()).toBe(0);
    await screenshot(page, 'rep-first-day-3-empty-companies');

    // Own deals: says so.
    await page.getByRole('link', { name: 'Deals' }).click();
    await page.getByText('0 deals').waitFor();
    await expect.poll(() => emptyGrid(page).textContent()).toContain('You see your own deals, and you own none yet.');

    // Starting from the empty grid: the first company.
    await page.getByRole('link', { name: 'Companies' }).click();
    await emptyGrid(page).getByRole('button', { name: 'Add the first company' }).click();
    await page.getByRole('textbox', { name: 'Name of the new company' }).fill('Hooli');
    await page.keyboard.press('Enter');
    await waitForRows(page, 'Companies', 1);
    expect(await textOf(cellAt(page, 0, 'name'))).toBe('Hooli');
    expect(await emptyGrid(page).count()).toBe(0);
  });

  it('the administrator sees the rep who signed in as Active, with Reset password instead of Resend', async () => {
    await ritaSignedIn();
    await openAdmin();
    const row = userRow(rita);
    expect(await row.getByRole('cell').nth(3).textContent()).toContain('Active');
    await row.getByRole('button', { name: 'Reset password' }).waitFor();
    expect(await row.getByRole('button', { name: 'Resend invitation' }).count()).toBe(0);
    await screenshot(admin, 'rep-first-day-4-admin-users');
  });

  it("an administrator's empty grid offers to import a file, with the same Import dialog", async () => {
    admin = await app.page('/leads', { as: tenantAdmin });
    const empty = emptyGrid(admin);
    await expect.poll(() => empty.textContent()).toContain('There are no leads in this workspace yet.');
    expect(await empty.textContent()).toContain('Start by adding a lead, or by importing a spreadsheet saved as CSV.');
    await empty.getByRole('button', { name: 'Import a file' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Import leads from CSV' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(() => admin.evaluate(() => document.activeElement?.textContent)).toBe('Import a file');
  });

  it('a rep in no team is told why their grid is empty, and whom to ask', async () => {
    const page = await app.page('/companies', { as: await invitedUser(app, api, tenantAdmin.tenant, 'Tom Solo', 'sales-representative') });
    const empty = emptyGrid(page);
    await expect.poll(() => empty.textContent()).toContain('You see the companies of your teams, and you are in no team yet');
    expect(await empty.textContent()).toContain('Ask an administrator to add you to a team.');
    await screenshot(page, 'rep-first-day-5-no-team');
  });

  it('Forgot password: a code by mail, a new password, signed in', async () => {
    await ritaSignedIn();
    const page = await app.open('/signin');
    await page.getByLabel('Email').fill(rita);
    await screenshot(page, 'rep-first-day-6-sign-in');
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    // The e-mail typed is kept.
    expect(await page.getByLabel('Email').inputValue()).toBe(rita);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByRole('status').filter({ hasText: 'a code is on its way' }).waitFor();
    const code = latestMail(rita).data.code;
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel('Code from the e-mail').fill(code);
    await page.getByLabel('New password').fill('Rita-new-password-2!');
    await screenshot(page, 'rep-first-day-7-forgot-password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/companies');
    expect(await page.getByTestId('current-user').textContent()).toBe(rita);
  });
});
