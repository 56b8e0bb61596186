/**
 * The process monitor in Chromium (issue 16, "Process monitor"): two quick sales on a company,
 * one fulfilled and rated; the monitor draws the quick sale's diagram with one running at Fulfil; the step,
 * reached by the keyboard, opens the grid of its instance; the fulfilled instance's page shows the
 * path it took and its timeline (the task completed, with the form's value), the running one its
 * current step. A tenant of its own; the sales are started and fulfilled through the API.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useApp, type Api, type User } from '../support/app.ts';
import { screenshot } from '../support/browser.ts';
import { waitForRows } from '../support/grid.ts';
import { line, order, quickSaleConfig } from '../support/quick-sales.ts';

const app = useApp();

let admin: User & { tenant: string };
let api: Api;
const sales: { done: string; running: string } = { done: '', running: '' };

/** Waits (the engine runs on) until the instance is at `step`, or has ended: vi.waitFor, as the setup waits (expect.poll is a test's). */
async function instanceAt(id: string, at: { step?: string; ended?: boolean }) {
  await vi.waitFor(
    async () => {
      const instance = (await api('GET', `/api/processes/instances/${id}`)).body;
      expect(at.ended ? instance.status !== 'running' : instance.step === at.step, JSON.stringify(instance)).toBe(true);
    },
    { timeout: 20_000, interval: 50 },
  );
}

beforeAll(async () => {
  admin = await app.newTenant();
  api = await app.apiAs(admin);
  const me = (await api('GET', '/api/me')).body;
  const team = (await api('POST', '/api/teams', { name: 'Warehouse', supervisor: null })).body.id as string;
  const { version } = (await api('GET', '/api/users')).body.items.find((user: { sub: string }) => user.sub === me.sub);
  expect((await api('PATCH', `/api/users/${me.sub}`, { version, fields: { teams: [team] } })).status).toBe(200);
  const config = (await api('GET', '/api/processes/quick-sale/config')).body;
  expect((await api('PUT', '/api/processes/quick-sale/config', { version: config.version, config: quickSaleConfig(team) })).status).toBe(200);
  const company = (await api('POST', '/api/companies', { name: 'Initech' })).body.id as string;
  // The two sales side by side.
  await Promise.all(
    (['done', 'running'] as const).map(async (key) => {
      const started = await api('POST', `/api/companies/${company}/processes`, { process: 'quick-sale', idempotencyKey: `monitor-${key}`, input: order({ lines: [line('Printer', 2)] }) });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      sales[key] = started.body.id;
      await instanceAt(sales[key], { step: 'Fulfil' });
    }),
  );
  // Fulfilled, then rated by quality control: it ends.
  for (const [step, form] of [['Fulfil', { shippedOn: '2026-12-07', note: 'two boxes' }], ['Quality control', { rating: 5 }]] as const) {
    await instanceAt(sales.done, { step });
    const task = ((await api('GET', '/api/tasks?view=team&limit=100')).body.items as Array<{ id: string; instance: string; step: string }>).find((t) => t.instance === sales.done && t.step === step)!;
    // 202: taken, its delivery (raced by the stream's copy) not yet decided; the instance moves on either way.
    expect([200, 202]).toContain((await api('POST', `/api/tasks/${task.id}/complete`, { form })).status);
  }
  await instanceAt(sales.done, { ended: true });
}, 120_000);

describe('the process monitor', () => {
  it('shows the quick sale with its count at Fulfil; the step opens the grid of its instances', async () => {
    const page = await app.page('/processes', { as: admin });
    const sale = page.locator('section[data-process="quick-sale"]');
    await sale.locator('svg.diagram[data-ready]').waitFor();
    await expect.poll(() => sale.locator('[data-step="Fulfil"]').getAttribute('data-running')).toBe('1');
    expect(await sale.locator('[data-step="Close"]').getAttribute('data-running')).toBe('0');
    expect(await sale.getByText('1 running', { exact: true }).count()).toBeGreaterThan(0);
    await screenshot(page, 'process-monitor');

    // Keyboard: the step is a link; Enter opens its instances.
    const step = sale.getByRole('link', { name: /^Fulfil, 1 running/ });
    await step.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/processes/instances' && url.searchParams.get('step') === 'Fulfil');
    await waitForRows(page, 'Process instances', 1);
    expect(await page.locator('main [data-ready]').getAttribute('data-instances')).toBe('1');
    expect(await page.locator(`a[data-instance="${sales.running}"]`).count()).toBe(1);
    await screenshot(page, 'process-instances-at-fulfil');
  });

  it('the fulfilled instance\'s page shows the path it took and its timeline; the running one its current step', async () => {
    const page = await app.page(`/processes/instances/${sales.done}`, { as: admin });
    await page.locator('svg.diagram[data-ready]').waitFor();
    for (const step of ['Take order', 'Fulfil', 'Close']) expect(await page.locator(`[data-step="${step}"]`).getAttribute('class'), step).toContain('passed');
    expect(await page.locator('[data-step="Escalate"]').getAttribute('class')).not.toContain('passed');
    const timeline = page.locator('ol.timeline');
    expect(await timeline.locator('[data-kind="completed"]').first().textContent()).toContain('Task completed');
    expect(await timeline.locator('[data-kind="completed"]').first().locator('dd').allTextContents()).toEqual(['2026-12-07', 'two boxes']);
    // By the form's labels, not its keys.
    expect(await timeline.locator('[data-kind="completed"]').first().locator('dt').allTextContents()).toEqual(['Shipped on', 'Note']);
    expect(await timeline.locator('[data-kind="succeeded"]').count()).toBe(1);
    await screenshot(page, 'process-instance-done');

    const running = await app.page(`/processes/instances/${sales.running}`, { as: admin });
    await running.locator('svg.diagram[data-ready]').waitFor();
    expect(await running.locator('[data-step="Fulfil"]').getAttribute('class')).toContain('current');
    expect(await running.getByRole('button', { name: 'Cancel instance' }).count()).toBe(1);
    expect(await running.getByRole('button', { name: 'Reassign' }).count()).toBe(1);
    await screenshot(running, 'process-instance-running');
  });
});
