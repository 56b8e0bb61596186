/**
 * A deal's cells in the grid as a salesperson uses them (issue 13, the sales UI's leftovers): a
 * probability is copied as its cell shows it (`25%`, it was copied `25`) and pasted back as the
 * same percent; sorting by Stage puts the deals in the pipeline's order, not A to Z.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, columnShown, headerOf, selectedRange, textOf } from '../support/grid.ts';
import { createRecords, emptyTypes, PATIENT } from '../support/seed.ts';

const app = useApp({ clipboard: true });
let page: Page;
let ids: string[] = [];
/** Named A to Z against their stages' order: sorted by stage they come in another order than by name. */
const DEALS = [
  { name: 'D1 Alpha', stage: 'won', probability: 100 },
  { name: 'D2 Beta', stage: 'new', probability: 10 },
  { name: 'D3 Gamma', stage: 'negotiation', probability: 75 },
  { name: 'D4 Delta', stage: 'lost', lossReason: 'price', probability: 0 },
  { name: 'D5 Epsilon', stage: 'qualified', probability: 25 },
  { name: 'D6 Zeta', stage: 'proposal', probability: 50 },
];

beforeEach(async () => {
  await emptyTypes(app.api, 'deals');
  ids = (await createRecords(app.api, 'deals', DEALS, { inOrder: true })).map((deal) => deal.id);
  page = await app.page('/deals');
});

const probabilityOf = async (i: number) => (await app.api('GET', `/api/deals/${ids[i]}`)).body.probability;

describe('a deal\'s cells in Chromium', () => {
  it('copies probabilities as their cells show them and pastes them back as the same percents', async () => {
    expect(await textOf(cellAt(page, 4, 'probability'))).toBe('25%');
    await clickCell(page, 4, 'probability');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => selectedRange(page)).toMatchObject({ y: 4, y1: 5, from: 'probability', to: 'probability' });
    await page.keyboard.press('Control+C');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('25%\n50%');

    // Pasted over the first two deals: the same percents, read back from what was copied.
    await clickCell(page, 0, 'probability');
    await page.keyboard.press('Control+V');
    await expect.poll(async () => [await probabilityOf(0), await probabilityOf(1)], PATIENT).toEqual([25, 50]);
    await expect.poll(() => textOf(cellAt(page, 1, 'probability'))).toBe('50%');
  });

  it('sorts by Stage in the pipeline\'s order, and back the other way', async () => {
    await headerOf(page, 'stage').click();
    await expect.poll(() => columnShown(page, 'stage'), PATIENT).toEqual(['New', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost']);
    expect(await columnShown(page)).toEqual(['D2 Beta', 'D5 Epsilon', 'D6 Zeta', 'D3 Gamma', 'D1 Alpha', 'D4 Delta']);
    await screenshot(page, 'grid-deal-cells-sorted-by-stage');
    await headerOf(page, 'stage').click();
    await expect.poll(() => columnShown(page, 'stage')).toEqual(['Lost', 'Won', 'Negotiation', 'Proposal', 'Qualified', 'New']);
  });
});
