/**
 * One quick sale through the browser from its order to its close (issue 16), each person in their
 * own tab, no reload: Rita, the rep who owns Acme, orders it from the company's card; Walt of the
 * Warehouse claims and completes its packing in the Inbox (a carrier picked from a list); Quinn of
 * Quality rates it 2, under the threshold; Rita follows it up; it closes. At each stage the Inbox,
 * the card's processes and the instance page (kept open, told by the change feed) show where it
 * is, who did what (claimed by Walt, the forms' values by their labels) and how it ended. Then
 * the top bar at 1280 and at 1920 pixels: every section, the search, the bell and the account fit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { invitedUser, useApp, type Api, type User } from '../support/app.ts';
import { quickSaleConfig } from '../support/quick-sales.ts';
import { screenshot } from '../support/browser.ts';
import { waitForRows } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';
import { inboxCount } from '../support/inbox-link.ts';

const app = useApp();

let adminApi: Api;
let admin: User & { tenant: string };
let tenant: string;
const people: Record<'rita' | 'walt' | 'quinn', User & { sub: string; name: string }> = {} as never;
let acme: { id: string };

const PACKING_FORM = {
  fields: [
    { key: 'shippedOn', label: 'Shipped on', type: 'date', required: true },
    { key: 'carrier', label: 'Carrier', type: 'single_select', options: ['DHL', 'UPS'], required: true },
  ],
};

/** Invites a user of the test's tenant and accepts the invitation: ready to open pages as. */
const invite = (name: string, role: string, teams: string[] = []) => invitedUser(app, adminApi, tenant, name, role, teams);

beforeAll(async () => {
  admin = await app.newTenant();
  tenant = admin.tenant;
  adminApi = await app.apiAs(admin);
  const team = async (name: string) => (await adminApi('POST', '/api/teams', { name, supervisor: null })).body.id as string;
  const [warehouse, quality] = await Promise.all([team('Warehouse'), team('Quality')]);
  [people.rita, people.walt, people.quinn] = await Promise.all([
    invite('Rita Rep', 'sales-representative'),
    invite('Walt Packer', 'service-agent', [warehouse]),
    invite('Quinn Checker', 'service-agent', [quality]),
  ]);
  const { version } = (await adminApi('GET', '/api/processes/quick-sale/config')).body;
  // Rated by Quality at once (no working days after the packing), so that the story needs no clock of its own.
  const config = quickSaleConfig(warehouse, {
    fulfilment: [{ name: 'Pack and ship', team: warehouse, form: PACKING_FORM, due: { amount: 3, unit: 'days' } }],
    qc: { team: quality, delay: 0, threshold: 3, due: { amount: 2, unit: 'days' } },
  });
  const configured = await adminApi('PUT', '/api/processes/quick-sale/config', { version, config });
  expect(configured.status, JSON.stringify(configured.body)).toBe(200);
  acme = await createRecord(adminApi, 'companies', { name: 'Acme Rockets' });
  expect((await adminApi('PATCH', `/api/companies/${acme.id}/owner`, { version: 1, owner: people.rita.sub })).status).toBe(200);
}, 120_000);

const titles = (page: Page) => page.getByRole('tabpanel').locator('button.task .title').allTextContents();
const focused = (page: Page) => page.evaluate(() => document.activeElement?.querySelector('.title')?.textContent ?? null);
const bell = (page: Page) => page.getByRole('button', { name: /^Notifications/ });

/** The instance page's timeline: each line's kind and text, and the person it names. */
const timeline = (page: Page) =>
  page.locator('ol.timeline > li').evaluateAll((lines) => lines.map((line) => [line.getAttribute('data-kind'), line.querySelector('.text')?.textContent ?? '', line.querySelector('.by')?.textContent ?? '']));
/** The values of the timeline's completed lines, label: value. */
const answers = (page: Page) =>
  page.locator('ol.timeline > li[data-kind="completed"] dl.values').evaluateAll((lists) =>
    lists.map((list) => [...list.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`)),
  );

/** The signed-in user's inbox: `tab` (1 Mine, 2 Unclaimed) chosen by its key, the task titled `title` focused and opened. */
async function openTask(page: Page, tab: '1' | '2', title: string) {
  await page.keyboard.press(tab);
  await expect.poll(() => titles(page), PATIENT).toEqual([title]);
  await expect.poll(() => focused(page), PATIENT).toBe(title);
  await page.keyboard.press('Enter');
  const panel = page.getByRole('region', { name: title });
  await panel.waitFor();
  return panel;
}

describe('a quick sale from order to close', () => {
  it('is ordered, packed, rated, followed up and closed; the Inbox, the card and the instance page follow it at each stage', async () => {
    // The order: Rita, from Acme's card.
    const card = await app.page('/companies', { as: people.rita });
    await waitForRows(card, 'Companies', 1);
    await card.locator('revo-grid .rowHeaders [data-rgrow="0"]').first().dblclick();
    const processes = card.getByRole('dialog', { name: 'Acme Rockets' }).getByRole('region', { name: 'Processes' });
    await processes.getByText('No process has run on this company.').waitFor();
    await processes.getByRole('button', { name: 'Start quick sale' }).click();
    const form = card.getByRole('dialog', { name: 'Quick sale for Acme Rockets' });
    await form.getByLabel('Description of line 1').fill('Launch crate');
    await form.getByLabel('Unit price of line 1').fill('40');
    await form.getByLabel('Address').fill('1 Rocket Road, 10115 Berlin');
    await form.getByLabel('Date').fill('2026-12-20');
    await form.getByRole('button', { name: 'Start quick sale' }).click();
    const sale = processes.getByRole('list', { name: 'Processes of this company' }).getByRole('listitem');
    await expect.poll(() => sale.count(), PATIENT).toBe(1);
    const id = (await sale.getAttribute('data-instance'))!;
    await expect.poll(() => sale.getByLabel('Progress').textContent(), PATIENT).toContain('At Fulfil');
    expect(await sale.getByLabel('Progress').textContent()).toContain('Warehouse (to claim)');
    await screenshot(card, 'story-1-ordered-card');

    // The instance page, open from here on: it waits at Fulfil, offered to the Warehouse.
    const instance = await app.page(`/processes/instances/${id}`, { as: people.rita });
    const head = instance.locator('.head[data-ready]');
    expect(await head.getAttribute('data-current-step')).toBe('Fulfil');
    await expect.poll(() => timeline(instance), PATIENT).toContainEqual(['offered', expect.stringMatching(/^Task “Pack and ship” offered to team /), '']);
    await screenshot(instance, 'story-2-ordered-instance');

    // Fulfil: Walt claims the packing and completes it, a carrier picked from its list.
    const walt = await app.page('/inbox', { as: people.walt });
    await expect.poll(() => inboxCount(walt), PATIENT).toBe(1);
    await walt.keyboard.press('2');
    await expect.poll(() => titles(walt), PATIENT).toEqual(['Pack and ship']);
    await expect.poll(() => focused(walt), PATIENT).toBe('Pack and ship');
    await walt.keyboard.press('c');
    await walt.getByRole('status').filter({ hasText: 'Claimed “Pack and ship”: it is yours.' }).waitFor();
    // The instance page hears of the claim (no reload: the instance is Walt's now): who claimed it, right after its offer.
    await expect.poll(() => timeline(instance), PATIENT).toContainEqual(['claimed', 'Claimed “Pack and ship”', 'Walt Packer']);
    const packing = await openTask(walt, '1', 'Pack and ship');
    await packing.locator('#task-field-shippedOn').fill('2026-12-07');
    await packing.locator('#task-field-carrier').selectOption('DHL');
    await walt.keyboard.press('Control+Enter');
    await packing.getByText(/^Completed by you on/).waitFor();
    expect(await packing.getAttribute('data-status')).toBe('done');
    expect(await packing.locator('dl.values').evaluate((list) => [...list.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`))).toEqual([
      'Shipped on: 2026-12-07',
      'Carrier: DHL',
    ]);
    await screenshot(walt, 'story-3-packed-inbox');

    // Quality control, at once: the instance page and the card move on by themselves; the packing's values by their labels.
    await expect.poll(() => head.getAttribute('data-current-step'), PATIENT).toBe('Quality control');
    await expect.poll(() => answers(instance), PATIENT).toEqual([['Shipped on: 2026-12-07', 'Carrier: DHL']]);
    const kinds = (await timeline(instance)).map(([kind]) => kind);
    expect(kinds.indexOf('claimed')).toBe(kinds.indexOf('offered') + 1);
    await expect.poll(() => sale.getByLabel('Progress').textContent(), PATIENT).toContain('At Quality control');
    await screenshot(instance, 'story-4-packed-instance');

    // Quinn rates it 2 of 5: under the threshold of 3.
    const quinn = await app.page('/inbox', { as: people.quinn });
    await expect.poll(() => inboxCount(quinn), PATIENT).toBe(1);
    const rating = await openTask(quinn, '2', "Rate the sale's fulfilment");
    await rating.locator('#task-field-rating').fill('2');
    await rating.locator('#task-field-comment').fill('The crate arrived dented.');
    await quinn.keyboard.press('Control+Enter');
    await rating.getByText(/^Completed by you on/).waitFor();
    await screenshot(quinn, 'story-5-rated-inbox');

    // Follow-up: Rita, the owner, is told (the bell) while on the instance page.
    await expect.poll(() => head.getAttribute('data-current-step'), PATIENT).toBe('Follow up');
    await expect.poll(() => answers(instance), PATIENT).toEqual([['Shipped on: 2026-12-07', 'Carrier: DHL'], ['Rating (1-5): 2', 'Comment: The crate arrived dented.']]);
    await expect.poll(() => bell(instance).getAttribute('data-unread'), PATIENT).toBe('1');
    await expect.poll(() => sale.getByLabel('Progress').textContent(), PATIENT).toContain('At Follow up');
    await screenshot(instance, 'story-6-rated-instance');
    const rita = await app.page('/inbox', { as: people.rita });
    const followUp = await openTask(rita, '1', 'Follow up a poorly rated sale');
    await followUp.locator('#task-field-outcome').fill('Called them: a new crate goes out on Monday.');
    await rita.keyboard.press('Control+Enter');
    await followUp.getByText(/^Completed by you on/).waitFor();
    await screenshot(rita, 'story-7-followed-up-inbox');

    // Closed with its outcome: the instance page, the card.
    await expect.poll(() => instance.locator('.head[data-ready]').getAttribute('data-status'), PATIENT).toBe('completed');
    expect(await instance.locator('.subtitle').textContent()).toContain('fulfilled, rated 2 of 5, followed up');
    expect((await timeline(instance)).at(-1)).toEqual(['succeeded', 'Ended', '']);
    await expect.poll(() => sale.getByLabel('Progress').textContent(), PATIENT).toContain('fulfilled, rated 2 of 5, followed up');
    expect(await sale.locator('.status').textContent()).toBe('Completed');
    await screenshot(instance, 'story-8-closed-instance');
    await screenshot(card, 'story-9-closed-card');
  }, 240_000);
});

describe('the top bar', () => {
  /** Where the bar's parts are: each within the window and on the bar's one line, none over the next. */
  const parts = (page: Page) =>
    page.evaluate(() => {
      const bar = document.querySelector('header.topbar')!;
      const nav = bar.querySelector('nav')!;
      const boxes = ['.brand', 'nav', '.global-search', '.account'].map((selector) => bar.querySelector(selector)!.getBoundingClientRect());
      const line = bar.getBoundingClientRect();
      return {
        oneLine: boxes.every((box) => box.top >= line.top && box.bottom <= line.bottom),
        overflows: bar.scrollWidth > bar.clientWidth,
        sectionsCut: nav.scrollWidth > nav.clientWidth,
        inWindow: boxes.every((box) => box.left >= 0 && box.right <= window.innerWidth),
        apart: boxes.every((box, i) => i === 0 || boxes[i - 1].right <= box.left),
        email: getComputedStyle(bar.querySelector('.user')!).display !== 'none',
      };
    });

  it('fits every section, the search, the bell and the account at 1280 px; at 1920 px the e-mail shows too', async () => {
    const page = await app.page('/companies', { as: admin });
    await page.getByRole('button', { name: /^Notifications/ }).waitFor();
    for (const [width, email] of [[1280, false], [1920, true]] as const) {
      await page.setViewportSize({ width, height: 720 });
      expect(await parts(page), `at ${width} px`).toEqual({ oneLine: true, overflows: false, sectionsCut: false, inWindow: true, apart: true, email });
      // Every section of the administrator's, the last (Admin) within the window too.
      expect((await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents()).at(-1)).toBe('Admin');
      await screenshot(page, `top-bar-${width}`);
    }
  });
});
