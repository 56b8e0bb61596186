/**
 * People and related records by name in the grid, in Chromium against the whole stack: a user
 * cell shows the user's name and is picked from a combobox over the directory (typing part of a
 * name, arrows, Enter), a pasted e-mail resolves to its user and an ambiguous or unknown name is
 * refused with the reason; relation cells show the related records' names (GET
 * /api/{plural}/names), a company is picked for a contact with the keyboard, and a related record
 * the signed-in user may not see shows as a hidden record.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { pageReady, useApp, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, gridOf, recordBulkRequests, selectTextOnceShown, textOf } from '../support/grid.ts';
import { createRecord, emptyTypes, PATIENT, recordNamed } from '../support/seed.ts';

const app = useApp({ clipboard: true });
let page: Page;
const subs: Record<string, string> = {};
const ids: Record<string, string> = {};
const rep: User = { email: 'rep@demo.example', password: 'a rep password' };

beforeAll(async () => {
  // The directory: two Lees (a name shared: told apart by e-mail), one deactivated user.
  const people = [
    ['ann', 'Ann Lee', 'ann@demo.example'],
    ['bob', 'Bob Stone', 'bob@demo.example'],
    ['ann2', 'Ann Lee', 'ann.lee@demo.example'],
    ['gone', 'Gail Gone', 'gail@demo.example'],
  ];
  const invite = async ([key, name, email]: string[]) => {
    const invited = await app.api('POST', '/api/users', { email, name, role: 'sales-representative' });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    subs[key] = invited.body.sub;
    if (key === 'gone') expect((await app.api('PATCH', `/api/users/${invited.body.sub}`, { version: invited.body.version, fields: { active: false } })).status).toBe(200);
  };
  // A sales representative sees their own (and their team's) companies.
  await Promise.all([...people.map(invite), app.cloud.identity.createUser({ ...rep, tenant: 'demo', groups: ['sales-representative'] })]);
});

/** Each test's records: two companies, two contacts (Ada's at Acme), two activities (Call Ada Bob Stone's). */
beforeEach(async () => {
  await emptyTypes(app.api, 'activities', 'contacts', 'companies');
  // The grids show them by name: made at once.
  const id = async (plural: string, fields: Record<string, unknown>) => (await createRecord(app.api, plural, fields)).id;
  const acmesAda = async () => {
    ids.acme = await id('companies', { name: 'Acme Robotics', domain: 'acme.example' });
    ids.ada = await id('contacts', { name: 'Ada Contact', companyIds: [ids.acme] });
  };
  [, ids.globex, , ids.call, ids.email] = await Promise.all([
    acmesAda(),
    id('companies', { name: 'Globex Corporation', domain: 'globex.example' }),
    id('contacts', { name: 'Bea Contact' }),
    id('activities', { name: 'Call Ada', kind: 'call', assignee: subs.bob }),
    id('activities', { name: 'Email Bea', kind: 'email' }),
  ]);
});

const record = (plural: string, name: string) => recordNamed(app.api, plural, name);

/** Changes fields of a record the test made, before its page is opened. */
async function change(plural: string, id: string, fields: Record<string, unknown>) {
  const { body } = await app.api('GET', `/api/${plural}/${id}`);
  expect((await app.api('PATCH', `/api/${plural}/${id}`, { version: body.version, fields })).status).toBe(200);
}

async function paste(text: string) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
}

describe('user cells', () => {
  beforeEach(async () => {
    page = await app.page('/activities');
  });

  it('show the user by name, never by id', async () => {
    await expect.poll(() => textOf(cellAt(page, 0, 'assignee')), PATIENT).toBe('Bob Stone');
    expect(await textOf(cellAt(page, 1, 'assignee'))).toBe('');
    expect(await page.locator('revo-grid').textContent()).not.toContain(subs.bob);
  });

  it('picks an assignee by typing part of a name: only active users offered, arrows and Enter', async () => {
    await clickCell(page, 1, 'assignee');
    await page.keyboard.press('Enter');
    const box = page.getByRole('combobox', { name: 'Assignee, editing' });
    await box.waitFor();
    // Part of a name: both Ann Lees (a name shared: each with their e-mail), no one else.
    await box.fill('');
    await box.pressSequentially('lee');
    const options = page.getByRole('listbox', { name: 'Matching assignee' }).getByRole('option');
    await expect.poll(async () => (await options.allTextContents()).sort(), PATIENT).toEqual(['Ann Lee <ann.lee@demo.example>', 'Ann Lee <ann@demo.example>']);
    await screenshot(page, 'grid-pickers-user-combobox');
    const wanted = (await options.allTextContents()).indexOf('Ann Lee <ann@demo.example>');
    for (let i = 0; i < wanted; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[role=option][aria-selected=true]').textContent()).toBe('Ann Lee <ann@demo.example>');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await record('activities', 'Email Bea'))?.assignee, PATIENT).toBe(subs.ann);
    await expect.poll(() => textOf(cellAt(page, 1, 'assignee')), PATIENT).toBe('Ann Lee <ann@demo.example>');
  });

  it('offers no deactivated user, and Esc leaves the cell as it was', async () => {
    await clickCell(page, 0, 'assignee');
    await page.keyboard.press('Enter');
    const box = page.getByRole('combobox', { name: 'Assignee, editing' });
    await box.fill('');
    const options = page.getByRole('listbox', { name: 'Matching assignee' }).getByRole('option');
    await box.pressSequentially('bo');
    await expect.poll(() => options.allTextContents(), PATIENT).toEqual(['Bob Stonebob@demo.example']);
    // Gail Gone is deactivated: typing her name offers no one.
    await box.fill('');
    await box.pressSequentially('gail');
    await expect.poll(() => options.count(), PATIENT).toBe(0);
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Escape');
    await expect.poll(() => box.count()).toBe(0);
    expect(await textOf(cellAt(page, 0, 'assignee'))).toBe('Bob Stone');
    // The keyboard is back in the grid (a paste reaches the cell).
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('revo-grid')), PATIENT).toBe(true);
  });

  it('clears the box whose text is selected the moment the editor opens, and a Delete then typing replace it', async () => {
    // fill('') as Playwright does it, and a quick person: the text selected as soon as the box is
    // there, Delete, typing. The editor, done opening a moment later, must leave that selection be.
    await clickCell(page, 0, 'assignee');
    await selectTextOnceShown(page, 'Assignee, editing');
    await page.keyboard.press('Enter');
    const box = page.getByRole('combobox', { name: 'Assignee, editing' });
    await box.waitFor();
    await page.keyboard.press('Delete');
    await page.keyboard.type('bo');
    await expect.poll(() => box.inputValue(), PATIENT).toBe('bo');
    const options = page.getByRole('listbox', { name: 'Matching assignee' }).getByRole('option');
    await expect.poll(() => options.allTextContents(), PATIENT).toEqual(['Bob Stonebob@demo.example']);
    await page.keyboard.press('Escape');
    await expect.poll(() => box.count()).toBe(0);
    expect(await textOf(cellAt(page, 0, 'assignee'))).toBe('Bob Stone');
    // The keyboard is back in the grid (a paste reaches the cell).
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('revo-grid')), PATIENT).toBe(true);
  });

  it('takes a pasted e-mail as its user, and refuses a name two users share, with the reason', async () => {
    const bulk = recordBulkRequests(page);
    await clickCell(page, 0, 'assignee');
    await paste('ann.lee@demo.example');
    await expect.poll(async () => (await record('activities', 'Call Ada'))?.assignee, PATIENT).toBe(subs.ann2);
    expect(bulk.at(-1)?.changes).toEqual([expect.objectContaining({ field: 'assignee', value: subs.ann2 })]);
    const sent = bulk.length;

    await paste('Ann Lee');
    const cell = cellAt(page, 0, 'assignee');
    await expect.poll(() => cell.getAttribute('aria-invalid'), PATIENT).toBe('true');
    expect(await cell.getAttribute('aria-description')).toBe('2 users are named "Ann Lee": type their e-mail');
    expect(bulk.length).toBe(sent);
    expect((await record('activities', 'Call Ada'))?.assignee).toBe(subs.ann2);
    await screenshot(page, 'grid-pickers-user-refused');

    await paste('gail@demo.example');
    await expect.poll(() => cell.getAttribute('aria-description'), PATIENT).toBe('Gail Gone is deactivated');
  });

  it('keeps a second paste refused when the first paste of the cell is answered after it', async () => {
    // The order a busy machine makes: the first paste's answer comes after the second paste was
    // refused on the page (its name is read at once, not after the first save). It cleared the
    // refusal: the cell showed the first value as if nothing had been refused.
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/api/bulk', async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await clickCell(page, 0, 'assignee');
    await page.keyboard.press('Shift+ArrowDown');
    await paste('ann.lee@demo.example');
    await expect.poll(async () => (await record('activities', 'Email Bea'))?.assignee, PATIENT).toBe(subs.ann2);

    await clickCell(page, 0, 'assignee');
    await paste('Ann Lee');
    const cell = cellAt(page, 0, 'assignee');
    await expect.poll(() => cell.getAttribute('aria-invalid'), PATIENT).toBe('true');
    answer();
    // The first paste's answer is in once the other cell it wrote is no longer saving.
    await expect.poll(async () => (await cellAt(page, 1, 'assignee').getAttribute('class')) ?? '', PATIENT).not.toContain('cell-saving');
    expect(await cell.getAttribute('aria-invalid')).toBe('true');
    expect(await cell.getAttribute('aria-description')).toBe('2 users are named "Ann Lee": type their e-mail');
  });

  it('copies a user cell as the name, which pastes back as the same user', async () => {
    // Changed with the page open: the grid shows it as it follows the changes.
    await change('activities', ids.email, { assignee: subs.ann });
    await expect.poll(() => textOf(cellAt(page, 1, 'assignee')), PATIENT).toBe('Ann Lee <ann@demo.example>');
    await clickCell(page, 1, 'assignee');
    await page.keyboard.press('Control+C');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), PATIENT).toBe('Ann Lee <ann@demo.example>');
    await clickCell(page, 0, 'assignee');
    await page.keyboard.press('Control+V');
    await expect.poll(async () => (await record('activities', 'Call Ada'))?.assignee, PATIENT).toBe(subs.ann);
  });
});

describe('the record card', () => {
  it('picks a user from the same list as the grid', async () => {
    await change('activities', ids.call, { assignee: subs.ann });
    page = await app.page('/activities');
    await clickCell(page, 0, 'name');
    await page.keyboard.press('Alt+Enter');
    const card = page.getByRole('dialog');
    const box = card.getByRole('combobox', { name: 'Assignee' });
    await expect.poll(() => box.inputValue(), PATIENT).toBe('Ann Lee <ann@demo.example>');
    await box.fill('stone');
    await expect.poll(() => card.getByRole('listbox', { name: 'Users for Assignee' }).getByRole('option').allTextContents(), PATIENT).toEqual(['Bob Stone bob@demo.example']);
    await screenshot(page, 'grid-pickers-card-user');
    await box.press('Enter');
    await expect.poll(async () => (await record('activities', 'Call Ada'))?.assignee, PATIENT).toBe(subs.bob);
    await expect.poll(() => box.inputValue(), PATIENT).toBe('Bob Stone');
    await expect.poll(() => textOf(cellAt(page, 0, 'assignee')), PATIENT).toBe('Bob Stone');
  });

  it('sorts and filters a user column by the names shown', async () => {
    // Call Ada is Bob Stone's, Email Bea Ann Lee's: by name Ann first (by id, either could be).
    await change('activities', ids.email, { assignee: subs.ann });
    page = await app.page('/activities?s=assignee');
    await expect.poll(() => textOf(cellAt(page, 0, 'name')), PATIENT).toBe('Email Bea');
    expect(await textOf(cellAt(page, 1, 'name'))).toBe('Call Ada');
    // The directory answers after the rows are drawn, as on a busy machine: until then the filter
    // by an assignee's name matched nothing, and the page said it was ready with no row.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/users', async (route) => {
      await held;
      await route.continue();
    });
    const listening = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/changes', PATIENT);
    await page.goto(`${app.cloud.url}/activities?f=${encodeURIComponent('assignee.contains."stone"')}`);
    await listening;
    await page.locator('revo-grid[data-rows-shown]').waitFor({ state: 'attached' });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(await page.locator('main [data-ready]').count()).toBe(0);
    release();
    await pageReady(page);
    expect(await gridOf(page, 'Activities').getAttribute('aria-rowcount')).toBe('2');
    await expect.poll(() => textOf(cellAt(page, 0, 'name')), PATIENT).toBe('Call Ada');
  });
});

describe('the owner column', () => {
  it('hands a record to a user picked by typing part of their name', async () => {
    page = await app.page('/activities?c=name,owner');
    await expect.poll(() => textOf(cellAt(page, 0, 'owner')), PATIENT).not.toBe('…');
    await clickCell(page, 0, 'owner');
    await page.keyboard.press('Enter');
    const box = page.getByRole('combobox', { name: 'Owner, editing' });
    await box.fill('');
    await box.pressSequentially('ston');
    await expect.poll(() => page.getByRole('listbox', { name: 'Matching owner' }).getByRole('option').allTextContents(), PATIENT).toEqual(['Bob Stonebob@demo.example']);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await record('activities', 'Call Ada'))?.owner, PATIENT).toBe(subs.bob);
    await expect.poll(() => textOf(cellAt(page, 0, 'owner')), PATIENT).toBe('Bob Stone');
  });
});

describe('relation cells', () => {
  it('show the related record by name, asked for in one batch request', async () => {
    const asked: string[] = [];
    page = await app.page('/contacts', {
      beforeGoto: (tab) =>
        tab.on('request', (request: Request) => {
          if (new URL(request.url()).pathname.endsWith('/names')) asked.push(request.url());
        }),
    });
    await expect.poll(() => textOf(cellAt(page, 0, 'companyIds')), PATIENT).toBe('Acme Robotics');
    expect(asked).toHaveLength(1);
    expect(new URL(asked[0]).searchParams.get('ids')).toBe(ids.acme);
  });

  it('picks a company for a contact with the keyboard: name and domain offered', async () => {
    page = await app.page('/contacts');
    await clickCell(page, 1, 'companyIds');
    await page.keyboard.press('Enter');
    const box = page.getByRole('combobox', { name: 'Companies, editing' });
    await box.waitFor();
    await box.pressSequentially('glob');
    const options = page.getByRole('listbox', { name: 'Matching companies' }).getByRole('option');
    await expect.poll(() => options.allTextContents(), PATIENT).toEqual(['Globex Corporationglobex.example']);
    await screenshot(page, 'grid-pickers-relation-search');
    // A contact has several companies: Enter picks one as a chip, Enter again saves the cell.
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: 'Companies: linked records' }).getByText('Globex Corporation').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await record('contacts', 'Bea Contact'))?.companyIds, PATIENT).toEqual([ids.globex]);
    await expect.poll(() => textOf(cellAt(page, 1, 'companyIds')), PATIENT).toBe('Globex Corporation');
  });

  it('adds a second company to a contact, keeping the first', async () => {
    page = await app.page('/contacts');
    await clickCell(page, 0, 'companyIds');
    await page.keyboard.press('Enter');
    const box = page.getByRole('combobox', { name: 'Companies, editing' });
    await box.waitFor();
    // The companies there already are chips; the box searches for one more.
    await expect.poll(() => page.getByRole('list', { name: 'Companies: linked records' }).getByRole('listitem').first().textContent()).toContain('Acme Robotics');
    expect(await box.inputValue()).toBe('');
    await box.pressSequentially('glo');
    await expect.poll(() => page.getByRole('listbox', { name: 'Matching companies' }).getByRole('option').count(), PATIENT).toBe(1);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await record('contacts', 'Ada Contact'))?.companyIds, PATIENT).toEqual([ids.acme, ids.globex]);
    await expect.poll(() => textOf(cellAt(page, 0, 'companyIds')), PATIENT).toBe('Acme Robotics; Globex Corporation');
    await screenshot(page, 'grid-pickers-relation-names');
  });

  it('shows the same names as chips in the record card', async () => {
    await change('contacts', ids.ada, { companyIds: [ids.acme, ids.globex] });
    page = await app.page('/contacts');
    await clickCell(page, 0, 'name');
    await page.keyboard.press('Alt+Enter');
    const chips = page.getByRole('dialog', { name: 'Ada Contact' }).getByRole('list', { name: 'Companies: linked records' });
    await chips.getByRole('button', { name: 'Acme Robotics', exact: true }).waitFor();
    await chips.getByRole('button', { name: 'Globex Corporation', exact: true }).waitFor();
    await screenshot(page, 'grid-pickers-card-chips');
  });

  it('shows a related record the signed-in user may not see as a hidden record', async () => {
    // Acme is the admin's: the representative does not see it.
    const repApi = await app.apiAs(rep);
    const own = await createRecord(repApi, 'companies', { name: 'Rep Own Co' });
    // The rep may not link a company they cannot see: the administrator did, and handed the contact over.
    const linked = await createRecord(app.api, 'contacts', { name: 'Rep Contact', companyIds: [ids.acme, own.id] });
    const repSub = (await repApi('GET', '/api/me')).body.sub;
    expect((await app.api('PATCH', `/api/contacts/${linked.id}/owner`, { version: linked.version, owner: repSub })).status).toBe(200);
    const repPage = await app.page('/contacts', { as: rep });
    expect(await gridOf(repPage, 'Contacts').getAttribute('aria-rowcount')).toBe('2');
    await expect.poll(() => textOf(cellAt(repPage, 0, 'companyIds')), PATIENT).toBe('Hidden record; Rep Own Co');
    expect(await repPage.locator('revo-grid').textContent()).not.toContain('Acme');
    await screenshot(repPage, 'grid-pickers-hidden-record');
  });
});
