/**
 * A task assigned to someone is theirs (issue 13, item 1), in Chromium as it was found: the
 * administrator adds "Call Hooli about renewal" in the Activities grid with the rep as assignee;
 * the rep signs in (another browser) and sees it in their Activities grid, also after a reload,
 * and in the Inbox (once My tasks) with the count of tasks due in the navigation; marks it done from the keyboard,
 * and the count goes down. My tasks is live: a task the administrator assigns to the rep appears,
 * one taken from them goes, and a record reassigned away leaves the rep's grid too. Each test in
 * a tenant of its own, the rep invited and their day of tasks made through the API for it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageReady, signIn, useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, columnShown, textOf, waitForRows } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';
import { inboxCount, inboxLink } from '../support/inbox-link.ts';

const DAY = 24 * 60 * 60 * 1000;
const app = useApp();

let admin: User & { tenant: string };
let adminApi: Api;
/** The rep, invited in each test's tenant (an e-mail has one account, whichever the tenant). */
let REP: User & { name: string };
let ritaSub: string;
const ids: Record<string, string> = {};

beforeEach(async () => {
  admin = await app.newTenant();
  adminApi = await app.apiAs(admin);
  REP = { email: `rita@${admin.tenant}.example`, name: 'Rita Rep', password: 'Rita-chose-this-1!' };
  const invited = await adminApi('POST', '/api/users', { email: REP.email, name: REP.name, role: 'sales-representative' });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  ritaSub = invited.body.sub;
});

/**
 * The rep's day: the call the administrator assigned (due a minute ago), an overdue offer to prepare, a contract to send in three days about their own
 * company Hooli, a kick-off already done; and the administrator's own call, which is not the rep's.
 */
async function ritasDay() {
  const activity = async (fields: Record<string, unknown>) => (await createRecord(adminApi, 'activities', fields)).id;
  const aboutHooli = async (fields: Record<string, unknown>) => {
    const hooli = await createRecord(adminApi, 'companies', { name: 'Hooli' });
    expect((await adminApi('PATCH', `/api/companies/${hooli.id}/owner`, { version: 1, owner: ritaSub })).status).toBe(200);
    return activity({ ...fields, companyId: hooli.id });
  };
  // Independent of each other: made at once.
  [ids.call, ids.offer, ids.contract, ids.kickoff, ids.own] = await Promise.all([
    activity({ name: 'Call Hooli about renewal', kind: 'call', assignee: ritaSub, dueAt: new Date(Date.now() - 60_000).toISOString() }),
    activity({ name: 'Prepare the renewal offer', kind: 'task', assignee: ritaSub, dueAt: new Date(Date.now() - DAY).toISOString() }),
    aboutHooli({ name: 'Send Hooli the signed contract', kind: 'email', assignee: ritaSub, dueAt: new Date(Date.now() + 3 * DAY).toISOString() }),
    activity({ name: 'Book the kick-off', kind: 'meeting', assignee: ritaSub, done: true }),
    activity({ name: 'Admin call to the board', kind: 'call', dueAt: new Date(Date.now() - DAY).toISOString() }),
  ]);
}

/** A page of the rep's at `path`, their day made and their invitation accepted. */
async function repAt(path: string): Promise<Page> {
  const [, rep] = await Promise.all([ritasDay(), app.acceptInvitation(REP.email, REP.password)]);
  return app.page(path, { as: rep });
}

const record = async (id: string) => (await adminApi('GET', `/api/activities/${id}`)).body;
const activityNamed = async (name: string) => ((await adminApi('GET', '/api/activities?limit=100')).body.items as Array<{ id: string; name: string }>).find((item) => item.name === name);
/** A time as the grid's date-time cells read it (UTC, to the minute). */
const cellTime = (time: number) => new Date(time).toISOString().slice(0, 16).replace('T', ' ');

const taskList = (page: Page) => page.getByRole('tabpanel');
const taskTitles = (page: Page) => taskList(page).locator('button.task .title').allTextContents();
const focusedTask = (page: Page) => page.evaluate(() => document.activeElement?.querySelector('.title')?.textContent ?? null);

describe('a task assigned to the rep', () => {
  it('the administrator adds it in the Activities grid: name, assignee, due time', async () => {
    const page = await app.page('/activities', { as: admin });
    await page.getByRole('button', { name: 'Add activity' }).first().click();
    await page.getByRole('textbox', { name: 'Name of the new activity' }).fill('Call Hooli about renewal');
    await page.keyboard.press('Enter');
    await waitForRows(page, 'Activities', 1);
    // The new row's name is being edited: leave it as it is.
    await page.keyboard.press('Escape');
    const call = (await activityNamed('Call Hooli about renewal'))!;

    await clickCell(page, 0, 'assignee');
    await page.keyboard.press('Enter');
    const box = page.getByRole('combobox', { name: 'Assignee, editing' });
    await box.fill('');
    await box.pressSequentially('rita');
    await expect.poll(() => page.getByRole('listbox', { name: 'Matching assignee' }).getByRole('option').allTextContents(), PATIENT).toEqual([`${REP.name}${REP.email}`]);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await record(call.id)).assignee, PATIENT).toBe(ritaSub);

    // Due a minute ago: overdue wherever the browser's day is.
    const due = cellTime(Date.now() - 60_000);
    await clickCell(page, 0, 'dueAt');
    await page.keyboard.type(due);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await record(call.id)).dueAt, PATIENT).toBe(`${due.replace(' ', 'T')}:00Z`);
    await expect.poll(() => textOf(cellAt(page, 0, 'assignee')), PATIENT).toBe(REP.name);
  });

  it('the rep signs in and sees the count of tasks due beside My tasks', async () => {
    await ritasDay();
    const rep = await app.open('/signin');
    await signIn(rep, REP.email, app.temporaryPassword(REP.email));
    await rep.getByLabel('New password').fill(REP.password);
    await rep.getByRole('button', { name: 'Set password and sign in' }).click();
    await rep.waitForURL((url) => url.pathname === '/companies');
    // Two are due (both overdue); the one in three days and the one done are not.
    await expect.poll(() => inboxCount(rep), PATIENT).toBe(2);
    expect(await inboxLink(rep).getAttribute('href')).toBe('/inbox');
    expect(await inboxLink(rep).textContent()).toContain('2 due today or overdue');
    console.log(`screenshot: ${await screenshot(rep, 'my-tasks-0-navigation-count')}`);
  });

  it('sees the assigned activities in their Activities grid, also after a reload', async () => {
    const rep = await repAt('/activities');
    const names = async () => (await columnShown(rep, 'name')).sort();
    const theirs = ['Book the kick-off', 'Call Hooli about renewal', 'Prepare the renewal offer', 'Send Hooli the signed contract'];
    await waitForRows(rep, 'Activities', 4);
    await expect.poll(names, PATIENT).toEqual(theirs);
    await rep.reload();
    await pageReady(rep);
    await waitForRows(rep, 'Activities', 4);
    await expect.poll(names, PATIENT).toEqual(theirs);
  });

  it('finds them in My tasks: open ones most overdue first, with tabs that count each list', async () => {
    const rep = await repAt('/companies');
    await inboxLink(rep).click();
    await rep.getByRole('heading', { name: 'Inbox' }).waitFor();
    await expect.poll(() => taskTitles(rep), PATIENT).toEqual(['Prepare the renewal offer', 'Call Hooli about renewal', 'Send Hooli the signed contract']);
    const tab = (name: string) => rep.getByRole('tab', { name: new RegExp(`^${name}`) });
    expect(await tab('Mine').textContent()).toContain('3');
    expect(await tab('Overdue').textContent()).toContain('2');
    expect(await tab('Done').textContent()).toContain('1');
    expect(await taskList(rep).locator('.group').allTextContents()).toEqual(['Overdue', 'Upcoming']);
    // What a task is about, by name (the rep's own company).
    await expect.poll(() => taskList(rep).locator('button.task').nth(2).locator('.about').textContent(), PATIENT).toBe('Hooli');
    // Keyboard-first: the first task has the focus.
    await expect.poll(() => focusedTask(rep), PATIENT).toBe('Prepare the renewal offer');
    console.log(`screenshot: ${await screenshot(rep, 'my-tasks-1-mine')}`);
  });

  it('opens a task\'s card with Enter, and marks it done with X: the count goes down', async () => {
    const rep = await repAt('/inbox');
    await expect.poll(() => focusedTask(rep), PATIENT).toBe('Prepare the renewal offer');
    await expect.poll(() => inboxCount(rep), PATIENT).toBe(2);
    await rep.keyboard.press('ArrowDown');
    await expect.poll(() => focusedTask(rep)).toBe('Call Hooli about renewal');
    await rep.keyboard.press('Enter');
    const card = rep.getByRole('dialog', { name: 'Call Hooli about renewal' });
    await card.waitFor();
    console.log(`screenshot: ${await screenshot(rep, 'my-tasks-2-card')}`);
    await rep.keyboard.press('Escape');
    await expect.poll(() => card.count()).toBe(0);
    await expect.poll(() => focusedTask(rep)).toBe('Call Hooli about renewal');

    await rep.keyboard.press('x');
    await rep.getByRole('status').filter({ hasText: 'Marked “Call Hooli about renewal” done.' }).waitFor();
    await expect.poll(async () => (await record(ids.call)).done, PATIENT).toBe(true);
    expect((await record(ids.call)).updatedBy).toBe(ritaSub);
    expect(await taskTitles(rep)).toEqual(['Prepare the renewal offer', 'Send Hooli the signed contract']);
    await expect.poll(() => inboxCount(rep), PATIENT).toBe(1);
    // The focus went to the task that took its place.
    expect(await focusedTask(rep)).toBe('Send Hooli the signed contract');
    console.log(`screenshot: ${await screenshot(rep, 'my-tasks-3-marked-done')}`);

    // Done: the latest first; X there opens it again, and Undo is the same.
    await rep.keyboard.press('4');
    await expect.poll(() => taskTitles(rep)).toEqual(['Call Hooli about renewal', 'Book the kick-off']);
    await rep.getByRole('status').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => inboxCount(rep), PATIENT).toBe(2);
    await expect.poll(async () => (await record(ids.call)).done, PATIENT).toBe(false);
    await rep.keyboard.press('1');
    await expect.poll(() => taskTitles(rep)).toEqual(['Prepare the renewal offer', 'Call Hooli about renewal', 'Send Hooli the signed contract']);
    await rep.keyboard.press('ArrowDown');
    await rep.keyboard.press('x');
    await expect.poll(() => inboxCount(rep), PATIENT).toBe(1);
  });

  it('follows the change feed: a task assigned to the rep appears, one taken from them goes', async () => {
    const rep = await repAt('/inbox');
    await expect.poll(() => taskTitles(rep), PATIENT).toEqual(['Prepare the renewal offer', 'Call Hooli about renewal', 'Send Hooli the signed contract']);
    ids.agenda = (await createRecord(adminApi, 'activities', { name: 'Email Hooli the agenda', kind: 'email', assignee: ritaSub, dueAt: new Date(Date.now() - 2 * DAY).toISOString() })).id;
    await expect.poll(() => taskTitles(rep), PATIENT).toEqual(['Email Hooli the agenda', 'Prepare the renewal offer', 'Call Hooli about renewal', 'Send Hooli the signed contract']);
    await expect.poll(() => inboxCount(rep), PATIENT).toBe(3);

    const offer = await record(ids.offer);
    const taken = await adminApi('PATCH', `/api/activities/${ids.offer}`, { version: offer.version, fields: { assignee: null } });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    await expect.poll(() => taskTitles(rep), PATIENT).toEqual(['Email Hooli the agenda', 'Call Hooli about renewal', 'Send Hooli the signed contract']);
    await expect.poll(() => inboxCount(rep), PATIENT).toBe(2);
  });

  it('a record reassigned away leaves the rep\'s Activities grid live', async () => {
    const rep = await repAt('/activities');
    await waitForRows(rep, 'Activities', 4);
    await expect.poll(() => inboxCount(rep), PATIENT).toBe(2);
    const contract = await record(ids.contract);
    const moved = await adminApi('PATCH', `/api/activities/${ids.contract}`, { version: contract.version, fields: { assignee: (await adminApi('GET', '/api/me')).body.sub } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await waitForRows(rep, 'Activities', 3);
    await expect.poll(async () => (await columnShown(rep, 'name')).sort(), PATIENT).toEqual(['Book the kick-off', 'Call Hooli about renewal', 'Prepare the renewal offer']);
    // And My tasks: its count is of what is due, which the moved task was not.
    expect(await inboxCount(rep)).toBe(2);
  });
});
