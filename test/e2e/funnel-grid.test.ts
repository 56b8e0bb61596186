/**
 * A deal's stage cell in the grid over the tenant's pipelines, in Chromium against the whole
 * stack: its dropdown offers the deal's own pipeline's stages; a stage whose required fields the
 * deal lacks is refused by the server, on the cell, with the reason naming them (the grid's own
 * refusal display); and a stage cell entering a lost stage asks for the reason first (the board's
 * dialog), the stage and the reason then saved in one request. Each test in a tenant of its own.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, type Api } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, recordBulkRequests, rowNamed, textOf, waitForRows } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';
import { RENEWALS } from '../support/pipelines.ts';

const app = useApp();
let page: Page;
let api: Api;
const ids: Record<string, string> = {};

beforeEach(async () => {
  const admin = await app.newTenant();
  api = await app.apiAs(admin);
  const made = await api('POST', '/api/pipelines', RENEWALS);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const deal = async (key: string, fields: Record<string, unknown>) => (ids[key] = (await createRecord(api, 'deals', fields)).id);
  await Promise.all([
    deal('sales', { name: 'G1 Sales deal', stage: 'qualified' }),
    deal('renewal', { name: 'G2 Renewal', pipeline: 'renewals', stage: 'due' }),
    deal('other', { name: 'G3 Renewal too', pipeline: 'renewals', stage: 'due' }),
  ]);
  page = await app.page('/deals?s=name', { as: admin });
  await waitForRows(page, 'Deals', 3);
});

const stored = async (id: string) => (await api('GET', `/api/deals/${id}`)).body;
const rowOf = (name: string) => rowNamed(page, name);

async function openStageDropdown(row: number) {
  await clickCell(page, row, 'stage');
  await page.keyboard.press('Enter');
  const dropdown = page.getByRole('combobox', { name: 'Stage, editing' });
  await dropdown.waitFor();
  return dropdown;
}

describe('the stage cell over the tenant\'s pipelines', () => {
  it('offers each deal its own pipeline\'s stages', async () => {
    let dropdown = await openStageDropdown(await rowOf('G2 Renewal'));
    expect(await dropdown.locator('option').allTextContents()).toEqual(['—', 'Due', 'Quote', 'Renewed', 'Churned']);
    await screenshot(page, 'funnel-grid-stage-dropdown');
    await page.keyboard.press('Escape');
    dropdown = await openStageDropdown(await rowOf('G1 Sales deal'));
    expect(await dropdown.locator('option').allTextContents()).toEqual(['—', 'New', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost']);
    await page.keyboard.press('Escape');
  });

  it('shows the server\'s refusal on the cell, naming the fields the stage requires', async () => {
    const row = await rowOf('G2 Renewal');
    await clickCell(page, row, 'stage');
    await page.keyboard.type('Quote');
    await page.keyboard.press('Enter');
    const cell = cellAt(page, row, 'stage');
    await expect.poll(() => cell.getAttribute('aria-invalid'), PATIENT).toBe('true');
    const reason = (await cell.getAttribute('aria-description'))!;
    expect(reason).toMatch(/amount/i);
    expect(reason).toMatch(/expected ?close/i);
    expect(await textOf(cell)).toContain('Quote');
    expect(await stored(ids.renewal)).toMatchObject({ stage: 'due', version: 1 });
    await screenshot(page, 'funnel-grid-required-refused');
  });

  it('asks the reason before a stage cell enters a lost stage; the reason goes with the stage, Esc sends nothing', async () => {
    const bulk = recordBulkRequests(page);
    const row = await rowOf('G2 Renewal');
    // Picked from the dropdown first, then Esc at the dialog.
    const dropdown = await openStageDropdown(row);
    await dropdown.selectOption({ label: 'Churned' });
    const dialog = page.getByRole('dialog', { name: 'Move G2 Renewal to Churned' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Loss reason').locator('option:not([disabled])').allTextContents()).toEqual(['Moved away', 'Budget cut']);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count(), PATIENT).toBe(0);
    await expect.poll(() => textOf(cellAt(page, row, 'stage')), PATIENT).toBe('Due');

    // Typed this time (the cell's suggestions of stages are a browser popup: the dialog is used with the mouse).
    await clickCell(page, row, 'stage');
    await page.keyboard.type('churned');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByLabel('Loss reason').selectOption({ label: 'Moved away' });
    await dialog.getByLabel('Comment (optional)').fill('Closed their office here');
    await screenshot(page, 'funnel-grid-loss-dialog');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'funnel-grid-loss-dialog-1920');
    await dialog.getByRole('button', { name: 'Move to Churned' }).click();
    await expect.poll(() => stored(ids.renewal), PATIENT).toMatchObject({ stage: 'churned', lossReason: 'moved_away', lossComment: 'Closed their office here' });
    await expect.poll(() => textOf(cellAt(page, row, 'stage')), PATIENT).toBe('Churned');
    // One request: the stage with its reason and comment (the Esc before sent nothing).
    expect(bulk.map((request) => request.changes.map(({ field, value }) => [field, value]))).toEqual([
      [
        ['stage', 'churned'],
        ['lossReason', 'moved_away'],
        ['lossComment', 'Closed their office here'],
      ],
    ]);
  });
});
