/**
 * The grid scrolled from top to bottom, 100 rows a frame, timed by requestAnimationFrame deltas
 * in the page: shared by bench/grid (ours) and bench/grid-bare (RevoGrid alone), so the two
 * figures are taken the same way.
 */
import type { Page } from 'playwright-core';

export interface ScrollFigures {
  frames: number;
  p95: number;
  max: number;
  over50: number;
}

export function scrollTopToBottom(page: Page, rows: number): Promise<ScrollFigures> {
  return page.evaluate(async (rows) => {
    const grid = document.querySelector('revo-grid') as HTMLElement & { scrollToRow(y: number): Promise<void> };
    const deltas: number[] = [];
    let last = performance.now();
    for (let y = 0; y < rows; y += 100) {
      void grid.scrollToRow(y);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      deltas.push(now - last);
      last = now;
    }
    deltas.sort((a, b) => a - b);
    return { frames: deltas.length, p95: deltas[Math.floor(deltas.length * 0.95)], max: deltas.at(-1)!, over50: deltas.filter((d) => d > 50).length };
  }, rows);
}
