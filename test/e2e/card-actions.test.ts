/**
 * Working from the record card, in Chromium against the whole stack, as a salesperson does: the
 * company's address typed part by part (a bad part named, nothing sent); a contact and a deal
 * added from the card's related lists, linked to the company and opened in the card; a call
 * logged on the deal (an activity of the signed-in user, now, linked to the deal and its
 * company) and a note on the company, each then listed among the related activities. Each test
 * in a tenant of its own, on Acme's card opened for it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { waitForRows } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';

const app = useApp();
let page: Page;
let api: Api;
let acme: { id: string };
let me: string;

let admin: User;

/** A tenant of the test's own with one company, Acme Rockets. */
beforeEach(async () => {
  admin = await app.newTenant();
  api = await app.apiAs(admin);
  me = (await api('GET', '/api/me')).body.sub;
  acme = await createRecord(api, 'companies', { name: 'Acme Rockets' });
});

/** Acme's card, opened from the companies' grid. */
async function openAcme() {
  page = await app.page('/companies', { as: admin });
  await waitForRows(page, 'Companies', 1);
  await page.locator('revo-grid .rowHeaders [data-rgrow="0"]').first().dblclick();
  await card().getByRole('heading', { name: 'Acme Rockets' }).waitFor();
}

const card = () => page.getByRole('dialog');
const section = (title: string) => card().getByRole('region', { name: title });
const related = (plural: string) => section('Related records').locator(`[data-related="${plural}"]`);
const listed = async (plural: string) => related(plural).locator('li .name').allTextContents();
const all = async (plural: string) => (await api('GET', `/api/${plural}?limit=100`)).body.items as Array<Record<string, any>>;

describe('the record card acts', () => {
  it('edits the address part by part, and names a bad part without sending it', async () => {
    await openAcme();
    const part = (name: string) => card().getByLabel(`Address: ${name}`, { exact: true });
    await part('Street').fill('1 Rocket Road');
    await part('Postal code').fill('10115');
    await part('City').fill('Berlin');
    await part('Country').fill('de');
    // Leaving the address saves it whole.
    await card().getByLabel('Industry', { exact: true }).focus();
    await expect.poll(async () => (await api('GET', `/api/companies/${acme.id}`)).body, PATIENT).toMatchObject({
      address: { street: '1 Rocket Road', postalCode: '10115', city: 'Berlin', country: 'DE' },
      version: 2,
    });
    await expect.poll(() => part('Country').inputValue(), PATIENT).toBe('DE');

    await part('Country').fill('Germany');
    await part('Country').press('Enter');
    await expect.poll(() => section('Fields').getByRole('alert').textContent(), PATIENT).toBe('Country must be a two-letter country code like DE.');
    expect(await part('Country').getAttribute('aria-invalid')).toBe('true');
    expect((await api('GET', `/api/companies/${acme.id}`)).body.version).toBe(2);
    await part('Street').scrollIntoViewIfNeeded();
    await screenshot(page, 'card-address-refused');
    // Esc gives the edit up (the card stays open).
    await part('Country').press('Escape');
    expect(await part('Country').inputValue()).toBe('DE');
    expect(await card().count()).toBe(1);
  });

  it('adds a contact and a deal from the related lists, linked to the company and opened in the card', async () => {
    await openAcme();
    await related('contacts').getByRole('button', { name: 'Add a contact to Acme Rockets' }).click();
    await card().getByLabel('Name of the new contact').fill('Ada Lovelace');
    await card().getByLabel('Name of the new contact').press('Enter');
    await card().getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    const ada = (await all('contacts')).find((c) => c.name === 'Ada Lovelace')!;
    expect(ada.companyIds).toEqual([acme.id]);
    await card().getByRole('button', { name: 'Back to the previous record' }).click();
    await card().getByRole('heading', { name: 'Acme Rockets' }).waitFor();
    await expect.poll(() => listed('contacts'), PATIENT).toEqual(['Ada Lovelace']);

    await related('deals').getByRole('button', { name: 'Add a deal to Acme Rockets' }).click();
    await card().getByLabel('Name of the new deal').fill('Acme renewal');
    await card().getByRole('button', { name: 'Add', exact: true }).click();
    await card().getByRole('heading', { name: 'Acme renewal' }).waitFor();
    // A new deal starts in the pipeline's first stage.
    await expect.poll(() => card().getByLabel('Stage', { exact: true }).inputValue(), PATIENT).toBe('new');
    const deal = (await all('deals')).find((d) => d.name === 'Acme renewal')!;
    expect(deal).toMatchObject({ companyId: acme.id, stage: 'new' });
    await screenshot(page, 'card-deal-added');
  });

  it('logs a call on the deal and a note on the company, as the signed-in user, now', async () => {
    const deal = await createRecord(api, 'deals', { name: 'Acme renewal', companyId: acme.id });
    await openAcme();
    // The deal, opened from the company's related deals.
    await expect.poll(() => listed('deals'), PATIENT).toEqual(['Acme renewal']);
    await related('deals').getByRole('button', { name: /^Acme renewal/ }).click();
    await card().getByRole('heading', { name: 'Acme renewal' }).waitFor();
    const log = section('Log a call or note');
    expect(await log.getByRole('radio', { name: 'Call' }).isChecked()).toBe(true);
    await log.getByLabel('Notes').fill('Asked for a quote by Friday.');
    const before = Date.now();
    await log.getByRole('button', { name: 'Log call' }).click();
    await expect.poll(() => log.getByRole('status').textContent(), PATIENT).toBe('Call logged: “Call with Acme renewal”.');
    const after = Date.now();
    await expect.poll(() => listed('activities'), PATIENT).toEqual(['Call with Acme renewal']);
    const call = (await all('activities')).find((a) => a.name === 'Call with Acme renewal')!;
    expect(call).toMatchObject({ kind: 'call', done: true, assignee: me, notes: 'Asked for a quote by Friday.', dealId: deal.id, companyId: acme.id });
    expect(Date.parse(call.dueAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(call.dueAt)).toBeLessThanOrEqual(after);
    await screenshot(page, 'card-call-logged');

    await card().getByRole('button', { name: 'Back to the previous record' }).click();
    await card().getByRole('heading', { name: 'Acme Rockets' }).waitFor();
    // The company lists the deal's call as its own too.
    await expect.poll(() => listed('activities'), PATIENT).toEqual(['Call with Acme renewal']);
    await log.getByRole('radio', { name: 'Note' }).check();
    await log.getByLabel('Subject').fill('Prefers e-mail to calls');
    await log.getByRole('button', { name: 'Log note' }).click();
    await expect.poll(() => listed('activities'), PATIENT).toEqual(['Call with Acme renewal', 'Prefers e-mail to calls']);
    const note = (await all('activities')).find((a) => a.name === 'Prefers e-mail to calls')!;
    expect(note).toMatchObject({ kind: 'note', done: true, assignee: me, companyId: acme.id });
    expect(note.dealId).toBeUndefined();
    await screenshot(page, 'card-company-acts');
  });
});
