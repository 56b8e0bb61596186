/**
 * For browser tests of one feature: the embedded cloud on free ports in a fresh folder, headless
 * Chromium at 1280x720, pages signed in as the demo administrator through the sign-in page, and
 * an API client acting as the same user to set up records the way any client would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { startEmbeddedCloud, type EmbeddedCloud } from '../../local/embedded-cloud.ts';
import { ApiClient, signIn } from '../api/cloud.ts';
import { launchBrowser, screenshot, type TestBrowser } from './browser.ts';

/** For expect.poll on a machine shared by parallel test runs: vitest's default of 1 s is too short. */
export const PATIENT = { timeout: 15_000 };

export interface SignedInApp {
  cloud: EmbeddedCloud;
  browser: TestBrowser;
  /** The demo administrator through the API. */
  api: ApiClient;
  /** A new tab at `path`, signed in; a failing test saves what it showed. */
  open(path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startSignedInApp(): Promise<SignedInApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-e2e-'));
  const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
  const { email, password } = cloud.demoAdmin;
  if (!password) throw new Error('a fresh data folder should yield the demo admin password');
  const tokens = await signIn(cloud.url, cloud.identity.clientId, email, password);
  const browser = await launchBrowser({ viewport: { width: 1280, height: 720 } });
  return {
    cloud,
    browser,
    api: new ApiClient(cloud.url, tokens.IdToken),
    async open(path) {
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      const testName = expect.getState().currentTestName ?? 'test';
      onTestFailed(async () => {
        if (!page.isClosed()) console.error(`screenshot of the failure: ${await screenshot(page, `failed ${testName}`)}`);
      });
      await page.goto(`${cloud.url}${path}`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByLabel('Password').press('Enter');
      await expect.poll(() => new URL(page.url()).pathname, PATIENT).toBe(path.split('?')[0]);
      return page;
    },
    async close() {
      await browser.close();
      await cloud.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a record through the API and returns it; fails the test with the API's answer otherwise. */
export async function createRecord(api: ApiClient, plural: string, fields: Record<string, unknown>): Promise<{ id: string; version: number } & Record<string, unknown>> {
  const response = await api.post(`/api/${plural}`, fields);
  if (response.status !== 201) throw new Error(`creating a ${plural} record failed: ${response.status} ${response.text}`);
  return response.json;
}
