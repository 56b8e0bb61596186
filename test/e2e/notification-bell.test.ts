/**
 * The bell (issue 16, Notifications), in Chromium: a warehouse member has the grid open when a
 * quick sale's fulfilment is offered to their team; the bell's unread count turns 1 without a
 * reload; its panel lists "New for your team: Fulfil the order"; choosing it opens the task in
 * the Inbox and marks it read (the count goes); a second offer is marked read with "Mark all read";
 * e-mails of a kind are turned off in the panel's E-mail settings.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { createRecord } from '../support/seed.ts';
import { order, quickSaleConfig } from '../support/quick-sales.ts';

const app = useApp();

let admin: User & { tenant: string };
let adminApi: Api;
let company: string;
let warehouse: string;
let sales = 0;

beforeEach(async () => {
  admin = await app.newTenant();
  adminApi = await app.apiAs(admin);
  // What reads first, side by side; then what writes, side by side.
  const [team, me, users, config] = await Promise.all([
    adminApi('POST', '/api/teams', { name: 'Warehouse', supervisor: null }),
    adminApi('GET', '/api/me'),
    adminApi('GET', '/api/users'),
    adminApi('GET', '/api/processes/quick-sale/config'),
  ]);
  expect(team.status, JSON.stringify(team.body)).toBe(201);
  warehouse = team.body.id;
  const { sub } = me.body;
  const [joined, configured] = await Promise.all([
    adminApi('PATCH', `/api/users/${sub}`, { version: users.body.items.find((u: { sub: string }) => u.sub === sub).version, fields: { teams: [warehouse] } }),
    // The quick sale's fulfilment goes to the Warehouse team.
    adminApi('PUT', '/api/processes/quick-sale/config', { version: config.body.version, config: quickSaleConfig(warehouse) }),
    createRecord(adminApi, 'companies', { name: 'Acme' }).then((acme) => (company = acme.id)),
  ]);
  expect(joined.status, JSON.stringify(joined.body)).toBe(200);
  expect(configured.status, JSON.stringify(configured.body)).toBe(200);
});

/** A quick sale on Acme: its fulfilment is offered to the Warehouse team (the administrator is in it). */
async function startSale(): Promise<string> {
  const started = await adminApi('POST', `/api/companies/${company}/processes`, { process: 'quick-sale', idempotencyKey: `bell-${++sales}`, input: order() });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body.id;
}

const bell = (page: Page) => page.getByRole('button', { name: /^Notifications/ });
const unreadShown = (page: Page) => bell(page).getAttribute('data-unread');

describe('the bell', () => {
  it('counts a task offered to the user\'s team live, lists it, and opens it in the Inbox, read', async () => {
    const page = await app.page('/companies', { as: admin });
    await expect.poll(() => unreadShown(page), { timeout: 20_000 }).toBe('0');
    await expect(bell(page).getAttribute('aria-label')).resolves.toBe('Notifications');

    const instance = await startSale();
    // No reload: the change feed tells the bell.
    await expect.poll(() => unreadShown(page), { timeout: 20_000 }).toBe('1');
    expect(await bell(page).getAttribute('aria-label')).toBe('Notifications, 1 unread');
    expect(await bell(page).locator('.badge').textContent()).toBe('1');
    await screenshot(page, 'notification-bell-count');

    await bell(page).click();
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    const item = panel.getByRole('button', { name: /New for your team\s*Fulfil the order/ });
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.textContent()).toContain('just now');
    await screenshot(page, 'notification-bell-panel');

    const task = ((await adminApi('GET', '/api/tasks?view=team&limit=100')).body.items as Array<{ id: string; instance: string }>).find((t) => t.instance === instance)!;
    await item.click();
    await page.waitForURL((url) => url.pathname === '/inbox' && url.searchParams.get('task') === task.id);
    await expect.poll(() => unreadShown(page)).toBe('0');
    const read = (await adminApi('GET', '/api/notifications')).body;
    expect(read.unread).toBe(0);
    expect(read.items[0]).toMatchObject({ link: { task: task.id }, readAt: expect.any(String) });
  });

  it('marks every one read with "Mark all read"', async () => {
    const page = await app.page('/companies', { as: admin });
    await startSale();
    await startSale();
    await expect.poll(() => unreadShown(page), { timeout: 20_000 }).toBe('2');
    // The read that opening the panel makes is answered by the server before the marking and
    // reaches the page after it (a slow network): the panel must not show the two unread again.
    const marked = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/notifications/read');
    let staleDelivered!: () => void;
    const stale = new Promise<void>((resolve) => (staleDelivered = resolve));
    let held = false;
    let readsAfter = 0;
    await page.route(
      (url) => url.pathname === '/api/notifications',
      async (route) => {
        const response = await route.fetch();
        if (held) {
          await route.fulfill({ response });
          readsAfter++;
          return;
        }
        held = true;
        await marked;
        await route.fulfill({ response });
        staleDelivered();
      },
    );
    await bell(page).click();
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    await expect.poll(() => panel.locator('.item.unread').count()).toBe(2);
    await expect.poll(() => held).toBe(true);
    await panel.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => panel.locator('.item.unread').count()).toBe(0);
    await expect.poll(() => unreadShown(page)).toBe('0');
    // From the moment they show read, any return of an unread item or count is recorded.
    await page.evaluate(() => {
      const w = window as unknown as { unreadAgain: boolean };
      w.unreadAgain = false;
      const seen = () => {
        if (document.querySelector('[role="dialog"] .item.unread') || document.querySelector('[data-unread]:not([data-unread="0"])')) w.unreadAgain = true;
      };
      new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'data-unread'] });
      seen();
    });
    await stale;
    // Then either the stale answer shows, or a read after it (reads go one at a time) is answered.
    const unreadAgain = () => page.evaluate(() => (window as unknown as { unreadAgain: boolean }).unreadAgain);
    await expect.poll(async () => (await unreadAgain()) || readsAfter > 0).toBe(true);
    expect(await unreadAgain(), 'an unread notification or count came back').toBe(false);
    await expect.poll(() => unreadShown(page)).toBe('0');
    expect(await panel.locator('.item.unread').count()).toBe(0);
    expect(await panel.getByRole('button', { name: 'Mark all read' }).isDisabled()).toBe(true);
    await screenshot(page, 'notification-bell-all-read');
    expect((await adminApi('GET', '/api/notifications')).body.unread).toBe(0);

    // E-mail settings: every kind on, one turned off.
    await panel.getByRole('button', { name: 'E-mail settings' }).click();
    const reminders = panel.getByRole('checkbox', { name: 'Reminder', exact: true });
    await expect.poll(() => reminders.isChecked()).toBe(true);
    await reminders.uncheck();
    await expect.poll(async () => (await adminApi('GET', '/api/notifications/preferences')).body.email.reminder).toBe(false);
    expect(await panel.getByRole('checkbox', { name: 'Assigned to you', exact: true }).isChecked()).toBe(true);
    await screenshot(page, 'notification-bell-settings');
    // Esc closes the panel, the focus back on the bell.
    await page.keyboard.press('Escape');
    expect(await panel.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Notifications');
  });
});
