/**
 * Two people on one grid, in two Chromium browsers: one's edit appears on the other's screen
 * within 2 s; the same cell edited by both shows both values and lets the loser choose; edits
 * made offline wait (surviving in the browser), then sync in order with the same version checks.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, type Api } from '../support/app.ts';
import { screenshot, type TestBrowser } from '../support/browser.ts';
import { cellAt, clickCell, recordBulkRequests, textOf, waitForRows } from '../support/grid.ts';
import { PATIENT, createRecord, createRecords } from '../support/seed.ts';

const app = useApp();
/** Bob's browser: its own network to take offline (Alice has the app's first). */
let bobsBrowser: TestBrowser;
let alice: Page;
let bob: Page;
let api: Api;
let tenant = '';
const NAMES = ['Acme', 'Globex', 'Initech', 'Umbrella'];

beforeAll(async () => {
  bobsBrowser = await app.newBrowser();
});

/**
 * Each test in a tenant of its own (edits waiting offline are kept in the browser's storage, by
 * tenant), and two people's grids of its companies.
 */
beforeEach(async () => {
  const user = await app.newTenant();
  tenant = user.tenant;
  api = await app.apiAs(user);
  await createRecords(api, 'companies', NAMES.map((name) => ({ name })));
  [alice, bob] = await Promise.all([app.page('/companies', { as: user }), app.page('/companies', { as: user, browser: bobsBrowser })]);
});

/** Both browsers online again, whatever the test did before it ended. */
afterEach(async () => {
  await Promise.all([app.browser.context.setOffline(false), bobsBrowser.context.setOffline(false)]);
});

async function company(name: string) {
  const { body } = await api('GET', '/api/companies');
  return body.items.find((c: { name: string }) => c.name === name);
}

async function edit(page: Page, row: number, field: string, text: string) {
  await clickCell(page, row, field);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

describe('live grid in two browsers', () => {
  // How soon (the 2 s of the issue) is measured by `npm run bench -- grid` (live edit), not timed
  // here: a loaded CI machine would make a timed assertion fail on the machine, not the product.
  it('shows the other user’s edit without a reload', async () => {
    await edit(alice, 0, 'industry', 'Rockets');
    await expect.poll(async () => (await company('Acme'))?.industry).toBe('Rockets');
    await expect.poll(() => textOf(cellAt(bob, 0, 'industry')), { interval: 100 }).toBe('Rockets');
  });

  it('stays live as rows come and go: records added one after the other, and a row the user added', async () => {
    // Each arrives in a poll of its own (the first is shown before the second is made).
    await createRecord(api, 'companies', { name: 'Hooli' });
    await waitForRows(bob, 'Companies', 5);
    await createRecord(api, 'companies', { name: 'Soylent' });
    await waitForRows(bob, 'Companies', 6);
    // Bob adds one himself; others' changes still reach him, and the grid is not said to load.
    await bob.getByRole('button', { name: 'Add company' }).click();
    await bob.getByRole('textbox', { name: 'Name of the new company' }).fill('Vandelay');
    await bob.getByRole('button', { name: 'Add', exact: true }).click();
    await waitForRows(bob, 'Companies', 7);
    await bob.keyboard.press('Escape');
    await createRecord(api, 'companies', { name: 'Wonka' });
    await waitForRows(bob, 'Companies', 8);
    await edit(alice, 0, 'industry', 'Rockets');
    await expect.poll(() => textOf(cellAt(bob, 0, 'industry')), PATIENT).toBe('Rockets');
    expect(await bob.getByRole('progressbar', { name: 'Loading rows' }).count()).toBe(0);
    expect(await bob.locator('main [data-ready]').count()).toBe(1);
    await waitForRows(alice, 'Companies', 8);
  });

  it('shows both values of a conflicting edit and lets the user keep theirs or take the other', async () => {
    // Both saw Globex at the same version; Alice saves first.
    await bob.context().setOffline(true);
    await edit(alice, 1, 'industry', 'Chemicals');
    await expect.poll(async () => (await company('Globex'))?.industry).toBe('Chemicals');
    // Bob's browser has not heard of it yet (offline), so his edit is based on the old version.
    await edit(bob, 1, 'industry', 'Plastics');
    await bob.context().setOffline(false);
    const conflict = bob.getByTestId('conflict');
    await expect.poll(() => conflict.count(), { timeout: 10_000 }).toBe(1);
    expect(await conflict.getByTestId('theirs').textContent()).toBe('Chemicals');
    expect(await conflict.getByTestId('mine').textContent()).toBe('Plastics');
    expect((await company('Globex')).industry).toBe('Chemicals');
    await screenshot(bob, 'grid-live-conflict');

    // Keep mine: sent again on the version that won, so it wins now, knowingly.
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await expect.poll(async () => (await company('Globex'))?.industry).toBe('Plastics');
    await expect.poll(() => textOf(cellAt(alice, 1, 'industry'))).toBe('Plastics');

    // The other way round: Alice takes Bob's next change instead of hers.
    await alice.context().setOffline(true);
    await edit(bob, 2, 'industry', 'Software');
    await expect.poll(async () => (await company('Initech'))?.industry).toBe('Software');
    await edit(alice, 2, 'industry', 'Printers');
    await alice.context().setOffline(false);
    const hers = alice.getByTestId('conflict');
    await expect.poll(() => hers.count(), { timeout: 10_000 }).toBe(1);
    await hers.getByRole('button', { name: 'Take theirs' }).click();
    await expect.poll(() => hers.count()).toBe(0);
    // The list of conflicts goes at once; the cell, which showed hers ("Printers!"), is drawn after.
    await expect.poll(() => textOf(cellAt(alice, 2, 'industry'))).toBe('Software');
    expect((await company('Initech')).industry).toBe('Software');
  });

  it('queues edits made offline in the browser’s storage, and syncs them in order once back online', async () => {
    const bulk = recordBulkRequests(alice);
    await alice.context().setOffline(true);
    await edit(alice, 3, 'industry', 'Biotech');
    // As a person sees the edit kept for later before the next one: the grid re-renders its rows
    // when the failed save goes to the queue, and a click during that landed a row too high.
    await expect.poll(() => alice.getByText(/1 change waiting for the connection/).count(), PATIENT).toBe(1);
    await edit(alice, 3, 'domain', 'umbrella.example');
    await expect.poll(() => alice.getByText(/waiting for the connection/).count()).toBe(1);
    await screenshot(alice, 'grid-live-offline');
    expect((await company('Umbrella')).industry).toBeUndefined();
    expect(await alice.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).length, `sheetflow.offline.${tenant}.`)).toBe(1);

    await alice.context().setOffline(false);
    await expect.poll(async () => {
      const umbrella = await company('Umbrella');
      return [umbrella?.industry, umbrella?.domain, umbrella?.version];
    }, { timeout: 10_000 }).toEqual(['Biotech', 'umbrella.example', 3]);
    await expect.poll(() => alice.getByText(/waiting for the connection/).count()).toBe(0);
    // Two requests, in the order typed, the second based on the version the first produced.
    const sent = bulk.filter((b) => b.changes.some((c) => c.id === bulk[0]?.changes[0]?.id));
    expect(sent.map((b) => b.changes.map((c) => c.field))).toEqual([['industry'], ['domain']]);
    await expect.poll(() => textOf(cellAt(bob, 3, 'domain')), { timeout: 3_000 }).toBe('umbrella.example');
  });
});
