/**
 * The audit tab past one page (100 entries): it shows each entry once, newest first, and loads
 * the older ones only when asked (issue 12 item 7: the loader fetched page 1, 2 and 1 again,
 * 125 rows for 124 entries, and Svelte threw `each_key_duplicate`).
 */
import { expect, it } from 'vitest';
import { useApp, type Api } from '../support/app.ts';

/** Teams created here: each one an audit entry, so the log holds more than one page of 100. */
const TEAMS = 110;

const app = useApp();

/** Every entry's cursor, newest first, read page after page through the API. */
async function allCursors(api: Api): Promise<string[]> {
  const cursors: string[] = [];
  let before: string | undefined;
  do {
    const { body } = await api('GET', `/api/audit?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    cursors.push(...body.items.map((entry: { cursor: string }) => entry.cursor));
    before = body.nextCursor;
  } while (before);
  return cursors;
}

it('shows more than 100 entries once each, the older ones when asked', async () => {
  // A tenant of its own: its audit log holds only what this test did.
  const admin = await app.newTenant();
  const api = await app.apiAs(admin);
  // Ten at a time: the entries' order is the log's own, read back through the API below.
  for (let n = 0; n < TEAMS; n += 10) {
    const created = await Promise.all(Array.from({ length: Math.min(10, TEAMS - n) }, (_, i) => api('POST', '/api/teams', { name: `Team ${String(n + i + 1).padStart(3, '0')}`, supervisor: null })));
    expect(created.map(({ status }) => status)).toEqual(created.map(() => 201));
  }
  const expected = await allCursors(api);
  expect(expected.length).toBeGreaterThan(100);
  const errors: string[] = [];
  const page = await app.page('/admin?tab=audit', {
    as: admin,
    beforeGoto: (tab) => {
      tab.on('pageerror', (err) => errors.push(err.message));
      tab.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    },
  });
  const rows = page.locator('section[aria-labelledby="audit-title"] tbody tr');
  const older = page.getByRole('button', { name: 'Older entries' });
  // The first page, and the offer of more: nothing older is fetched until asked.
  await older.waitFor();
  await expect.poll(() => older.isEnabled()).toBe(true);
  expect(await rows.count()).toBe(100);
  await older.click();
  await older.waitFor({ state: 'detached' });
  await expect.poll(() => rows.count()).toBe(expected.length);
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-cursor')));
  expect(shown).toEqual(expected);
  expect(errors).toEqual([]);
});
