/**
 * The quick sale through the browser (issue 16), in Chromium against the whole stack: a sales
 * rep starts one with two product lines from a company's card; a warehouse user claims and
 * completes its fulfilment in the Inbox (the form's refused fields named by the server, the
 * company's card beside it), the navigation's count following live; a supervisor reassigns their
 * team's tasks, two at once; a quick sale is started for each company of a grid selection, a
 * result per company. Each test in a tenant of its own: a Warehouse team supervised by
 * Sue, Walt in it, Rita the rep who owns Acme Rockets, a catalogue of two products, and the quick
 * sale configured so that the Warehouse fulfils it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { invitedUser, useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { clickCell, selectedRange, waitForRows } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';
import { inboxCount, inboxLink } from '../support/inbox-link.ts';

const app = useApp();

let adminApi: Api;
let tenant: string;
let warehouse: string;
const people: Record<'rita' | 'walt' | 'wanda' | 'sue', User & { sub: string; name: string }> = {} as never;
let acme: { id: string };

const FULFILMENT_FORM = {
  fields: [
    { key: 'shippedOn', label: 'Shipped on', type: 'date', required: true },
    { key: 'parcels', label: 'Parcels', type: 'number', required: true, integer: true, min: 1 },
    { key: 'note', label: 'Note', type: 'long_text' },
  ],
};

/** Invites a user of the test's tenant and accepts the invitation: ready to open pages as. */
const invite = (name: string, role: string, teams: string[] = []) => invitedUser(app, adminApi, tenant, name, role, teams);

beforeEach(async () => {
  const admin = await app.newTenant();
  tenant = admin.tenant;
  adminApi = await app.apiAs(admin);
  warehouse = (await adminApi('POST', '/api/teams', { name: 'Warehouse', supervisor: null })).body.id;
  // What follows is independent, made at once: the people, then what needs them.
  [people.rita, people.walt, people.wanda, people.sue] = await Promise.all([
    invite('Rita Rep', 'sales-representative'),
    invite('Walt Packer', 'service-agent', [warehouse]),
    invite('Wanda Shipper', 'service-agent', [warehouse]),
    invite('Sue Visor', 'sales-manager'),
  ]);
  const supervised = async () => {
    const team = (await adminApi('GET', '/api/teams')).body.items.find((each: any) => each.id === warehouse);
    expect((await adminApi('PATCH', `/api/teams/${warehouse}`, { version: team.version, fields: { supervisor: people.sue.sub } })).status).toBe(200);
  };
  const configured = async () => {
    const { version } = (await adminApi('GET', '/api/processes/quick-sale/config')).body;
    const saved = await adminApi('PUT', '/api/processes/quick-sale/config', {
      version,
      config: {
        fulfilment: [{ name: 'Pack and ship', team: warehouse, form: FULFILMENT_FORM, due: { amount: 3, unit: 'days' } }],
        qc: { team: warehouse, delay: 2, threshold: 3, due: { amount: 2, unit: 'days' } },
        followUp: { due: { amount: 2, unit: 'days' } },
        reminderShare: 0.5,
        escalation: 'supervisor',
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  };
  await Promise.all([
    supervised(),
    configured(),
    createRecord(adminApi, 'products', { name: 'Widget', sku: 'W-1', price: { amount: '12.50', currency: 'EUR' } }),
    createRecord(adminApi, 'products', { name: 'Gadget', sku: 'G-1', price: { amount: '99.99', currency: 'EUR' } }),
    ritasCompany('Acme Rockets').then((company) => (acme = company)),
  ]);
});

/** A company created by the administrator and handed to Rita. */
async function ritasCompany(name: string) {
  const company = await createRecord(adminApi, 'companies', { name });
  expect((await adminApi('PATCH', `/api/companies/${company.id}/owner`, { version: 1, owner: people.rita.sub })).status).toBe(200);
  return company;
}

/** A quick sale on Acme started by Rita through the API (a retry of `key` is the same sale). */
async function saleStarted(key: string, quantity = 1): Promise<string> {
  const rita = await app.apiAs(people.rita);
  const started = await rita('POST', `/api/companies/${acme.id}/processes`, {
    process: 'quick-sale',
    idempotencyKey: key,
    input: { lines: [{ name: 'Widget', quantity, unitPrice: { amount: '12.50', currency: 'EUR' } }], delivery: { address: '1 Rocket Road, Berlin', date: '2026-12-20' } },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body.id;
}

/** The Warehouse's task of the sale, once offered (as the administrator, who supervises every team, finds it). */
async function taskOf(instance: string): Promise<any> {
  let found: any;
  await expect
    .poll(async () => (found = (await adminApi('GET', '/api/tasks?view=supervised&limit=100')).body.items.find((task: any) => task.instance === instance)), PATIENT)
    .toBeDefined();
  return found;
}

const titles = (page: Page) => page.getByRole('tabpanel').locator('button.task .title').allTextContents();
const focused = (page: Page) => page.evaluate(() => document.activeElement?.querySelector('.title')?.textContent ?? document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id ?? null);
const tab = (page: Page, name: string) => page.getByRole('tab', { name: new RegExp(`^${name}`) });

describe('a quick sale from the company\'s card', () => {
  it('the rep orders two product lines from the catalogue: line amounts and the total as typed, then the sale shows on the card', async () => {
    const page = await app.page('/companies', { as: people.rita });
    await waitForRows(page, 'Companies', 1);
    await page.locator('revo-grid .rowHeaders [data-rgrow="0"]').first().dblclick();
    const card = page.getByRole('dialog', { name: 'Acme Rockets' });
    const processes = card.getByRole('region', { name: 'Processes' });
    await processes.getByText('No process has run on this company.').waitFor();
    await processes.getByRole('button', { name: 'Start quick sale' }).click();

    const form = page.getByRole('dialog', { name: 'Quick sale for Acme Rockets' });
    await form.getByRole('radio', { name: 'This company' }).waitFor();
    expect(await form.getByRole('radio', { name: 'This company' }).isChecked()).toBe(true);
    // Line 1: a Widget from the catalogue (its price comes with it), two of them.
    await form.getByRole('combobox', { name: 'Product of line 1' }).pressSequentially('Wid');
    await form.getByRole('option', { name: /Widget/ }).click();
    await expect.poll(() => form.getByLabel('Unit price of line 1').inputValue(), PATIENT).toBe('12.50');
    await form.getByLabel('Quantity of line 1').fill('2');
    // Line 2: a Gadget at half price.
    await form.getByRole('button', { name: 'Add a line' }).click();
    await form.getByRole('combobox', { name: 'Product of line 2' }).pressSequentially('Gad');
    await form.getByRole('option', { name: /Gadget/ }).click();
    await expect.poll(() => form.getByLabel('Unit price of line 2').inputValue(), PATIENT).toBe('99.99');
    await form.getByLabel('Discount of line 2').fill('50');
    expect(await form.getByLabel('Amount of line 1').textContent()).toBe('25.00 EUR');
    expect(await form.getByLabel('Amount of line 2').textContent()).toBe('50.00 EUR');
    expect(await form.getByLabel('Total').textContent()).toBe('75.00 EUR');
    await form.getByLabel('Address').fill('1 Rocket Road, 10115 Berlin');
    await form.getByLabel('Date').fill('2026-12-20');
    await form.getByLabel('Notes').fill('Ring at the loading dock.');
    console.log(`screenshot: ${await screenshot(page, 'inbox-1-order-form')}`);
    await form.getByRole('button', { name: 'Start quick sale' }).click();

    await expect.poll(() => form.count(), PATIENT).toBe(0);
    await processes.getByRole('status').filter({ hasText: 'Quick sale started.' }).waitFor();
    const instance = processes.getByRole('list', { name: 'Processes of this company' }).getByRole('listitem');
    await expect.poll(() => instance.count(), PATIENT).toBe(1);
    const id = await instance.getAttribute('data-instance');
    // Its order reached the process: the Warehouse is offered the packing, and the card follows it to that step.
    const task = await taskOf(id!);
    expect(task).toMatchObject({ title: 'Pack and ship', team: warehouse, subject: { type: 'company', id: acme.id } });
    const listed = (await adminApi('GET', `/api/processes/instances?subject=company:${acme.id}`)).body.items;
    expect(listed.map((each: any) => [each.id, each.process, each.startedBy])).toEqual([[id, 'quick-sale', people.rita.sub]]);
    console.log(`screenshot: ${await screenshot(page, 'inbox-2-card-processes')}`);
  });

  it('names the fields refused: in the browser by the start\'s contract, by the server after (a product not in the catalogue)', async () => {
    const page = await app.page('/companies', { as: people.rita });
    await waitForRows(page, 'Companies', 1);
    await page.locator('revo-grid .rowHeaders [data-rgrow="0"]').first().dblclick();
    await page.getByRole('dialog', { name: 'Acme Rockets' }).getByRole('button', { name: 'Start quick sale' }).click();
    const form = page.getByRole('dialog', { name: 'Quick sale for Acme Rockets' });
    await form.getByLabel('Description of line 1').fill('Custom crate');
    await form.getByLabel('Quantity of line 1').fill('lots');
    await form.getByLabel('Unit price of line 1').fill('40');
    await form.getByRole('button', { name: 'Start quick sale' }).click();
    await form.getByText('Quantity must be a number, like 2 or 1.5.').waitFor();
    expect(await form.getByLabel('Quantity of line 1').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Address').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Date').getAttribute('aria-invalid')).toBe('true');
    // The first refused field has the focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Quantity of line 1');
    console.log(`screenshot: ${await screenshot(page, 'inbox-3-order-refused')}`);

    // Fixed here; the server then refuses a currency the first line's is not (lines are priced as a deal's).
    await form.getByLabel('Quantity of line 1').fill('3');
    await form.getByLabel('Address').fill('1 Rocket Road');
    await form.getByLabel('Date').fill('2026-12-20');
    await form.getByRole('button', { name: 'Add a line' }).click();
    await form.getByLabel('Description of line 2').fill('Insurance');
    await form.getByLabel('Unit price of line 2').fill('5');
    await form.getByLabel('Currency of line 2').fill('USD');
    await form.getByRole('button', { name: 'Start quick sale' }).click();
    await expect.poll(() => form.getByLabel('Currency of line 2').getAttribute('aria-invalid'), PATIENT).toBe('true');
    expect(await form.getByText(/^Currency must be EUR/).count()).toBe(1);
    expect((await adminApi('GET', `/api/processes/instances?subject=company:${acme.id}`)).body.items).toEqual([]);
  });
});

describe('the Inbox', () => {
  it('the warehouse user claims and completes the packing: counts follow live, refused fields named, the card beside', async () => {
    const walt = await app.page('/inbox', { as: people.walt });
    await expect.poll(() => inboxCount(walt), PATIENT).toBe(0);
    const instance = await saleStarted('first');
    // Offered to the Warehouse: Walt hears of it without a reload.
    await expect.poll(() => inboxCount(walt), PATIENT).toBe(1);
    expect(await inboxLink(walt).textContent()).toContain('1 to claim');
    await expect.poll(async () => (await tab(walt, 'Unclaimed').textContent())?.replace(/\D/g, ''), PATIENT).toBe('1');
    await walt.keyboard.press('2');
    await expect.poll(() => titles(walt), PATIENT).toEqual(['Pack and ship']);
    await expect.poll(() => focused(walt), PATIENT).toBe('Pack and ship');
    console.log(`screenshot: ${await screenshot(walt, 'inbox-4-unclaimed')}`);

    // C claims it: it is Walt's, no longer the team's.
    await walt.keyboard.press('c');
    await walt.getByRole('status').filter({ hasText: 'Claimed “Pack and ship”: it is yours.' }).waitFor();
    const task = await taskOf(instance);
    expect(task).toMatchObject({ status: 'claimed', assignee: people.walt.sub });
    await expect.poll(() => inboxCount(walt), PATIENT).toBe(0);
    await walt.keyboard.press('1');
    await expect.poll(() => titles(walt), PATIENT).toEqual(['Pack and ship']);

    // Enter opens it: its form, the company's card beside.
    await expect.poll(() => focused(walt), PATIENT).toBe('Pack and ship');
    await walt.keyboard.press('Enter');
    const panel = walt.getByRole('region', { name: 'Pack and ship' });
    await panel.waitFor();
    await walt.getByRole('dialog', { name: 'Acme Rockets' }).waitFor();
    await expect.poll(() => walt.evaluate(() => document.activeElement?.id), PATIENT).toBe('task-field-shippedOn');

    // Sent empty, the server names the required fields; a parcel count under 1 is refused too.
    await panel.getByRole('textbox', { name: 'Parcels', exact: true }).fill('0');
    await walt.keyboard.press('Control+Enter');
    await panel.getByText('Shipped on is required.').waitFor();
    expect(await panel.getByText(/^Parcels must be/).count()).toBe(1);
    expect(await panel.locator('#task-field-shippedOn').getAttribute('aria-invalid')).toBe('true');
    expect(await panel.getByRole('textbox', { name: 'Parcels', exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect((await taskOf(instance)).status).toBe('claimed');
    console.log(`screenshot: ${await screenshot(walt, 'inbox-5-form-refused')}`);

    await panel.locator('#task-field-shippedOn').fill('2026-12-07');
    await panel.getByRole('textbox', { name: 'Parcels', exact: true }).fill('2');
    await panel.getByRole('textbox', { name: 'Note', exact: true }).fill('Two boxes, fragile.');
    await walt.keyboard.press('Control+Enter');
    await panel.getByText(/^Completed by you on/).waitFor();
    // Recorded at once; `completing` (202) until Step Functions has taken it, which a busy machine
    // makes common: the open task follows the change feed to `done` without a reload.
    expect(['completing', 'done']).toContain(await panel.getAttribute('data-status'));
    await expect.poll(() => panel.getAttribute('data-status'), PATIENT).toBe('done');
    const done = (await adminApi('GET', `/api/tasks/${task.id}`)).body;
    expect(done).toMatchObject({ status: 'done', completion: { by: people.walt.sub, values: { shippedOn: '2026-12-07', parcels: 2, note: 'Two boxes, fragile.' } } });
    console.log(`screenshot: ${await screenshot(walt, 'inbox-6-completed')}`);

    // Back in the list (Esc): it is under Done.
    await walt.keyboard.press('Escape');
    await walt.keyboard.press('4');
    await expect.poll(() => titles(walt), PATIENT).toEqual(['Pack and ship']);
    expect(await tab(walt, 'Mine').textContent()).toContain('0');
  });

  it('a supervisor reassigns two of the team\'s tasks at once, one claimed, one not', async () => {
    const [first, second] = await Promise.all([saleStarted('one'), saleStarted('two', 2)]);
    const claimed = await taskOf(first);
    const walt = await app.apiAs(people.walt);
    expect((await walt('POST', `/api/tasks/${claimed.id}/claim`, {})).status).toBe(200);
    const open = await taskOf(second);

    const sue = await app.page('/inbox', { as: people.sue });
    await tab(sue, 'My teams').click();
    await expect.poll(() => titles(sue), PATIENT).toEqual(['Pack and ship', 'Pack and ship']);
    const holders = async () => (await sue.getByRole('tabpanel').locator('button.task .about').allTextContents()).sort();
    await expect.poll(holders, PATIENT).toEqual(['Walt Packer', 'Warehouse, unclaimed']);
    // Space selects the focused row, the arrow moves on, Space again, R reassigns.
    await sue.getByRole('tabpanel').locator('button.task').first().focus();
    await sue.keyboard.press('Space');
    await sue.keyboard.press('ArrowDown');
    await sue.keyboard.press('Space');
    await sue.getByText('2 selected').waitFor();
    await sue.keyboard.press('r');
    const dialog = sue.getByRole('dialog', { name: 'Reassign 2 tasks' });
    await dialog.getByRole('combobox', { name: 'Person' }).selectOption({ label: 'Wanda Shipper' });
    console.log(`screenshot: ${await screenshot(sue, 'inbox-7-reassign')}`);
    await dialog.getByRole('button', { name: 'Reassign' }).click();
    await dialog.getByRole('status').filter({ hasText: '2 of 2 reassigned.' }).waitFor();
    for (const id of [claimed.id, open.id]) expect((await adminApi('GET', `/api/tasks/${id}`)).body).toMatchObject({ assignee: people.wanda.sub });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(holders, PATIENT).toEqual(['Wanda Shipper', 'Wanda Shipper']);

    // Wanda finds both in her own list, live or not.
    const wanda = await app.page('/inbox', { as: people.wanda });
    await expect.poll(() => titles(wanda), PATIENT).toEqual(['Pack and ship', 'Pack and ship']);
    console.log(`screenshot: ${await screenshot(wanda, 'inbox-8-reassigned')}`);
  });
});

describe('from a grid selection', () => {
  it('starts one quick sale per selected company, with a progress bar and a result for each', async () => {
    // A second company of Rita's, and one the administrator trashes while the dialog is open.
    const [beta, gamma] = await Promise.all([ritasCompany('Beta Boats'), ritasCompany('Gamma Gears')]);
    const page = await app.page('/companies', { as: people.rita });
    await waitForRows(page, 'Companies', 3);
    await clickCell(page, 0, 'name');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => selectedRange(page), PATIENT).toMatchObject({ y: 0, y1: 2 });
    await page.getByRole('button', { name: 'Start quick sale…' }).click();

    const dialog = page.getByRole('dialog', { name: 'Quick sale for 3 companies' });
    await dialog.getByLabel('Description of line 1').fill('Annual service');
    await dialog.getByLabel('Unit price of line 1').fill('300');
    await dialog.getByLabel('Address').fill('At each client\'s site');
    await dialog.getByLabel('Date').fill('2026-12-21');
    // One of them goes to the trash before the start: its start is refused, the others are not.
    const current = (await adminApi('GET', `/api/companies/${gamma.id}`)).body;
    expect((await adminApi('DELETE', `/api/companies/${gamma.id}?version=${current.version}`)).status).toBe(204);
    await dialog.getByRole('button', { name: 'Start 3' }).click();

    await dialog.getByRole('status').filter({ hasText: '3 of 3 sent: 2 started, 1 refused.' }).waitFor();
    expect(await dialog.getByRole('progressbar', { name: 'Starting' }).getAttribute('aria-valuenow')).toBe('3');
    const results = await dialog.getByRole('list', { name: 'Result per company' }).getByRole('listitem').allTextContents();
    expect(results.filter((text) => text.endsWith('started'))).toHaveLength(2);
    // Each by the name the grid showed, the trashed one too.
    expect(results.filter((text) => text.includes('refused:'))).toEqual([expect.stringMatching(/^Gamma Gears ?refused: company .+ does not exist$/)]);
    console.log(`screenshot: ${await screenshot(page, 'inbox-9-grid-starts')}`);
    for (const company of [acme.id, beta.id]) {
      const instances = (await adminApi('GET', `/api/processes/instances?subject=company:${company}`)).body.items;
      expect(instances.map((instance: any) => instance.process)).toEqual(['quick-sale']);
    }
    expect((await adminApi('GET', `/api/processes/instances?subject=company:${gamma.id}`)).body.items).toEqual([]);
  });
});
