/**
 * The Pipelines tab of the admin area, in Chromium against the whole stack: an administrator
 * renames the default pipeline, adds a stage and moves it with the keyboard, sets its probability,
 * forecast category, colour, required fields and max days, adds a loss reason, and saves; a save
 * meeting another administrator's shows theirs and puts the admin's changes back over it; a
 * stage that deals are in is refused on Save and merged into another instead, its deals moved
 * under a progress bar; a new pipeline is added. Each test in a tenant of its own.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { createRecord, PATIENT } from '../support/seed.ts';

const app = useApp();
let admin: User;
let api: Api;
let page: Page;

beforeEach(async () => {
  admin = await app.newTenant();
  api = await app.apiAs(admin);
});

async function pipelinesTab(): Promise<Page> {
  page = await app.page('/admin?tab=pipelines', { as: admin });
  await page.locator('.pipelines-config[data-ready]').waitFor();
  return page;
}

const storedPipelines = async () => (await api('GET', '/api/pipelines')).body.items as Array<Record<string, any>>;
const stageNames = async () => page.locator('tr[data-stage] input[data-control="label"]').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));

describe('the Pipelines tab', () => {
  it('edits a pipeline: name, a stage added and moved by keyboard, its rules, a loss reason; saved at its version', async () => {
    await pipelinesTab();
    expect(await page.getByText('version 0 (the default: never saved)').count()).toBe(1);
    await page.getByLabel('Pipeline name', { exact: true }).fill('New business');
    await page.getByLabel('New stage name').fill('Demo');
    await page.getByRole('button', { name: 'Add stage' }).click();
    // Added before the stages that end a deal.
    expect(await stageNames()).toEqual(['New', 'Qualified', 'Proposal', 'Negotiation', 'Demo', 'Won', 'Lost']);
    // Alt+Up from the stage's own name box moves it, the focus staying on that box.
    await page.getByLabel('Stage 5 name').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(stageNames, PATIENT).toEqual(['New', 'Qualified', 'Demo', 'Proposal', 'Negotiation', 'Won', 'Lost']);
    expect(await focusedLabel()).toBe('Stage 3 name');
    await page.getByLabel('Stage 3 probability').fill('35');
    await page.getByLabel('Stage 3 forecast category').selectOption({ label: 'Best case' });
    await page.getByLabel('Stage 3 colour').fill('#0d9488');
    await page.getByLabel('Stage 3 max days').fill('14');
    await page.getByLabel('Stage 3 max days').blur();
    await page.locator('tr[data-stage="demo"] summary').click();
    const required = page.getByRole('group', { name: 'Fields required to enter stage 3' });
    await required.getByLabel('Amount').check();
    await required.getByLabel('Expected close').check();
    await page.getByLabel('New loss reason').fill('Went with a partner');
    await page.getByRole('button', { name: 'Add reason' }).click();
    await screenshot(page, 'funnel-admin-pipeline');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await screenshot(page, 'funnel-admin-pipeline-1920');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved (version 1).' }).waitFor();

    const [saved] = await storedPipelines();
    expect(saved).toMatchObject({ key: 'default', label: 'New business', version: 1 });
    expect(saved.stages.map((s: { key: string }) => s.key)).toEqual(['new', 'qualified', 'demo', 'proposal', 'negotiation', 'won', 'lost']);
    expect(saved.stages[2]).toEqual({ key: 'demo', label: 'Demo', probability: 35, forecast: 'best_case', colour: '#0d9488', requiredFields: ['amount', 'expectedClose'], maxDays: 14 });
    expect(saved.lossReasons.at(-1)).toEqual({ key: 'went_with_a_partner', label: 'Went with a partner' });
  });

  it('shows a pipeline another administrator saved meanwhile, and puts this one\'s changes back over it', async () => {
    await pipelinesTab();
    await page.getByLabel('Stage 1 name').fill('Lead in');
    // Another administrator saves first.
    const [current] = await storedPipelines();
    const { version, updatedAt: _at, updatedBy: _by, ...theirs } = current;
    const put = await api('PUT', '/api/pipelines/default', { version, pipeline: { ...theirs, label: 'Their sales' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByTestId('pipeline-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Their sales');
    await screenshot(page, 'funnel-admin-pipeline-conflict');
    await conflict.getByRole('button', { name: 'Reapply my changes' }).click();
    expect(await page.getByLabel('Stage 1 name').inputValue()).toBe('Lead in');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved (version 2).' }).waitFor();
    const [saved] = await storedPipelines();
    expect(saved).toMatchObject({ version: 2, label: 'Sales' });
    expect(saved.stages[0].label).toBe('Lead in');
  });

  it('merges a stage deals are in into another, moving them under a progress bar; adds a pipeline', async () => {
    const deals = await Promise.all(['M1', 'M2', 'M3'].map((name) => createRecord(api, 'deals', { name, stage: 'negotiation' })));
    await pipelinesTab();
    // Removed and saved: refused, deals are in it; the editor says to merge it.
    await page.getByLabel('Remove stage 4').click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('cannot drop stage Negotiation: 3 deals are in it').first().waitFor();
    expect((await storedPipelines())[0].version).toBe(0);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page.locator('tr[data-stage="negotiation"]').getByRole('button', { name: 'Merge into…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge Negotiation into…' });
    await dialog.getByLabel('Merge into').selectOption({ label: 'Proposal' });
    await dialog.getByRole('button', { name: 'Merge' }).click();
    await page.getByRole('status').filter({ hasText: 'Negotiation merged into Proposal: 3 deals moved.' }).waitFor();
    expect(await stageNames()).toEqual(['New', 'Qualified', 'Proposal', 'Won', 'Lost']);
    for (const deal of deals) expect((await api('GET', `/api/deals/${deal.id}`)).body.stage).toBe('proposal');
    const moves = await api('GET', `/api/deals/${deals[0].id}/stage-moves`);
    expect(moves.body.items.at(-1)).toMatchObject({ from: 'negotiation', to: 'proposal', source: 'merge' });

    await page.getByLabel('New pipeline name').fill('Renewals');
    await page.getByRole('button', { name: 'Add pipeline' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved (version' }).waitFor();
    expect((await storedPipelines()).map((p) => p.label)).toEqual(['Sales', 'Renewals']);
    expect(await page.getByLabel('Pipeline to edit').locator('option').allTextContents()).toEqual(['Sales', 'Renewals']);
  });
});
