/**
 * The whole app for browser tests: an embedded cloud in a fresh folder, headless Chromium, and
 * pages signed in the way a person signs in. The API can be called with a page's own token.
 *
 * `useApp()` gives a file one app (started before its tests, closed after) and each test pages
 * of its own: `app.page(path)` is a new tab at `path`, signed in, once the page says it is ready
 * (`pageReady`); the tabs a test opened are closed after it (a screenshot of each first when it
 * failed), so no test starts on what another left behind. A user signs in once per file, with
 * the SPA's own call of the identity API (no page: a file about signing in goes through the
 * sign-in page itself, `open` and `signIn`); their tabs start with the session it stores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startEmbeddedCloud, type EmbeddedCloud } from '../../local/embedded-cloud.ts';
import { ClientConfig } from '../../functions/contracts/auth.ts';
import { signInWithPassword } from '../../frontend/src/lib/auth/identity-client.ts';
import { SESSION_STORAGE_KEY as SESSION_KEY, storedSession } from '../../frontend/src/lib/auth/stored-session.ts';
import { ensureFrontendBuilt } from '../../local/frontend-build.mjs';
import type { UserGroup } from '../../infra/app-resources.ts';
import { launchBrowser, screenshot, type TestBrowser } from './browser.ts';

export interface TestApp {
  cloud: EmbeddedCloud;
  admin: User;
  /** A page of a browser at `path`, not signed in (sign-in shows first). */
  open(path: string, browser?: TestBrowser): Promise<Page>;
  /** A page at `path`, signed in as the demo administrator through the sign-in page. */
  openSignedIn(path: string, browser?: TestBrowser): Promise<Page>;
  /** Another browser (its own profile, storage and network), closed with the app. */
  newBrowser(): Promise<TestBrowser>;
  browser: TestBrowser;
  close(): Promise<void>;
}

export interface User {
  email: string;
  password: string;
}

/** A call of the API: a JSON body, or text of `contentType` (a CSV to import). */
export type Api = (method: string, path: string, body?: unknown, contentType?: string) => Promise<{ status: number; body: any }>;

export const VIEWPORT = { width: 1280, height: 720 };

export async function startApp(): Promise<TestApp> {
  // The SPA the gateway serves: built by the first browser file of a run that finds it stale (the
  // others wait for its lock), while files that need no build go on beside it.
  await ensureFrontendBuilt({ quiet: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-e2e-'));
  const browsers: TestBrowser[] = [];
  const newBrowser = async () => {
    const browser = await launchBrowser({ viewport: VIEWPORT });
    browsers.push(browser);
    return browser;
  };
  // Chromium starts while the cloud does (neither needs the other until a page opens); what did
  // start is closed when the other failed.
  const [cloudStart, browserStart] = await Promise.allSettled([startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 }), newBrowser()]);
  if (cloudStart.status === 'rejected' || browserStart.status === 'rejected') {
    if (browserStart.status === 'fulfilled') await browserStart.value.close().catch(() => undefined);
    if (cloudStart.status === 'fulfilled') await cloudStart.value.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw cloudStart.status === 'rejected' ? cloudStart.reason : (browserStart as PromiseRejectedResult).reason;
  }
  const cloud = cloudStart.value;
  const browser = browserStart.value;
  const { email, password } = cloud.demoAdmin;
  if (!password) throw new Error('a fresh data folder should yield the demo admin password');
  const admin = { email, password };

  async function open(path: string, on: TestBrowser = browser) {
    const page = await on.newPage();
    page.setDefaultTimeout(15_000);
    // What the browser showed when a test failed says more than the assertion.
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
      // The browsers and the cloud end side by side: no page asks the cloud for anything once its test is over.
      await Promise.all([...browsers.map((b) => b.close().catch(() => undefined)), cloud.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface PageOptions {
  /** Who is signed in (the demo administrator by default). */
  as?: User;
  /** Whose browser (the app's first by default): another has its own storage and network. */
  browser?: TestBrowser;
  /** Wait for the page's ready signal (default); false for pages that have none (sign-in, refusals). */
  ready?: boolean;
  /** Called with the tab before it loads `path` (to listen to its requests from the first). */
  beforeGoto?: (page: Page) => unknown;
}

export interface AppOfFile extends TestApp {
  /** A new tab at `path`, nobody signed in in it (sign-in shows first); closed after the test. */
  open(path: string, browser?: TestBrowser): Promise<Page>;
  /** A new tab at `path`, signed in, ready; closed after the test. */
  page(path: string, options?: PageOptions): Promise<Page>;
  /** The API as `user` (the administrator by default), with their session's token. */
  apiAs(user?: User): Promise<Api>;
  /** The administrator's API. */
  api: Api;
  /** A browser of the test's own, closed after it. */
  browserOfTest(): Promise<TestBrowser>;
  /**
   * A tenant of its own, empty, and its administrator (or a user of `groups`): for a test that
   * needs what no other test touches, as an empty trash.
   */
  newTenant(groups?: UserGroup[]): Promise<User & { tenant: string }>;
  /** Another user of `tenant` (the demo's by default) in `groups`. */
  newUser(groups: UserGroup[], tenant?: string): Promise<User>;
  /**
   * An invited user's first sign-in, done through the identity API (Cognito's, as the app's) with
   * the temporary password of their latest invitation: they choose `password`, and are no longer
   * Invited. The user, to open pages as.
   */
  acceptInvitation(email: string, password: string): Promise<User>;
  /** The temporary password of `email`'s latest invitation, from the local outbox. */
  temporaryPassword(email: string): string;
}

/**
 * One app for the test file: started before its tests, closed after them. Each test's pages (and
 * browsers of its own) are closed after it, with a screenshot of each page when it failed.
 */
export function useApp(options: { clipboard?: boolean } = {}): AppOfFile {
  let started: TestApp | undefined;
  let adminApi: Api | undefined;
  const sessions = new Map<string, Promise<string>>();
  let pagesOfTest: Page[] = [];
  let users = 0;
  let browsersOfTest: TestBrowser[] = [];
  const app = () => {
    if (!started) throw new Error('the app is started in beforeAll: use it in a test or a hook');
    return started;
  };

  // The SPA's build first, in a hook of its own: the first browser file of a run builds it (the
  // others wait for its lock), which on a loaded machine took over the two minutes an app's
  // start is given; a start that hangs must still fail in those two minutes.
  beforeAll(() => ensureFrontendBuilt({ quiet: true }), 600_000);
  beforeAll(async () => {
    started = await startApp();
    adminApi = await apiAs(started.admin);
  }, 120_000);

  afterEach(async (context) => {
    const failed = context.task.result?.state === 'fail';
    for (const page of pagesOfTest.splice(0)) {
      if (failed) await screenshotFailure(page, context.task.name);
      await page.close().catch(() => undefined);
    }
    for (const browser of browsersOfTest.splice(0)) await browser.close().catch(() => undefined);
  });

  afterAll(async () => {
    await started?.close();
  });

  /**
   * The stored session of `user` (tokens), from one sign-in by the SPA's own call of the identity
   * API (InitiateAuth, the identity provider's triggers run as for the sign-in page), stored as
   * the SPA's sign-in stores it.
   */
  function sessionOf(user: User): Promise<string> {
    let session = sessions.get(user.email);
    if (!session) {
      session = (async () => {
        const config = ClientConfig.parse(await (await fetch(`${app().cloud.url}/config.json`)).json());
        return JSON.stringify(storedSession(await signInWithPassword(config.auth, user.email, user.password)));
      })();
      session.catch(() => sessions.delete(user.email));
      sessions.set(user.email, session);
    }
    return session;
  }

  const temporaryPassword = (email: string): string => app().cloud.identity.outbox.messages(email).at(-1)!.data.temporaryPassword;

  async function apiAs(user: User = app().admin): Promise<Api> {
    return apiOfToken(JSON.parse(await sessionOf(user)).idToken, app().cloud.url);
  }

  return {
    get cloud() {
      return app().cloud;
    },
    get admin() {
      return app().admin;
    },
    get browser() {
      return app().browser;
    },
    get api() {
      if (!adminApi) throw new Error('the app is started in beforeAll: use it in a test or a hook');
      return adminApi;
    },
    async open(path, browser) {
      const page = await app().open(path, browser);
      pagesOfTest.push(page);
      return page;
    },
    openSignedIn: (path, browser) => app().openSignedIn(path, browser),
    newBrowser: () => app().newBrowser(),
    close: () => app().close(),
    apiAs,
    async newTenant(groups: UserGroup[] = ['administrator']) {
      const tenant = `t${++users}`;
      const user = { email: `admin@${tenant}.example`, password: `a password of ${tenant}`, tenant };
      await app().cloud.identity.createUser({ ...user, groups });
      return user;
    },
    async newUser(groups, tenant = 'demo') {
      const n = ++users;
      const user = { email: `user${n}@${tenant}.example`, password: `a password of user ${n}` };
      await app().cloud.identity.createUser({ ...user, tenant, groups });
      return user;
    },
    async acceptInvitation(email, password) {
      const { cloud } = app();
      const cognito = new CognitoIdentityProviderClient({ endpoint: `${cloud.url}/auth`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
      const ClientId = cloud.identity.clientId;
      const challenge = await cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId, AuthParameters: { USERNAME: email, PASSWORD: temporaryPassword(email) } }));
      expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
      await cognito.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password } }));
      return { email, password };
    },
    temporaryPassword,
    async browserOfTest() {
      const browser = await launchBrowser({ viewport: VIEWPORT });
      browsersOfTest.push(browser);
      if (options.clipboard) await grantClipboard(browser, app().cloud.url);
      return browser;
    },
    async page(path, { as = app().admin, browser = app().browser, ready = true, beforeGoto } = {}) {
      const session = await sessionOf(as);
      const page = await browser.newPage();
      pagesOfTest.push(page);
      page.setDefaultTimeout(15_000);
      if (options.clipboard) await grantClipboard(browser, app().cloud.url);
      // The tab starts signed in, as one the user signed in on would be after a reload; once:
      // signing out in it stays signed out.
      await page.addInitScript(
        ([key, value]) => {
          if (sessionStorage.getItem('sheetflow.e2e.seeded')) return;
          sessionStorage.setItem('sheetflow.e2e.seeded', 'yes');
          sessionStorage.setItem(key, value);
        },
        [SESSION_KEY, session] as const,
      );
      await beforeGoto?.(page);
      await page.goto(`${app().cloud.url}${path}`);
      if (ready) await pageReady(page);
      return page;
    },
  };
}

const granted = new WeakSet<TestBrowser>();
async function grantClipboard(browser: TestBrowser, origin: string) {
  if (granted.has(browser)) return;
  granted.add(browser);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
}

/**
 * Waits until the page says it is ready: the user's role known (the shell's sections are its),
 * and the page's content loaded (`data-ready`: a grid's rows all loaded, drawn, and others'
 * changes listened to; the board's deals; the admin area's lists; the trash).
 */
export async function pageReady(page: Page) {
  await page.waitForFunction(() => {
    const ready = document.querySelector('main [data-ready]');
    if (!ready || !document.querySelector('nav[data-role-known]')) return false;
    const grid = ready.querySelector('revo-grid');
    return !grid || grid.getAttribute('data-rows-shown') === String(Number(grid.getAttribute('aria-rowcount')) - 1);
  });
}

async function screenshotFailure(page: Page, testName: string) {
  if (!page.isClosed()) console.error(`screenshot of the failure: ${await screenshot(page, `failed ${testName}`)}`);
}

export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
}

/** Calls the API as the user signed in on `page` (their ID token from the session). */
export async function apiOf(page: Page, url: string): Promise<Api> {
  const token = await page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)!).idToken as string, SESSION_KEY);
  return apiOfToken(token, url);
}

function apiOfToken(token: string, url: string): Api {
  return async (method, path, body, contentType) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType ?? 'application/json' }) },
      body: body === undefined ? undefined : contentType ? String(body) : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

/**
 * A user of `tenant` invited by its administrator (`api`) as `name` with `role` and `teams`, who
 * accepted the invitation: ready to open pages as, with their sub and name.
 */
export async function invitedUser(app: AppOfFile, api: Api, tenant: string, name: string, role: string, teams: string[] = []): Promise<User & { sub: string; name: string }> {
  const email = `${name.split(' ')[0].toLowerCase()}@${tenant}.example`;
  const invited = await api('POST', '/api/users', { email, name, role, teams });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const user = await app.acceptInvitation(email, `${name} chose this 1!`);
  return { ...user, sub: invited.body.sub as string, name };
}
