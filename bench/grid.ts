/**
 * The grid in Chromium over 100,000 companies x 15 columns, served by the local stack (issue 5):
 * time from navigation to the first rows and to all rows, scrolling top to bottom (frame times
 * from requestAnimationFrame deltas), the JS heap, and a paste of 1,000 x 10 cells: time until
 * every cell is saved (10 bulk requests of 1,000). Sort (the toolbar's sort commands: the grid's
 * header does not sort) and filter as you type (quick search, a column filter on Name) are timed
 * in the page from the input event (key down, click, choice) to the first frame painted after the
 * grid got its new rows and shows them (see `timeToRepaint`); bench/views measures applyView alone.
 *
 * Companies are written straight into the table (bench/support/seed-records.ts); the view is a
 * saved one of 15 columns (3 of them custom text fields, so 10 editable columns sit side by side).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

const RECORDS = Number(process.env.RECORDS ?? 100_000);
const PASTE_ROWS = Math.min(1000, RECORDS);
/** PROFILE=1: CPU profiles of the first rows, the scroll and the column filter's keys, top functions by self time. */
const PROFILE = process.env.PROFILE === '1';
/** TRACE=1: a Performance trace of the scroll, the renderer's time split by kind (style, layout, paint, script). */
const TRACE = process.env.TRACE === '1';
/**
 * STATIC_DIR: serve this build of the SPA instead of frontend/build, e.g. one made with
 * SHEETFLOW_MINIFY=0 (see frontend/vite.config.ts) so that a profile names our functions.
 */
const STATIC_DIR = process.env.STATIC_DIR;

const { startEmbeddedCloud } = await import('../local/embedded-cloud.ts');
const { ensureFrontendBuilt } = await import('../local/frontend-build.mjs');
const { signIn } = await import('../test/support/cloud.ts');
const { launchBrowser } = await import('../test/support/browser.ts');
const { signIn: signInPage } = await import('../test/support/app.ts');
const { seedRecords, streamSettled } = await import('./support/seed-records.ts');
const { viewPrepared } = await import('./support/view-prepared.ts');
const { scrollTopToBottom } = await import('./support/grid-scroll.ts');
const { traceOf } = await import('./support/trace.ts');

if (!STATIC_DIR) await ensureFrontendBuilt({ quiet: true });
const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-bench-grid-'));
const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0, staticDir: STATIC_DIR });
const browser = await launchBrowser({ viewport: { width: 1280, height: 720 } });
let figures: Record<string, unknown> = { rows: RECORDS, columns: 15 };
try {
  const admin = cloud.demoAdmin;
  const { IdToken: token } = await signIn(cloud.url, cloud.identity.clientId, admin.email, admin.password!);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${cloud.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  const notes: string[] = [];
  for (const label of ['Note one', 'Note two', 'Note three']) notes.push((await post('/api/fields/company', { label, type: 'text' })).key as string);

  const t0 = performance.now();
  await seedRecords(admin.tenant, 'COMPANY', RECORDS, (i) => ({
    name: `Company ${String(i).padStart(6, '0')}`,
    domain: `c${i}.example`,
    taxId: `DE${100000 + i}`,
    industry: ['Energy', 'Retail', 'Software', 'Mining'][i % 4],
    size: i % 5000,
    phones: [`+4930${String(1_000_000 + i)}`],
    emails: [`info@c${i}.example`],
    tags: i % 2 ? ['b2b'] : ['b2c'],
    [notes[0]]: `note ${i}`,
  }));
  console.log(`seeded ${RECORDS} companies in ${Math.round(performance.now() - t0)} ms`);
  await streamSettled(cloud);
  const columns = ['name', 'domain', 'taxId', 'industry', 'size', 'phones', 'emails', 'tags', ...notes, 'createdAt', 'updatedAt', 'owner', 'version'];
  const view = await post('/api/views/company', { name: 'Everything', columns, sort: [{ field: 'name' }] });

  const page = await browser.newPage();
  await page.goto(`${cloud.url}/signin`);
  await signInPage(page, admin.email, admin.password!);
  await page.waitForURL((url) => url.pathname !== '/signin');
  // Warm the server's read of the type once (a container's first read is bench/records-view's):
  // a type this large is prepared off the request path, answered 202 until it is ready.
  console.log(`view prepared for reading in ${Math.round(await viewPrepared(cloud.url, 'company', view.id, token!))} ms`);

  const cdp = PROFILE || TRACE ? await page.context().newCDPSession(page) : undefined;
  const profile = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    if (TRACE && cdp && what === 'scroll') return traceOf(cdp, what, run);
    if (!PROFILE || !cdp) return run();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const result = await run();
    printTopSelfTime(what, (await cdp.send('Profiler.stop')).profile as unknown as CpuProfile);
    return result;
  };

  const start = performance.now();
  await profile('first rows', async () => {
  await page.goto(`${cloud.url}/companies?view=${view.id}`);
  await page.locator('revo-grid [role=gridcell][data-field="name"][aria-rowindex="2"]').waitFor({ timeout: 120_000 });
  });
  const firstRows = performance.now() - start;
  if (PROFILE) {
    // Where the time to first rows went: the page's requests, from the navigation's start.
    const requests = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => `${Math.round(e.startTime)}-${Math.round(e.responseEnd)} ms ${e.name.replace(location.origin, '')}`),
    );
    console.log(`requests before first rows:\n  ${requests.join('\n  ')}`);
  }
  await page.waitForFunction((n) => document.querySelector('revo-grid')?.getAttribute('aria-rowcount') === String(n + 1) && !document.querySelector('[role=progressbar][aria-label="Loading rows"]'), RECORDS, { timeout: 300_000, polling: 100 });
  const allRows = performance.now() - start;
  console.log(`first rows ${Math.round(firstRows)} ms, all ${RECORDS} rows ${Math.round(allRows)} ms`);

  // Scroll from top to bottom, 100 rows a frame, with the frame-to-frame times.
  const scroll = await profile('scroll', () => scrollTopToBottom(page, RECORDS));
  console.log(`scroll: ${scroll.frames} frames, p95 ${scroll.p95.toFixed(1)} ms, max ${scroll.max.toFixed(1)} ms, ${scroll.over50} over 50 ms`);
  const heap = await page.evaluate(() => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);

  // Sort and filter as you type, each step timed from its input event to the repainted grid.
  const toolbar = page.getByRole('toolbar', { name: 'View' });
  const timed = async (what: string, act: () => Promise<unknown>) => {
    // tsx names functions with a helper of its own, which the page has not got.
    await page.evaluate('globalThis.__name ??= (fn) => fn');
    await page.evaluate(armRepaintTimer);
    await act();
    const ms = await page.evaluate(() => (window as unknown as { repainted: Promise<number | null> }).repainted);
    console.log(`${what}: ${ms === null ? 'no repaint within 30 s' : `${ms.toFixed(1)} ms`}`);
    return ms ?? Number.NaN;
  };
  await toolbar.getByRole('button', { name: 'Stop sorting by Name' }).click();
  const sorts = [
    await timed('sort by Tags (first sort of the column)', () => toolbar.getByLabel('Add a sort column').selectOption({ label: 'Tags' })),
    await timed('sort by Tags reversed', () => toolbar.getByRole('button', { name: /^Sort by Tags/ }).click()),
    await timed('sort by Tags reversed again', () => toolbar.getByRole('button', { name: /^Sort by Tags/ }).click()),
    await timed('no sort (loaded order)', () => toolbar.getByRole('button', { name: 'Stop sorting by Tags' }).click()),
    await timed('sort by Size (first sort of the column)', () => toolbar.getByLabel('Add a sort column').selectOption({ label: 'Size' })),
    await timed('sort by Size reversed', () => toolbar.getByRole('button', { name: /^Sort by Size/ }).click()),
  ];
  await toolbar.getByRole('button', { name: 'Stop sorting by Size' }).click();
  const typed = async (what: string, input: Locator, text: string) => {
    const times: number[] = [];
    for (const key of text) times.push(await timed(`${what} "${key}"`, () => input.press(key)));
    return times;
  };
  const search = toolbar.getByLabel('Search this view');
  await search.focus();
  const searchKeys = await typed('quick search key', search, '012345');
  await search.fill('');
  await toolbar.getByLabel('Add a filter').selectOption({ label: 'Name' });
  const nameContains = page.getByRole('dialog', { name: 'Filter Name' }).getByLabel('Name contains');
  await nameContains.focus();
  const filterKeys = await profile('column filter keys', () => typed('Name contains key', nameContains, '12345'));
  await page.getByRole('dialog', { name: 'Filter Name' }).getByRole('button', { name: 'Done' }).click();
  await toolbar.getByRole('button', { name: 'Remove the filter on Name' }).click();

  // Paste 1,000 rows x 10 editable columns (domain .. the third note) at the top.
  await page.evaluate(async () => {
    const grid = document.querySelector('revo-grid') as HTMLElement & { scrollToRow(y: number): Promise<void> };
    await grid.scrollToRow(0);
  });
  await page.locator('revo-grid [role=gridcell][data-field="domain"][aria-rowindex="2"]').click();
  const block = Array.from({ length: PASTE_ROWS }, (_, i) =>
    [`p${i}.example`, `FR${i}`, 'Pasted', String(i), `+3314${String(1_000_000 + i)}`, `p${i}@x.example`, 'pasted', 'one', 'two', 'three'].join('\t'),
  ).join('\n');
  let results = 0;
  let ok = 0;
  const saved = new Promise<void>((resolve) => {
    page.on('response', async (response) => {
      if (!response.url().endsWith('/api/bulk')) return;
      const body = await response.json();
      results += body.results.length;
      ok += body.results.filter((r: { status: string }) => r.status === 'ok').length;
      if (results >= PASTE_ROWS * 10) resolve();
    });
  });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: cloud.url });
  await page.evaluate((text) => navigator.clipboard.writeText(text), block);
  const pasteStart = performance.now();
  await page.keyboard.press('Control+V');
  await saved;
  const pasteMs = performance.now() - pasteStart;
  console.log(`paste of ${PASTE_ROWS} x 10 cells: ${Math.round(pasteMs)} ms, ${ok} ok of ${results}`);

  // Live: another user's edit (a PATCH through the API) until this grid shows it; issue 5 asks
  // for 2 s. The grid polls the change feed every second, so this is about half a second plus
  // the feed's and the repaint's time.
  const live: number[] = [];
  const firstId = (await (await fetch(`${cloud.url}/api/views/company/${view.id}/rows?limit=1`, { headers })).json()).rows[0][0] as string;
  for (let n = 0; n < 5; n++) {
    const record = await (await fetch(`${cloud.url}/api/companies/${firstId}`, { headers })).json();
    const value = `Live edit ${n}`;
    const response = await fetch(`${cloud.url}/api/companies/${firstId}`, { method: 'PATCH', headers, body: JSON.stringify({ version: record.version, fields: { industry: value } }) });
    if (response.status !== 200) throw new Error(`PATCH answered ${response.status}: ${await response.text()}`);
    const patched = performance.now();
    await page.waitForFunction(
      (text) => document.querySelector('revo-grid [role=gridcell][data-field="industry"][aria-rowindex="2"]')?.textContent === text,
      value,
      { polling: 'raf', timeout: 30_000 },
    );
    live.push(performance.now() - patched);
  }
  console.log(`live edits shown after ${live.map((ms) => Math.round(ms)).join(', ')} ms`);

  figures = {
    ...figures,
    live_edit_shown_ms: live.map(round1),
    live_edit_shown_max_ms: round1(Math.max(...live)),
    first_rows_ms: Math.round(firstRows),
    all_rows_ms: Math.round(allRows),
    scroll_frames: scroll.frames,
    scroll_p95_frame_ms: Number(scroll.p95.toFixed(1)),
    scroll_max_frame_ms: Number(scroll.max.toFixed(1)),
    scroll_frames_over_50_ms: scroll.over50,
    js_heap_mb: Math.round(heap / 1e6),
    sort_ms: sorts.map(round1),
    sort_max_ms: round1(Math.max(...sorts)),
    quick_search_key_ms: searchKeys.map(round1),
    quick_search_key_max_ms: round1(Math.max(...searchKeys)),
    column_filter_key_ms: filterKeys.map(round1),
    column_filter_key_max_ms: round1(Math.max(...filterKeys)),
    paste_cells: PASTE_ROWS * 10,
    paste_saved_ms: Math.round(pasteMs),
    paste_cells_ok: ok,
  };
} finally {
  await browser.close();
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));

function round1(ms: number) {
  return Math.round(ms * 10) / 10;
}

/**
 * Runs in the page before a step: `window.repainted` resolves with the milliseconds from the
 * step's first input event (key down, pointer down, a select's change) to the end of the first
 * frame painted after the grid got new rows (RevoGrid's `aftersourceset`) and shows something
 * else (first name cell or row count), or, when it shows the same, two frames after it got them.
 * Checked after each frame's paint (a task queued from requestAnimationFrame), so the figure is
 * at most one check late; null when nothing arrives within 30 s.
 */
function armRepaintTimer() {
  const grid = document.querySelector('revo-grid')!;
  const shown = () => `${grid.getAttribute('aria-rowcount')}|${grid.querySelector('[role=gridcell][data-field="name"][aria-rowindex="2"]')?.textContent}`;
  const before = shown();
  let started: number | undefined;
  let sourceSetAt: number | undefined;
  const inputs = ['keydown', 'pointerdown', 'input', 'change'];
  const onInput = (event: Event) => (started ??= event.timeStamp);
  const onSource = () => (sourceSetAt ??= performance.now());
  for (const type of inputs) window.addEventListener(type, onInput, true);
  grid.addEventListener('aftersourceset', onSource);
  (window as unknown as { repainted: Promise<number | null> }).repainted = new Promise((resolve) => {
    const deadline = performance.now() + 30_000;
    let framesSinceSource = 0;
    const afterPaint = () => {
      const now = performance.now();
      if (sourceSetAt !== undefined) framesSinceSource++;
      const done = started !== undefined && sourceSetAt !== undefined && (shown() !== before || framesSinceSource >= 2);
      if (done || now > deadline) {
        for (const type of inputs) window.removeEventListener(type, onInput, true);
        grid.removeEventListener('aftersourceset', onSource);
        resolve(done ? now - started! : null);
      } else requestAnimationFrame(() => setTimeout(afterPaint));
    };
    requestAnimationFrame(() => setTimeout(afterPaint));
  });
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** The functions that took the most time themselves (not their callees) in a CDP CPU profile. */
function printTopSelfTime(what: string, profile: CpuProfile) {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = frameOf.get(id)!;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(`CPU profile, ${what}: top self time`);
  for (const [name, ms] of top) console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
}
