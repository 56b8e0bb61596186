/**
 * Sorting and grouping as in a spreadsheet, in Chromium: sort arrows and positions in the
 * column headers (`aria-sort`), click and Shift+click on headers, the column menu's keyboard
 * equivalent; group header rows inside the grid with counts and sums, collapsed and expanded by
 * mouse and keyboard, kept in the URL; a paste and a Delete across a group row; and Export of an unsaved,
 * filtered, searched view, which writes the rows the grid shows. Expectations are computed from
 * the deals as created. A stage sorts (and groups) in the pipeline's order and shows its label.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageReady, useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { clickCell, columnShown, focusLandsOn, gridOf, groupRowsOf, headerOf, recordBulkRequests, waitForRows } from '../support/grid.ts';
import { createRecord, emptyTypes, PATIENT } from '../support/seed.ts';
import { DEFAULT_PIPELINE, stageNamed } from '../../functions/contracts/deal-stages.ts';

const app = useApp({ clipboard: true });
const api = (...args: Parameters<typeof app.api>) => app.api(...args);
let page: Page;

type Deal = { name: string; stage: string; amount: string; currency: string; probability: number };
const DEALS: Deal[] = [
  { name: 'Audit', stage: 'qualified', amount: '5000.00', currency: 'USD', probability: 20 },
  { name: 'Cables', stage: 'won', amount: '0.01', currency: 'EUR', probability: 100 },
  { name: 'Licences', stage: 'proposal', amount: '99.99', currency: 'USD', probability: 60 },
  { name: 'Racks', stage: 'won', amount: '50.00', currency: 'EUR', probability: 90 },
  { name: 'Support', stage: 'won', amount: '300.00', currency: 'EUR', probability: 100 },
  { name: 'Turbines', stage: 'proposal', amount: '1200.50', currency: 'EUR', probability: 40 },
];
const ids = new Map<string, string>();

/** Each test's deals (one test pastes into them). */
beforeEach(async () => {
  await emptyTypes(app.api, 'deals');
  for (const d of DEALS) ids.set(d.name, (await createRecord(app.api, 'deals', { name: d.name, stage: d.stage, amount: { amount: d.amount, currency: d.currency }, probability: d.probability })).id);
});

/** The deals' grid with this view in the URL. */
async function deals(query = '') {
  page = await app.page(`/deals${query}`);
}

/** The names of the record rows in the order shown (group rows left out). */
const namesShown = () => columnShown(page);

/** A stage's place in the pipeline: what it sorts by. */
const stageAt = (key: string) => DEFAULT_PIPELINE.stages.findIndex((stage) => stage.key === key);

/** The deals' names as sorted by `keys` (then by name, the order they were loaded in). */
function sortedBy(keys: Array<[keyof Deal, 'asc' | 'desc']>, deals = DEALS): string[] {
  const value = (d: Deal, key: keyof Deal) => (key === 'amount' ? Number(d.amount) : key === 'stage' ? stageAt(d.stage) : d[key]);
  return [...deals]
    .sort((a, b) => {
      for (const [key, direction] of keys) {
        const [x, y] = [value(a, key), value(b, key)];
        if (x !== y) return (x < y ? -1 : 1) * (direction === 'asc' ? 1 : -1);
      }
      return a.name.localeCompare(b.name);
    })
    .map((d) => d.name);
}

const sortParam = () => new URL(page.url()).searchParams.get('s');
const collapsedParam = () => new URL(page.url()).searchParams.getAll('x');
const ariaSort = (key: string) => headerOf(page, key).getAttribute('aria-sort');
const rowCount = () => gridOf(page, 'Deals').getAttribute('aria-rowcount');

/** A group's sum of money per currency as the grid writes it: `Σ EUR 1,200.50 · Σ USD 99.99`. */
function moneySums(deals: Deal[]): string {
  const currencies = [...new Set(deals.map((d) => d.currency))].sort();
  return currencies
    .map((currency) => {
      const cents = deals.filter((d) => d.currency === currency).reduce((total, d) => total + Math.round(Number(d.amount) * 100), 0);
      return `Σ ${currency} ${(cents / 100).toLocaleString('en', { minimumFractionDigits: 2 })}`;
    })
    .join(' · ');
}

describe('sorting from the column headers', () => {
  it('sorts by a header click (ascending, descending, off), shows arrows, positions and aria-sort, and adds keys with Shift+click', async () => {
    await deals();
    await headerOf(page, 'probability').click();
    await expect.poll(namesShown, PATIENT).toEqual(sortedBy([['probability', 'asc']]));
    await expect.poll(sortParam, PATIENT).toBe('probability');
    expect(await ariaSort('probability')).toBe('ascending');
    expect(await headerOf(page, 'probability').textContent()).toBe('Probability▲');

    await headerOf(page, 'probability').click();
    await expect.poll(namesShown, PATIENT).toEqual(sortedBy([['probability', 'desc']]));
    expect(await ariaSort('probability')).toBe('descending');

    await headerOf(page, 'stage').click({ modifiers: ['Shift'] });
    await expect.poll(namesShown, PATIENT).toEqual(
      sortedBy([
        ['probability', 'desc'],
        ['stage', 'asc'],
      ]),
    );
    await expect.poll(sortParam, PATIENT).toBe('-probability,stage');
    expect(await headerOf(page, 'probability').textContent()).toBe('Probability▼1');
    expect(await headerOf(page, 'stage').textContent()).toBe('Stage▲2');
    // Only the primary sort column carries aria-sort (ARIA: one header per table); the second shows its arrow and position.
    expect(await ariaSort('probability')).toBe('descending');
    expect(await ariaSort('stage')).toBeNull();
    expect(await ariaSort('name')).toBeNull();
    await screenshot(page, 'views-header-multi-sort');

    // Without Shift, a column that was one of several keys becomes the only one; then descending, then off.
    await headerOf(page, 'stage').click();
    await expect.poll(sortParam, PATIENT).toBe('stage');
    expect(await ariaSort('probability')).toBeNull();
    expect(await ariaSort('stage')).toBe('ascending');
    await headerOf(page, 'stage').click();
    await expect.poll(sortParam, PATIENT).toBe('-stage');
    await expect.poll(namesShown, PATIENT).toEqual(sortedBy([['stage', 'desc']]));
    await headerOf(page, 'stage').click();
    await expect.poll(sortParam, PATIENT).toBeNull();
    await expect.poll(namesShown, PATIENT).toEqual(sortedBy([]));
    expect(await ariaSort('stage')).toBeNull();
  });

  it('sorts from the column menu by keyboard: Enter sorts by a column, Shift+Enter adds one', async () => {
    await deals();
    await page.getByRole('toolbar', { name: 'View' }).getByRole('button', { name: 'Columns' }).click();
    const menu = page.getByRole('dialog', { name: 'Columns' });
    await menu.getByRole('button', { name: 'Sort by Stage', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(sortParam, PATIENT).toBe('stage');
    await menu.getByRole('button', { name: 'Sort by Amount', exact: true }).focus();
    await page.keyboard.press('Shift+Enter');
    await expect.poll(sortParam, PATIENT).toBe('stage,amount');
    await expect.poll(namesShown, PATIENT).toEqual(
      sortedBy([
        ['stage', 'asc'],
        ['amount', 'asc'],
      ]),
    );
    expect(await menu.getByRole('button', { name: 'Sort by Stage, sorted ascending' }).textContent()).toBe('▲1');
    expect(await headerOf(page, 'amount').textContent()).toBe('Amount▲2');
    await page.keyboard.press('Escape');
    // Off again by the header: stage ascending, descending, off.
    await headerOf(page, 'stage').click();
    await headerOf(page, 'stage').click();
    await headerOf(page, 'stage').click();
    await expect.poll(sortParam, PATIENT).toBeNull();
  });
});

describe('group rows in the grid', () => {
  const stages = [...new Set(DEALS.map((d) => d.stage))].sort((a, b) => stageAt(a) - stageAt(b));
  const inStage = (stage: string) => DEALS.filter((d) => d.stage === stage);
  /** A group row shows its stage's label (Proposal), the deals store its key (proposal). */
  const stageLabel = (stage: string) => stageNamed(DEFAULT_PIPELINE, stage)!.label;
  const label = (stage: string, open = true) => `${open ? '▾' : '▸'} Stage: ${stageLabel(stage)} · ${inStage(stage).length} ${inStage(stage).length === 1 ? 'row' : 'rows'}`;
  const groupAt = async (stage: string) => (await groupRowsOf(page)).find((group) => group.label.includes(`Stage: ${stageLabel(stage)} `))!;

  it('shows a header row per group with its count and its sums of money (per currency) and numbers', async () => {
    await deals();
    await page.getByRole('toolbar', { name: 'View' }).getByLabel('Group by').selectOption({ label: 'Stage' });
    await expect.poll(() => groupRowsOf(page, ['amount', 'probability']), PATIENT).toEqual(
      stages.map((stage, i) => ({
        row: stages.slice(0, i).reduce((rows, s) => rows + 1 + inStage(s).length, 0),
        label: label(stage),
        expanded: true,
        sums: { amount: moneySums(inStage(stage)), probability: `Σ ${inStage(stage).reduce((total, d) => total + d.probability, 0)}` },
      })),
    );
    // ARIA counts every row drawn: records, group rows and the header.
    expect(await rowCount()).toBe(String(DEALS.length + stages.length + 1));
    expect(await namesShown()).toEqual(sortedBy([['stage', 'asc']]));
    await screenshot(page, 'views-group-rows');
  });

  it('collapses and expands a group by click and by keyboard, and keeps collapsed groups in the URL', async () => {
    await deals('?g=stage');
    const won = await groupAt('won');
    await page.locator(`revo-grid [data-group-toggle][aria-rowindex="${won.row + 2}"]`).click();
    await expect.poll(async () => (await groupAt('won')).expanded, PATIENT).toBe(false);
    expect(await rowCount()).toBe(String(DEALS.length - inStage('won').length + stages.length + 1));
    expect(await namesShown()).toEqual(sortedBy([['stage', 'asc']], DEALS.filter((d) => d.stage !== 'won')));
    await expect.poll(collapsedParam, PATIENT).toEqual(['"won"']);
    expect((await groupAt('won')).label).toBe(label('won', false));
    await screenshot(page, 'views-group-collapsed');

    // The keyboard, on the group row the click focused: ArrowRight expands, ArrowLeft collapses, Enter toggles.
    await focusLandsOn(page, won.row, 'name');
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await groupAt('won')).expanded, PATIENT).toBe(true);
    expect(await rowCount()).toBe(String(DEALS.length + stages.length + 1));
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await groupAt('won')).expanded, PATIENT).toBe(false);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await groupAt('won')).expanded, PATIENT).toBe(true);
    // The URL follows a moment after the grid (the view is put there by navigation).
    await expect.poll(collapsedParam, PATIENT).toEqual([]);

    // A sum cell of a group row takes the focus without toggling; ArrowLeft there collapses too.
    const proposal = await groupAt('proposal');
    await clickCell(page, proposal.row, 'amount');
    expect((await groupAt('proposal')).expanded).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await groupAt('proposal')).expanded, PATIENT).toBe(false);
    await expect.poll(collapsedParam, PATIENT).toEqual(['"proposal"']);

    await page.reload();
    await pageReady(page);
    await waitForRows(page, 'Deals', DEALS.length - inStage('proposal').length + stages.length);
    await expect.poll(async () => (await groupAt('proposal'))?.label, PATIENT).toBe(label('proposal', false));
    await page.locator(`revo-grid [data-group-toggle][aria-rowindex="${proposal.row + 2}"]`).click();
    await expect.poll(async () => (await groupAt('proposal')).expanded, PATIENT).toBe(true);
  });

  it('pastes and deletes across a group row: the records around it change, never the group row', async () => {
    await deals('?g=stage');
    // Rows as shown: each group row, then its deals by name. Paste from the last deal of the first group.
    const first = inStage(stages[0]);
    const lastOfFirst = first.length; // its group row is at 0
    const bulk = recordBulkRequests(page);
    await clickCell(page, lastOfFirst, 'probability');
    await page.evaluate((t) => navigator.clipboard.writeText(t), '11\n22\n33');
    await page.keyboard.press('Control+V');
    // Record rows in order from the focused one, the last of group 1: then group 2's, past its group row.
    const recordsShown = stages.flatMap((stage) => sortedBy([['name', 'asc']], inStage(stage)));
    const targets = recordsShown.slice(first.length - 1, first.length + 2);
    await expect.poll(() => bulk.length, PATIENT).toBe(1);
    expect(bulk[0].changes.map((c) => [c.id, c.field, c.value])).toEqual(targets.map((name, i) => [ids.get(name), 'probability', [11, 22, 33][i]]));
    await expect
      .poll(async () => Promise.all(targets.map(async (name) => (await api('GET', `/api/deals/${ids.get(name)}`)).body.probability)), PATIENT)
      .toEqual([11, 22, 33]);
    // The groups' sums follow the saved values.
    const probabilities = new Map(DEALS.map((d) => [d.name, d.probability]));
    targets.forEach((name, i) => probabilities.set(name, [11, 22, 33][i]));
    await expect
      .poll(async () => (await groupRowsOf(page, ['probability'])).map((group) => group.sums.probability), PATIENT)
      .toEqual(stages.map((stage) => `Σ ${inStage(stage).reduce((total, d) => total + probabilities.get(d.name)!, 0)}`));
    expect((await groupRowsOf(page)).map((group) => group.label)).toEqual(stages.map((stage) => label(stage)));
    await screenshot(page, 'views-group-paste');

    // Delete on a range over a group row clears the records' cells around it, nothing else.
    await clickCell(page, lastOfFirst, 'probability');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Delete');
    await expect.poll(() => bulk.length, PATIENT).toBe(2);
    expect(bulk[1].changes.map((c) => [c.id, c.field])).toEqual(targets.slice(0, 2).map((name) => [ids.get(name), 'probability']));
    await expect
      .poll(async () => Promise.all(targets.map(async (name) => (await api('GET', `/api/deals/${ids.get(name)}`)).body.probability ?? null)), PATIENT)
      .toEqual([null, null, 33]);
    await page.getByRole('toolbar', { name: 'View' }).getByLabel('Group by').selectOption({ label: '—' });
  });
});

describe('export of the view as shown', () => {
  it('writes the rows, order and columns of an unsaved filtered and searched view', async () => {
    const query = new URLSearchParams([
      ['f', 'stage.eq."won"'],
      ['s', '-amount'],
      ['c', 'name,amount,stage'],
      ['q', 'r'],
    ]);
    await deals(`?${query}`);
    const shown = DEALS.filter((d) => d.stage === 'won' && /r/i.test(d.name + d.amount + d.stage)).sort((a, b) => Number(b.amount) - Number(a.amount));
    await expect.poll(namesShown, PATIENT).toEqual(shown.map((d) => d.name));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    const [header, ...rows] = Papa.parse<string[]>(readFileSync((await download.path())!, 'utf8').trimEnd()).data;
    // Id and Version first, so that the file, edited, updates these records at the version exported.
    expect(header).toEqual(['Id', 'Version', 'Name', 'Amount', 'Stage']);
    const versions = new Map((await api('GET', '/api/deals')).body.items.map((d: { id: string; version: number }) => [d.id, String(d.version)]));
    // The stage by its label, as the grid shows it.
    expect(rows).toEqual(shown.map((d) => [ids.get(d.name), versions.get(ids.get(d.name)), d.name, `${d.amount} ${d.currency}`, 'Won']));
    await screenshot(page, 'views-export-unsaved');
  });
});
