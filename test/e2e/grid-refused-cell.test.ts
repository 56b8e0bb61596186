/**
 * A refused value on a cell in Chromium (issue 13 item 4): the cell shows the text typed with the
 * reason, and the stored value is still the one saved. Clearing that cell (Delete, Backspace) or
 * Esc drops the text typed and shows the stored value again; it never clears the stored value. A
 * second Delete, on a cell showing what is stored, clears it as any Delete does.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pageReady, useApp } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { cellAt, clickCell, recordBulkRequests, selectedRange, textOf } from '../support/grid.ts';
import { createRecord, emptyTypes, PATIENT } from '../support/seed.ts';

const app = useApp();
let page: Page;
let contactId = '';
const SAVED = '+14155550134';

beforeEach(async () => {
  await emptyTypes(app.api, 'contacts');
  contactId = (await createRecord(app.api, 'contacts', { name: 'Ada Phone', phones: [SAVED] })).id;
  page = await app.page('/contacts');
});

/** The contact's phones as the server has them. */
const storedPhones = async () => (await app.api('GET', `/api/contacts/${contactId}`)).body.phones;

/** Types refused text over the saved phone, and waits until the cell says it is refused. */
async function typeRefusedPhone() {
  const cell = cellAt(page, 0, 'phones');
  await clickCell(page, 0, 'phones');
  await page.keyboard.type('call me maybe');
  await page.keyboard.press('Enter');
  await expect.poll(() => cell.getAttribute('aria-invalid'), PATIENT).toBe('true');
  expect(await textOf(cell)).toContain('call me maybe');
  await clickCell(page, 0, 'phones');
  return cell;
}

describe('a refused cell in Chromium', () => {
  for (const key of ['Delete', 'Backspace', 'Escape']) {
    it(`drops only the refused text on ${key}: the saved phone stays on the server and shows again`, async () => {
      const cell = cellAt(page, 0, 'phones');
      const shown = await textOf(cell);
      expect(shown).not.toBe('');
      await typeRefusedPhone();
      const bulk = recordBulkRequests(page);
      await page.keyboard.press(key);
      await expect.poll(() => cell.getAttribute('aria-invalid'), PATIENT).toBeNull();
      expect(await textOf(cell)).toBe(shown);
      await expect.poll(() => page.getByTestId('cell-message').textContent()).toBe('');
      await screenshot(page, `grid-refused-cell-${key.toLowerCase()}`);

      // Proved nothing was sent for the key: a value typed next is the only change that reaches
      // the server, and the phone before it was the saved one all along.
      expect(await storedPhones()).toEqual([SAVED]);
      await clickCell(page, 0, 'position');
      await page.keyboard.type('Buyer');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await app.api('GET', `/api/contacts/${contactId}`)).body.position, PATIENT).toBe('Buyer');
      expect(await storedPhones()).toEqual([SAVED]);
      expect(bulk.flatMap((b) => b.changes.map((c) => c.field))).toEqual(['position']);
    });
  }

  it('drops the refused text and clears the other cells of a range a Delete covers, in one request', async () => {
    const other = await createRecord(app.api, 'contacts', { name: 'Bob Phone', phones: ['+14155550199'] });
    await page.reload();
    await pageReady(page);
    const cell = await typeRefusedPhone();
    const bulk = recordBulkRequests(page);
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => selectedRange(page)).toMatchObject({ y: 0, y1: 1 });
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await app.api('GET', `/api/contacts/${other.id}`)).body.phones ?? null, PATIENT).toBeNull();
    await expect.poll(() => cell.getAttribute('aria-invalid')).toBeNull();
    expect(await storedPhones()).toEqual([SAVED]);
    expect(bulk.flatMap((b) => b.changes.map((c) => `${c.id === other.id ? 'Bob' : 'Ada'}.${c.field}=${c.value}`))).toEqual(['Bob.phones=null']);
  });

  it('clears the stored phone with a second Delete, on the cell showing it', async () => {
    const cell = await typeRefusedPhone();
    await page.keyboard.press('Delete');
    await expect.poll(() => cell.getAttribute('aria-invalid'), PATIENT).toBeNull();
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await storedPhones()) ?? null, PATIENT).toBeNull();
    await expect.poll(() => textOf(cell)).toBe('');
  });
});
