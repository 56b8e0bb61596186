/**
 * The whole app for browser tests: an embedded cloud in a fresh folder, headless Chromium, and
 * pages signed in as the demo administrator, the way a person signs in. Screenshots of a failed
 * test are taken on its way out; the API can be called with the page's own token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { startEmbeddedCloud, type EmbeddedCloud } from '../../local/embedded-cloud.ts';
import { launchBrowser, screenshot, type TestBrowser } from './browser.ts';

export interface TestApp {
  cloud: EmbeddedCloud;
  admin: { email: string; password: string };
  /** A page of a browser at `path`, not signed in (sign-in shows first). */
  open(path: string, browser?: TestBrowser): Promise<Page>;
  /** A page at `path`, signed in as the demo administrator. */
  openSignedIn(path: string, browser?: TestBrowser): Promise<Page>;
  /** Another browser (its own profile, storage and network), closed with the app. */
  newBrowser(): Promise<TestBrowser>;
  browser: TestBrowser;
  close(): Promise<void>;
}

export const VIEWPORT = { width: 1280, height: 720 };

export async function startApp(): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-e2e-'));
  const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
  const { email, password } = cloud.demoAdmin;
  if (!password) throw new Error('a fresh data folder should yield the demo admin password');
  const browsers: TestBrowser[] = [];
  const newBrowser = async () => {
    const browser = await launchBrowser({ viewport: VIEWPORT });
    browsers.push(browser);
    return browser;
  };
  const browser = await newBrowser();
  const admin = { email, password };

  async function open(path: string, on: TestBrowser = browser) {
    const page = await on.newPage();
    page.setDefaultTimeout(15_000);
    // What the browser showed when a test failed says more than the assertion. A page opened
    // outside a test (beforeAll) is covered by screenshotFailures.
    const testName = expect.getState().currentTestName;
    if (testName) onTestFailed(() => screenshotFailure(page, testName));
    await page.goto(`${cloud.url}${path}`);
    return page;
  }

  return {
    cloud,
    admin,
    browser,
    newBrowser,
    open,
    async openSignedIn(path, on) {
      const page = await open(path, on);
      await signIn(page, admin.email, admin.password);
      await page.waitForURL((url) => url.pathname !== '/signin');
      return page;
    },
    async close() {
      for (const b of browsers) await b.close().catch(() => undefined);
      await cloud.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function screenshotFailure(page: Page, testName: string) {
  if (!page.isClosed()) console.error(`screenshot of the failure: ${await screenshot(page, `failed ${testName}`)}`);
}

/** For pages shared by the tests of a file: a screenshot of each when a test fails. */
export function screenshotFailures(pages: () => Page[]) {
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const page of pages()) await screenshotFailure(page, context.task.name);
  });
}

export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
}

/** Calls the API as the user signed in on `page` (their ID token from the session). */
export async function apiOf(page: Page, url: string) {
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('sheetflow.session')!).idToken as string);
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}
