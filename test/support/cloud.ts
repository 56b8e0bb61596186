/**
 * What the API, gateway and identity tests share: an embedded cloud on free ports in a fresh
 * folder, signing in through the Cognito API it serves, and a small client for the API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedCloud, type EmbeddedCloud } from '../../local/embedded-cloud.ts';
import type { UserGroup } from '../../infra/app-resources.ts';
import type { Clock } from '../../local/states/clock.ts';
import { expect } from 'vitest';

export interface TestCloud extends EmbeddedCloud {
  clientId: string;
  /** Signs in as a new user of `tenant` (an administrator by default) and returns a client acting as them. */
  userOf(tenant: string, groups?: UserGroup[]): Promise<ApiClient>;
  stop(): Promise<void>;
}

/**
 * `identityClock`: the clock of the user pool's lockouts and reset codes; `statesClock`: the Step
 * Functions engine's (an AdjustableClock); for tests that move them.
 */
export async function startTestCloud({ identityClock, statesClock }: { identityClock?: () => number; statesClock?: Clock } = {}): Promise<TestCloud> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-test-'));
  const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0, identityClock, statesClock });
  const clientId = cloud.identity.clientId;
  let users = 0;
  return {
    ...cloud,
    clientId,
    // An administrator unless told otherwise: tests of records are not tests of roles (test/access is).
    async userOf(tenant, groups = ['administrator']) {
      const email = `user${++users}@${tenant}.example.com`;
      const password = `pw-${tenant}-${users}-secret`;
      await cloud.identity.createUser({ email, password, tenant, groups });
      const tokens = await signIn(cloud.url, clientId, email, password);
      return new ApiClient(cloud.url, tokens.IdToken);
    },
    async stop() {
      await cloud.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves once every stream consumer has processed every change committed so far (what they do
 * with a record is done before it counts as processed): a sync point for effects of the stream,
 * which on a loaded machine can lag a clock jump's burst of changes by more than a poll's 10 s.
 */
export async function streamCaughtUp(cloud: Pick<EmbeddedCloud, 'streamBacklog'>, timeout = 60_000): Promise<void> {
  await expect.poll(() => cloud.streamBacklog(), { timeout }).toBe(0);
}

export async function cognitoCall(url: string, target: string, body: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${url}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

export async function signIn(url: string, clientId: string, email: string, password: string) {
  const reply = await cognitoCall(url, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  if (reply.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(reply.body)}`);
  return reply.body.AuthenticationResult as { IdToken: string; AccessToken: string; RefreshToken: string; ExpiresIn: number };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: any;
}

/** Sends requests as one signed-in user (or as nobody, with a token of the test's choosing). */
export class ApiClient {
  constructor(
    readonly url: string,
    readonly token: string | undefined,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      // A string or bytes as they are (a file), anything else as JSON.
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body: unknown) => this.request('POST', path, body);
  patch = (path: string, body: unknown) => this.request('PATCH', path, body);
  put = (path: string, body: unknown) => this.request('PUT', path, body);
  delete = (path: string) => this.request('DELETE', path);
}
