/**
 * Views in Chromium, over rows loaded once: multi-column sort, column filters of every kind
 * (text, number range, select values, date range, empty), the quick search, grouping with counts
 * and sums (money per currency), footer totals, and the URL that carries all of it across a
 * reload and back/forward. What the grid shows is checked against the records as created.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageReady, useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, groupRowsOf, rowsShown, textOf, waitForRows } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';

const app = useApp();
let page: Page;

/** name, industry, size, tier (select), founded (date). */
const COMPANIES: Array<[string, string | null, number | null, string | null, string | null]> = [
  ['Acme', 'Energy', 120, 'Gold', '2001-05-01'],
  ['Globex', 'Energy', 40, 'Silver', '1999-01-15'],
  ['Initech', 'Software', 40, 'Gold', '2010-09-30'],
  ['Umbrella', 'Pharma', 900, null, '1980-02-02'],
  ['Hooli', 'Software', 15, 'Bronze', '2015-03-12'],
  ['Émile & Co', null, 7, 'Silver', null],
  ['item 10', 'Retail', null, 'Bronze', '2020-01-01'],
  ['Item 9', 'Retail', 55, null, '2019-12-31'],
];

/** The companies and their two custom fields: the views change in the browser only, no test changes a record. */
beforeAll(async () => {
  for (const body of [
    { label: 'Tier', type: 'single_select', options: ['Gold', 'Silver', 'Bronze'] },
    { label: 'Founded', type: 'date' },
  ]) {
    expect((await app.api('POST', '/api/fields/company', body)).status).toBe(201);
  }
  for (const [name, industry, size, tier, founded] of COMPANIES) await createRecord(app.api, 'companies', { name, industry, size, cf_tier: tier, cf_founded: founded });
});

/** The names in the order the grid shows them. */
const namesShown = () => rowsShown(page, 'Companies');
/** Every company's name, as a sorted list of those shown is when the grid shows them all. */
const EVERY_NAME = COMPANIES.map(([name]) => name).sort();

/** Names of the seeded companies passing `keep`, in the seeded order. */
const namesWhere = (keep: (c: (typeof COMPANIES)[number]) => boolean) => COMPANIES.filter(keep).map((c) => c[0]);

const toolbar = () => page.getByRole('toolbar', { name: 'View' });

async function addFilter(label: string) {
  await toolbar().getByLabel('Add a filter').selectOption({ label });
  return page.getByRole('dialog', { name: `Filter ${label}` });
}

async function clearFilters() {
  const removes = toolbar().getByRole('button', { name: /^Remove the filter on/ });
  for (let filters = await removes.count(); filters > 0; filters--) await removes.first().click();
  await expect.poll(() => removes.count(), PATIENT).toBe(0);
}

describe('views over loaded rows', () => {
  beforeEach(async () => {
    page = await app.page('/companies');
  });

  it('sorts by several columns: natural, case-insensitive text, empty values last, ties in order', async () => {
    await toolbar().getByLabel('Add a sort column').selectOption({ label: 'Industry' });
    await toolbar().getByLabel('Add a sort column').selectOption({ label: 'Size' });
    await toolbar().getByRole('button', { name: /^Sort by Size ascending/ }).click();
    await expect.poll(namesShown, PATIENT).toEqual(['Acme', 'Globex', 'Umbrella', 'Item 9', 'item 10', 'Initech', 'Hooli', 'Émile & Co']);
    // The sort is in the URL, a moment after the grid shows it (the view is put there by navigation).
    await expect.poll(() => new URL(page.url()).searchParams.get('s'), PATIENT).toBe('industry,-size');
    await screenshot(page, 'views-sorted-industry-size');

    await toolbar().getByRole('button', { name: 'Stop sorting by Industry' }).click();
    await toolbar().getByRole('button', { name: 'Stop sorting by Size' }).click();
    await toolbar().getByLabel('Add a sort column').selectOption({ label: 'Name' });
    await expect.poll(namesShown, PATIENT).toEqual(['Acme', 'Émile & Co', 'Globex', 'Hooli', 'Initech', 'Item 9', 'item 10', 'Umbrella']);
  });

  it('filters by text as one types, by a number range, select values, a date range and emptiness', async () => {
    const text = await addFilter('Industry');
    await text.getByLabel('Industry contains').pressSequentially('ENER');
    await expect.poll(namesShown, PATIENT).toEqual(['Acme', 'Globex']);
    await text.getByLabel('Industry contains').press('Backspace');
    await text.getByLabel('Industry contains').press('Backspace');
    await text.getByLabel('Industry contains').press('Backspace');
    await expect.poll(namesShown, PATIENT).toEqual(['Acme', 'Globex', 'Hooli', 'Initech', 'Item 9', 'item 10']);
    await text.getByRole('button', { name: 'Done' }).click();
    await clearFilters();

    const size = await addFilter('Size');
    await size.getByLabel('Size from').fill('40');
    await size.getByLabel('Size to').fill('120');
    await expect.poll(namesShown, PATIENT).toEqual(['Acme', 'Globex', 'Initech', 'Item 9']);
    expect(await toolbar().getByRole('listitem').filter({ hasText: 'Size between 40 and 120' }).count()).toBe(1);
    await size.getByRole('button', { name: 'Done' }).click();
    await clearFilters();

    const tier = await addFilter('Tier');
    await tier.getByLabel('Gold').check();
    await tier.getByLabel('Bronze').check();
    expect(namesWhere((c) => c[3] === 'Gold' || c[3] === 'Bronze')).toHaveLength(4);
    await expect.poll(namesShown, PATIENT).toEqual(['Acme', 'Hooli', 'Initech', 'item 10']);
    await screenshot(page, 'views-filter-select');
    await tier.getByRole('button', { name: 'Done' }).click();
    await clearFilters();

    const founded = await addFilter('Founded');
    await founded.getByLabel('Founded from').fill('2000-01-01');
    await founded.getByLabel('Founded to').fill('2019-12-31');
    await expect.poll(namesShown, PATIENT).toEqual(['Acme', 'Hooli', 'Initech', 'Item 9']);
    await founded.getByRole('button', { name: 'Done' }).click();
    await clearFilters();

    const empty = await addFilter('Tier');
    await empty.getByLabel('Condition').selectOption({ label: 'is empty' });
    await expect.poll(namesShown, PATIENT).toEqual(['Item 9', 'Umbrella']);
    await empty.getByRole('button', { name: 'Done' }).click();
    await clearFilters();
    await expect.poll(async () => (await namesShown()).sort(), PATIENT).toEqual(EVERY_NAME);
  });

  it('searches every visible column, ignoring case and accents', async () => {
    const search = toolbar().getByLabel('Search this view');
    await search.pressSequentially('emile');
    await expect.poll(namesShown, PATIENT).toEqual(['Émile & Co']);
    await search.fill('soft');
    await expect.poll(namesShown, PATIENT).toEqual(['Hooli', 'Initech']);
    await search.fill('');
    await expect.poll(async () => (await namesShown()).sort(), PATIENT).toEqual(EVERY_NAME);
  });

  it('groups by a field with counts and sums, and totals the visible columns', async () => {
    await toolbar().getByLabel('Group by').selectOption({ label: 'Industry' });
    // Group header rows inside the grid: value, count, sum of the number column.
    const industries = ['Energy', 'Pharma', 'Retail', 'Software', null];
    const inIndustry = (industry: string | null) => COMPANIES.filter((c) => c[1] === industry);
    await expect.poll(() => groupRowsOf(page, ['size']).then((groups) => groups.map(({ label, sums }) => [label, sums.size])), PATIENT).toEqual(
      industries.map((industry) => {
        const count = inIndustry(industry).length;
        return [`▾ Industry: ${industry ?? '(empty)'} · ${count} ${count === 1 ? 'row' : 'rows'}`, `Σ ${inIndustry(industry).reduce((total, c) => total + (c[2] ?? 0), 0)}`];
      }),
    );
    // Rows follow their groups, each group's header row first.
    expect(await Promise.all([0, 1, 2, 3].map((row) => textOf(cellAt(page, row, 'name'))))).toEqual(['▾ Industry: Energy · 2 rows', 'Acme', 'Globex', '▾ Industry: Pharma · 1 row']);
    const sizes = COMPANIES.map((c) => c[2]).filter((n): n is number => n !== null);
    const total = sizes.reduce((a, b) => a + b, 0);
    const totals = page.getByRole('table', { name: 'Totals' });
    expect(await textOf(totals.locator('[data-total=size]'))).toBe(
      `Σ ${total.toLocaleString('en')} · avg ${(total / sizes.length).toLocaleString('en', { maximumFractionDigits: 2 })} · min ${Math.min(...sizes)} · max ${Math.max(...sizes)} | ${sizes.length} filled`,
    );
    expect(await textOf(totals.locator('[data-total=industry]'))).toBe(`${COMPANIES.filter((c) => c[1]).length} filled`);
    await screenshot(page, 'views-grouped-by-industry');
    await toolbar().getByLabel('Group by').selectOption({ label: '—' });
  });

  it('keeps the view in the URL: a reload shows the same rows, back and forward step through changes', async () => {
    const size = await addFilter('Size');
    await size.getByLabel('Size from').fill('15');
    await size.getByRole('button', { name: 'Done' }).click();
    await toolbar().getByLabel('Search this view').fill('o');
    // "o" is in a name, an industry (Software) or a tier (Gold, Bronze).
    const before = ['Acme', 'Globex', 'Hooli', 'Initech'];
    await expect.poll(namesShown, PATIENT).toEqual(before);
    // The URL follows the grid a moment later (the view is put there by navigation).
    await expect.poll(() => new URL(page.url()).searchParams.get('q'), PATIENT).toBe('o');
    expect(new URL(page.url()).searchParams.get('f')).not.toBeNull();
    const url = page.url();

    await page.reload();
    await pageReady(page);
    await waitForRows(page, 'Companies', before.length);
    expect(await namesShown()).toEqual(before);
    expect(page.url()).toBe(url);
    expect(await toolbar().getByLabel('Search this view').inputValue()).toBe('o');

    await toolbar().getByRole('button', { name: 'Remove the filter on Size' }).click();
    const after = ['Acme', 'Émile & Co', 'Globex', 'Hooli', 'Initech', 'item 10'];
    await expect.poll(namesShown, PATIENT).toEqual(after);
    await page.goBack();
    await expect.poll(namesShown, PATIENT).toEqual(before);
    await page.goForward();
    await expect.poll(namesShown, PATIENT).toEqual(after);
    await screenshot(page, 'views-url-round-trip');
  });
});

// A page of its own, listened to from its first request.
describe('views over rows loaded once', () => {
  it('changes sort, filters, search and grouping without asking the server for rows again', async () => {
    // Every page load and every rows request, in the order the page sent them.
    const sent: string[] = [];
    page = await app.page('/companies', {
      beforeGoto: (tab) =>
        tab.on('request', (request) => {
          const path = new URL(request.url()).pathname;
          if (request.resourceType() === 'document') sent.push('page');
          else if (path.startsWith('/api/views/company/rows')) sent.push('rows');
        }),
    });
    await toolbar().getByLabel('Add a sort column').selectOption({ label: 'Size' });
    await expect.poll(namesShown, PATIENT).toEqual(['Émile & Co', 'Hooli', 'Globex', 'Initech', 'Item 9', 'Acme', 'Umbrella', 'item 10']);
    const size = await addFilter('Size');
    await size.getByLabel('Size from').fill('40');
    await expect.poll(namesShown, PATIENT).toEqual(['Globex', 'Initech', 'Item 9', 'Acme', 'Umbrella']);
    await size.getByRole('button', { name: 'Done' }).click();
    await toolbar().getByLabel('Search this view').fill('o');
    await expect.poll(namesShown, PATIENT).toEqual(['Globex', 'Initech', 'Acme']);
    await toolbar().getByLabel('Group by').selectOption({ label: 'Industry' });
    await expect.poll(async () => (await groupRowsOf(page)).length, PATIENT).toBe(2);
    // A reload asks for the rows again: once its request is out, one asked for before it was too.
    await page.reload();
    await expect.poll(() => sent.filter((what) => what === 'rows').length, PATIENT).toBeGreaterThanOrEqual(2);
    expect(sent).toEqual(['page', 'rows', 'page', 'rows']);
  });
});
