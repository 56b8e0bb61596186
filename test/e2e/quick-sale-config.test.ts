/**
 * The quick sale's configuration in the admin area, in Chromium: an administrator shapes the
 * process (two fulfilment steps for the warehouse, each with its due time and form; quality
 * control by its team a working day later) and saves it; a refusal names the field at fault; a
 * configuration saved meanwhile by another administrator is shown rather than overwritten.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';

const app = useApp();
let admin: User & { tenant: string };
let api: Api;
let page: Page;
let teams: { warehouse: string; quality: string };

beforeEach(async () => {
  admin = await app.newTenant();
  api = await app.apiAs(admin);
  const made = async (name: string) => {
    const team = await api('POST', '/api/teams', { name });
    expect(team.status, JSON.stringify(team.body)).toBe(201);
    return team.body.id as string;
  };
  teams = { warehouse: await made('Warehouse'), quality: await made('Quality') };
});

async function quickSaleTab(): Promise<Page> {
  page = await app.page('/admin', { as: admin });
  await page.getByRole('tab', { name: 'Quick sale' }).click();
  await page.locator('.quick-sale-config[data-ready]').waitFor();
  return page;
}

const step = (n: number) => page.getByRole('group', { name: `Step ${n}` });
const saved = async () => (await api('GET', '/api/processes/quick-sale/config')).body;

describe('the quick sale\'s configuration', () => {
  it('is shaped and saved by an administrator: steps, teams, due times, forms, quality control', async () => {
    await quickSaleTab();
    expect(await page.getByText('(the default: never saved)').count()).toBe(1);
    await page.getByLabel('Step 1 name').fill('Pick');
    await page.getByLabel('Step 1 team').selectOption({ label: 'Warehouse' });
    await page.getByLabel('Step 1 due within: amount').fill('4');
    await page.getByLabel('Step 1 due within: unit').selectOption('hours');
    // Its form: the default's two fields out, one yes/no field in.
    await step(1).getByRole('button', { name: 'Remove field 2 of step 1' }).click();
    await step(1).getByRole('button', { name: 'Remove field 1 of step 1' }).click();
    await step(1).getByRole('button', { name: 'Add a field' }).click();
    await page.getByLabel('Step 1 field 1 key').fill('picked');
    await page.getByLabel('Step 1 field 1 label').fill('All picked');
    await page.getByLabel('Step 1 field 1 type').selectOption({ label: 'Yes/no' });
    await page.getByLabel('Step 1 field 1 required').check();

    await page.getByRole('button', { name: 'Add a step' }).click();
    await page.getByLabel('Step 2 name').fill('Ship');
    await page.getByLabel('Step 2 team').selectOption({ label: 'Warehouse' });
    await step(2).getByRole('button', { name: 'Add a field' }).click();
    await page.getByLabel('Step 2 field 1 key').fill('carrier');
    await page.getByLabel('Step 2 field 1 label').fill('Carrier');
    await page.getByLabel('Step 2 field 1 type').selectOption({ label: 'Choice' });
    await page.getByLabel('Step 2 field 1 options').fill('DHL, UPS');
    await page.getByLabel('Step 2 field 1 options').blur();

    await page.getByLabel('Quality control team').selectOption({ label: 'Quality' });
    await page.getByLabel('Working days after fulfilment').fill('1');
    await page.getByLabel('Rating threshold').selectOption('4');
    await page.getByLabel('Escalation').selectOption('none');
    // Late ratings still go to the QC team's supervisor; the follow-up as fulfilment (none chosen).
    await page.getByLabel('Late rating').selectOption('supervisor');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await screenshot(page, 'e2e-admin-quick-sale');

    expect(await saved()).toMatchObject({
      version: 1,
      config: {
        fulfilment: [
          { name: 'Pick', team: teams.warehouse, due: { amount: 4, unit: 'hours' }, form: { fields: [{ key: 'picked', label: 'All picked', type: 'checkbox', required: true }] } },
          { name: 'Ship', team: teams.warehouse, due: { amount: 1, unit: 'days' }, form: { fields: [{ key: 'carrier', label: 'Carrier', type: 'single_select', options: ['DHL', 'UPS'] }] } },
        ],
        qc: { team: teams.quality, delay: 1, threshold: 4, escalation: 'supervisor' },
        escalation: 'none',
      },
    });
    expect((await saved()).config.followUp.escalation).toBeUndefined();
  });

  it('names the field a save is refused for, and shows what another administrator saved meanwhile', async () => {
    await quickSaleTab();
    await page.getByRole('button', { name: 'Add a step' }).click();
    await page.getByLabel('Step 2 name').fill('Fulfil the order');
    await page.getByRole('button', { name: 'Save' }).click();
    await step(2).getByText("must differ from the other steps' names").waitFor();
    expect((await saved()).version).toBe(0);

    // Another administrator saves first: this one's save is a conflict, and theirs is shown.
    const { config } = await saved();
    const theirs = await api('PUT', '/api/processes/quick-sale/config', { version: 0, config: { ...config, fulfilment: [{ ...config.fulfilment[0], name: 'Their step' }] } });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(200);
    await page.getByLabel('Step 2 name').fill('Ship');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').waitFor();
    await expect.poll(() => page.getByLabel('Step 1 name').inputValue()).toBe('Their step');
    expect(await page.getByLabel('Step 2 name').count()).toBe(0);
    expect((await saved()).config.fulfilment.map((s: { name: string }) => s.name)).toEqual(['Their step']);
  });
});
