/**
 * A deal's stage in the grid, in Chromium against the whole stack, as a person uses it: a new
 * deal starts in New; the stage cell is a dropdown of the pipeline's stages; a pasted column of
 * stages is read by name, case aside (`won`, `WON` are Won), and a text naming no stage is refused
 * on its cell with the reason, nothing sent for it; a stage stored in another case before stages
 * were known shows as the stage it names, on the board in that stage's one column. The probability
 * cell is typed and shown as a percent, and refuses in plain words. Each test in a tenant of its
 * own, its deals made for it, on the deals' grid opened for it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { pageReady, useApp, type Api } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, recordBulkRequests, rowNamed, textOf, waitForRows } from '../support/grid.ts';
import { createRecord, PATIENT } from '../support/seed.ts';
import { clientsFor } from '../support/dynamo.ts';
import { TABLE } from '../../infra/app-resources.ts';

const app = useApp({ clipboard: true });
let page: Page;
let api: Api;
const ids: Record<string, string> = {};
const NAMES = ['D1 Alpha', 'D2 Beta', 'D3 Gamma', 'D4 Delta'];
const STAGES = ['New', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost'];

beforeEach(async () => {
  const admin = await app.newTenant();
  api = await app.apiAs(admin);
  const made = async (key: string, fields: Record<string, unknown>) => (ids[key] = (await createRecord(api, 'deals', fields)).id);
  await Promise.all([
    ...NAMES.map((name) => made(name, { name, stage: 'qualified' })),
    // A deal whose stage was typed as free text before stages were known: stored as `Lost`.
    made('old', { name: 'D5 Old', stage: 'lost', lossReason: 'price' }),
    // And one stored without a stage, as deals were created before a new one started in the first.
    made('stageless', { name: 'D6 Stageless' }),
  ]);
  const tenant = (await api('GET', '/api/me')).body.tenant as string;
  const { doc } = clientsFor(app.cloud.dynamoEndpoint);
  const key = (id: string) => ({ pk: `T#${tenant}#DEAL#${id}`, sk: 'RECORD' });
  await Promise.all([
    doc.send(new UpdateCommand({ TableName: TABLE.name, Key: key(ids.old), UpdateExpression: 'SET stage = :typed', ExpressionAttributeValues: { ':typed': 'Lost' } })),
    doc.send(new UpdateCommand({ TableName: TABLE.name, Key: key(ids.stageless), UpdateExpression: 'REMOVE stage' })),
  ]);
  page = await app.page('/deals?s=name', { as: admin });
  await waitForRows(page, 'Deals', 6);
});

const stored = async (id: string) => (await api('GET', `/api/deals/${id}`)).body;
const rowOf = (name: string) => rowNamed(page, name);

describe('the stage cell', () => {
  it('starts a new deal in New, and offers the stages as a dropdown whose pick is saved', async () => {
    await page.getByRole('button', { name: 'Add deal' }).click();
    await page.getByLabel('Name of the new deal').fill('D0 Fresh');
    await page.getByLabel('Name of the new deal').press('Enter');
    await waitForRows(page, 'Deals', 7);
    await page.keyboard.press('Escape');
    const fresh = await rowOf('D0 Fresh');
    await expect.poll(() => textOf(cellAt(page, fresh, 'stage')), PATIENT).toBe('New');
    const { body } = await api('GET', '/api/deals?limit=100');
    expect(body.items.find((deal: { name: string }) => deal.name === 'D0 Fresh').stage).toBe('new');

    // The stored `Lost` reads as the stage it names.
    expect(await textOf(cellAt(page, await rowOf('D5 Old'), 'stage'))).toBe('Lost');

    const alpha = await rowOf('D1 Alpha');
    expect(await textOf(cellAt(page, alpha, 'stage'))).toBe('Qualified');
    await clickCell(page, alpha, 'stage');
    await page.keyboard.press('Enter');
    const dropdown = page.getByRole('combobox', { name: 'Stage, editing' });
    await dropdown.waitFor();
    expect(await dropdown.locator('option').allTextContents()).toEqual(['—', ...STAGES]);
    await screenshot(page, 'deal-stage-dropdown');
    await dropdown.selectOption({ label: 'Won' });
    await expect.poll(async () => (await stored(ids['D1 Alpha'])).stage, PATIENT).toBe('won');
    await expect.poll(() => textOf(cellAt(page, alpha, 'stage')), PATIENT).toBe('Won');
  });

  it('reads a pasted column of stages by name, case aside, and refuses on its cell what names no stage', async () => {
    const bulk = recordBulkRequests(page);
    const first = await rowOf('D1 Alpha');
    // As a spreadsheet copies a column: one value a line, CRLF, a trailing line break.
    await page.evaluate(() => navigator.clipboard.writeText('won\r\nWON\r\nnegotiation\r\nMaybe later\r\n'));
    await clickCell(page, first, 'stage');
    await page.keyboard.press('Control+V');

    const refused = cellAt(page, first + 3, 'stage');
    await expect.poll(() => refused.getAttribute('aria-invalid'), PATIENT).toBe('true');
    expect(await refused.getAttribute('aria-description')).toBe(`Stage must be one of ${STAGES.join(', ')}.`);
    expect(await textOf(refused)).toContain('Maybe later');
    await expect.poll(() => bulk.length, PATIENT).toBe(1);
    // The three stages as keys, in one request; nothing for the refused cell.
    expect(bulk[0].changes.map(({ field, value }) => [field, value])).toEqual([
      ['stage', 'won'],
      ['stage', 'won'],
      ['stage', 'negotiation'],
    ]);
    await expect.poll(async () => Promise.all(NAMES.map(async (name) => (await stored(ids[name])).stage)), PATIENT).toEqual(['won', 'won', 'negotiation', 'qualified']);
    await expect.poll(() => Promise.all([0, 1, 2].map((i) => textOf(cellAt(page, first + i, 'stage')))), PATIENT).toEqual(['Won', 'Won', 'Negotiation']);
    await screenshot(page, 'deal-stage-paste-refused');
  });

  it('takes a probability typed as a percent, shows it with its sign, and refuses in plain words what is none', async () => {
    // Typed as people write a percent, with or without a space before its sign.
    for (const [name, typed, value] of [['D1 Alpha', '10%', 10], ['D2 Beta', '25 %', 25]] as const) {
      const row = await rowOf(name);
      await clickCell(page, row, 'probability');
      await page.keyboard.type(typed);
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await stored(ids[name])).probability, PATIENT).toBe(value);
      await expect.poll(() => textOf(cellAt(page, row, 'probability')), PATIENT).toBe(`${value}%`);
    }

    const bulk = recordBulkRequests(page);
    const gamma = await rowOf('D3 Gamma');
    await clickCell(page, gamma, 'probability');
    await page.keyboard.type('ten');
    await page.keyboard.press('Enter');
    const cell = cellAt(page, gamma, 'probability');
    await expect.poll(() => cell.getAttribute('aria-invalid'), PATIENT).toBe('true');
    expect(await cell.getAttribute('aria-description')).toBe('Probability must be a percent from 0 to 100, like 25%.');
    expect(bulk).toEqual([]);
    expect((await stored(ids['D3 Gamma'])).probability).toBeUndefined();
  });

  it('shows each stage once on the board, a stage stored in another case in its one column', async () => {
    // A deal created without a stage: in New.
    await createRecord(api, 'deals', { name: 'D0 Fresh' });
    await page.goto(`${app.cloud.url}/deals/board`);
    await pageReady(page);
    const headings = page.getByRole('list', { name: 'Deals by stage' }).getByRole('heading', { level: 2 });
    await expect.poll(() => headings.allTextContents(), PATIENT).toEqual(['No stage', ...STAGES]);
    const column = (label: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: label, exact: true }) });
    expect(await column('Lost').locator('li.deal .name').allTextContents()).toEqual(['D5 Old']);
    expect(await column('No stage').locator('li.deal .name').allTextContents()).toEqual(['D6 Stageless']);
    // Moves go to the pipeline's stages only, each listed once, never to No stage.
    await page.getByRole('button', { name: 'Move D5 Old to…' }).click();
    expect(await page.getByRole('menu', { name: 'Move D5 Old to' }).getByRole('menuitem').allTextContents()).toEqual(STAGES.filter((stage) => stage !== 'Lost'));
    await page.keyboard.press('Escape');
    // Dropped on No stage: refused on the card in the stage cell's words, nothing sent.
    const fresh = page.locator('li.deal').filter({ hasText: 'D0 Fresh' });
    await fresh.dragTo(column('No stage'), { steps: 12 });
    await expect.poll(() => fresh.getByRole('alert').textContent(), PATIENT).toBe(`Not moved to No stage: Stage cannot be empty: it must be one of ${STAGES.join(', ')}.`);
    expect(await column('New').locator('li.deal .name').allTextContents()).toEqual(['D0 Fresh']);
    await page.getByRole('button', { name: 'Move D6 Stageless to…' }).click();
    const menu = page.getByRole('menu', { name: 'Move D6 Stageless to' });
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(STAGES);
    await menu.getByRole('menuitem', { name: 'Qualified' }).click();
    await expect.poll(() => column('Qualified').locator('li.deal .name').allTextContents(), PATIENT).toContain('D6 Stageless');
    await expect.poll(async () => (await stored(ids.stageless)).stage, PATIENT).toBe('qualified');
    await screenshot(page, 'deal-stages-board');
  });
});
