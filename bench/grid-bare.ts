/**
 * The floor for bench/grid's scroll: bare RevoGrid (the same 4.28.1 web component, compact theme,
 * ranges and row headers on, nothing of ours) over 100,000 rows x 15 text columns like the
 * benchmark's companies, scrolled top to bottom the same way (100 rows a frame, frame times from
 * requestAnimationFrame deltas), in the same headless Chromium on the same machine. Issue 5's
 * measurement of RevoGrid (no frame over 50 ms) was taken elsewhere; this says what the
 * component alone does here, so bench/grid's figures can be read as ours over RevoGrid's.
 *
 * No server: the page and RevoGrid's files are answered from node_modules through the browser's
 * request routing. `RECORDS=` changes the row count; `TRACE=1` prints the renderer's main thread
 * by kind of work, as bench/grid does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrollTopToBottom } from './support/grid-scroll.ts';
import { traceOf } from './support/trace.ts';

const RECORDS = Number(process.env.RECORDS ?? 100_000);
const TRACE = process.env.TRACE === '1';
const { launchBrowser } = await import('../test/support/browser.ts');

const ORIGIN = 'http://bare.grid';
const dist = join(import.meta.dirname, '..', 'node_modules', '@revolist', 'revogrid', 'dist', 'revo-grid');
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><style>html,body{margin:0;height:100%;font-family:sans-serif}revo-grid{display:block;height:100vh;font-size:0.875rem}</style>
<script type="module" src="/revo-grid.esm.js"></script></head>
<body><revo-grid range="true" resize="true" can-focus="true" row-headers="true" theme="compact"></revo-grid></body></html>`;

const browser = await launchBrowser({ viewport: { width: 1280, height: 720 } });
let figures: Record<string, unknown> = { rows: RECORDS, columns: 15 };
try {
  const page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
    return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(dist, path.slice(1))) });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => customElements.get('revo-grid'));
  await page.evaluate((records) => {
    const names = ['name', 'domain', 'taxId', 'industry', 'size', 'phones', 'emails', 'tags', 'note1', 'note2', 'note3', 'createdAt', 'updatedAt', 'owner', 'version'];
    const grid = document.querySelector('revo-grid') as HTMLElement & { columns: unknown; source: unknown };
    grid.columns = names.map((prop) => ({ prop, name: prop, size: prop === 'name' ? 220 : 170 }));
    const industries = ['Energy', 'Retail', 'Software', 'Mining'];
    grid.source = Array.from({ length: records }, (_, i) => ({
      name: `Company ${String(i).padStart(6, '0')}`,
      domain: `c${i}.example`,
      taxId: `DE${100000 + i}`,
      industry: industries[i % 4],
      size: String(i % 5000),
      phones: `+4930${1_000_000 + i}`,
      emails: `info@c${i}.example`,
      tags: 'alpha; beta',
      note1: `note ${i}`,
      note2: `note ${i}`,
      note3: `note ${i}`,
      createdAt: '2026-11-27 10:00',
      updatedAt: '2026-11-27 10:00',
      owner: 'Demo Admin',
      version: '1',
    }));
  }, RECORDS);
  await page.locator('revo-grid [data-rgrow="0"][data-rgcol="0"]').first().waitFor();

  const scroll = TRACE ? await traceOf(await page.context().newCDPSession(page), 'scroll', () => scrollTopToBottom(page, RECORDS)) : await scrollTopToBottom(page, RECORDS);
  console.log(`bare RevoGrid scroll: ${scroll.frames} frames, p95 ${scroll.p95.toFixed(1)} ms, max ${scroll.max.toFixed(1)} ms, ${scroll.over50} over 50 ms`);
  figures = {
    ...figures,
    scroll_frames: scroll.frames,
    scroll_p95_frame_ms: Number(scroll.p95.toFixed(1)),
    scroll_max_frame_ms: Number(scroll.max.toFixed(1)),
    scroll_frames_over_50_ms: scroll.over50,
  };
} finally {
  await browser.close();
}
console.log(JSON.stringify(figures));
