/**
 * The top bar's search across record types, in Chromium, as a person uses it: `/` or Ctrl+K to
 * get there, hits grouped by type with what matched (name, e-mail, phone, domain), arrows and
 * Enter or a click to open the record's card on its grid; `/` typed at a grid's cell stays the
 * cell's.
 *
 * The file's records are made once, in a tenant of its own (the search finds only them), and no
 * test changes them; each test starts on a page of its own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, waitForRows } from '../support/grid.ts';
import { PATIENT, createRecord } from '../support/seed.ts';

const app = useApp();
let user: User;
let page: Page;
const ids = new Map<string, string>();

beforeAll(async () => {
  user = await app.newTenant();
  const api = await app.apiAs(user);
  const made = async (plural: string, fields: Record<string, unknown>) => ids.set(fields.name as string, (await createRecord(api, plural, fields)).id);
  await made('companies', { name: 'Acme Rockets', domain: 'acme-rockets.example', phones: ['+14155550134'] });
  await made('companies', { name: 'Widgets Inc', domain: 'acmewidgets.example' });
  await made('companies', { name: 'Globex', domain: 'globex.example' });
  await made('contacts', { name: 'Road Runner', emails: ['acme.orders@roadrunner.example'], phones: ['+14155550199'] });
  await made('contacts', { name: 'Wile Coyote', emails: ['wile@desert.example'] });
  await made('deals', { name: 'Acme anvils', companyId: ids.get('Acme Rockets') });
  await made('activities', { name: 'Globex renewal call', kind: 'call' });
}, 120_000);

/** The tenant's administrator's page at `path`, ready (its grid's rows drawn). */
async function open(path: string) {
  page = await app.page(path, { as: user });
}

const box = () => page.getByRole('combobox', { name: 'Search all records' });
const hits = () => page.getByRole('listbox', { name: 'Records found' });
const status = () => page.getByRole('search').getByRole('status');
const card = () => page.getByRole('dialog');
const isFocused = (locator: ReturnType<typeof box>) => locator.evaluate((element) => element === document.activeElement);

/** The groups shown, each as its label and its hits' texts (name, then what matched). */
const groupsShown = () =>
  hits()
    .getByRole('group')
    .evaluateAll((groups) =>
      groups.map((group) => [
        group.querySelector('.group-label')?.textContent?.trim(),
        [...group.querySelectorAll('[role=option]')].map((option) => [...option.children].map((part) => part.textContent?.trim()).join(' | ')),
      ]),
    );

describe('global search', () => {
  it('/ focuses it; hits come grouped by type, each saying what matched; Escape closes them', async () => {
    await open('/companies');
    await waitForRows(page, 'Companies', 3);
    await page.keyboard.press('/');
    await expect.poll(() => isFocused(box()), PATIENT).toBe(true);
    await page.keyboard.type('acme');

    await expect
      .poll(groupsShown, PATIENT)
      .toEqual([
        ['Companies', ['Acme Rockets | acme-rockets.example', 'Widgets Inc | Domain acmewidgets.example']],
        ['Contacts', ['Road Runner | E-mail acme.orders@roadrunner.example']],
        ['Deals', ['Acme anvils']],
      ]);
    expect(await status().textContent()).toBe('4 records');
    // The first hit is the one Enter would open, and the box says so.
    const first = hits().getByRole('option').first();
    expect(await first.getAttribute('aria-selected')).toBe('true');
    expect(await box().getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
    expect(await box().getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'global-search-acme');

    await page.keyboard.press('Escape');
    expect(await hits().count()).toBe(0);
    expect(await box().inputValue()).toBe('acme');
  });

  it('finds by phone and says which; a query matching nothing says so', async () => {
    await open('/companies');
    await box().fill('+1 415 555 0199');
    await expect.poll(groupsShown, PATIENT).toEqual([['Contacts', [expect.stringMatching(/^Road Runner \| Phone .*555.*0199$/)]]]);
    await box().fill('zzz');
    await expect.poll(() => status().textContent(), PATIENT).toBe('No records match “zzz”.');
    expect(await hits().count()).toBe(0);
    expect(await box().getAttribute('aria-expanded')).toBe('false');
  });

  it('arrows and Enter open the record chosen: its grid, its card', async () => {
    await open('/companies');
    await box().focus();
    await page.keyboard.type('acme');
    await expect.poll(() => hits().getByRole('option').count(), PATIENT).toBe(4);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await hits().getByRole('option', { selected: true }).textContent()).toContain('Road Runner');
    await page.keyboard.press('Enter');

    await page.waitForURL((url) => url.pathname === '/contacts' && url.searchParams.get('card') === ids.get('Road Runner'));
    await card().getByRole('heading', { name: 'Road Runner' }).waitFor();
    expect(await box().inputValue()).toBe('');
    // Closed, the card takes its parameter from the URL: a reload does not open it again.
    await page.keyboard.press('Escape');
    await expect.poll(() => card().count(), PATIENT).toBe(0);
    await expect.poll(() => new URL(page.url()).searchParams.has('card'), PATIENT).toBe(false);
  });

  it('Enter typed before the hits arrive opens the first one when they do, as a fast typist expects', async () => {
    await open('/companies');
    await box().focus();
    await page.keyboard.type('wile');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/contacts' && url.searchParams.get('card') === ids.get('Wile Coyote'));
    await card().getByRole('heading', { name: 'Wile Coyote' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => card().count(), PATIENT).toBe(0);
  });

  it('Ctrl+K from a grid cell goes to the search; a click on a hit opens it, the view kept when on its grid', async () => {
    await open('/companies?q=a');
    await waitForRows(page, 'Companies', 3);
    await clickCell(page, 0, 'name');
    await page.keyboard.press('Control+k');
    await expect.poll(() => isFocused(box()), PATIENT).toBe(true);
    await page.keyboard.type('glob');
    await expect
      .poll(groupsShown, PATIENT)
      .toEqual([
        ['Companies', ['Globex | globex.example']],
        ['Activities', ['Globex renewal call']],
      ]);
    // A company from the Companies grid: its card opens over the view as it was (its search kept).
    await hits().getByRole('option').filter({ hasText: 'globex.example' }).click();
    await card().getByRole('heading', { name: 'Globex' }).waitFor();
    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get('q'), url.searchParams.get('card')]).toEqual(['/companies', 'a', ids.get('Globex')]);
    await page.keyboard.press('Escape');
    await expect.poll(() => card().count(), PATIENT).toBe(0);
  });

  it('/ typed at a focused cell of the grid is the cell\'s text, not the search', async () => {
    await open('/companies');
    await waitForRows(page, 'Companies', 3);
    await clickCell(page, 0, 'industry');
    await page.keyboard.press('/');
    const editor = page.locator('revo-grid revogr-edit input');
    await expect.poll(() => editor.inputValue(), PATIENT).toBe('/');
    expect(await isFocused(box())).toBe(false);
    await page.keyboard.press('Escape');
    await expect.poll(() => editor.count(), PATIENT).toBe(0);
    expect(await cellAt(page, 0, 'industry').textContent()).toBe('');
  });
});
