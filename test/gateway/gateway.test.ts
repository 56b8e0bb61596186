/**
 * The gateway on its own, with a function that shows what it was given: the payload 2.0 event,
 * the mapping of results back to HTTP, the body limit, /config.json and the SPA.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { startGateway, MAX_BODY_BYTES, type Gateway } from '../../local/gateway/index.ts';
import { createRouteTable } from '../../local/gateway/route-table.ts';
import { createIdentityProvider, type IdentityProvider } from '../../local/identity/index.ts';
import { ClientConfig } from '../../functions/contracts/auth.ts';
import { LAMBDA_RESPONSE_LIMIT_BYTES } from '../../infra/app-resources.ts';
import { API_CONTENT_SECURITY_POLICY, securityHeaders, siteContentSecurityPolicy } from '../../infra/security-headers.ts';
import { createHash } from 'node:crypto';
import { signIn } from '../support/cloud.ts';

/** Ample for every other request here; the slow function waits until the test has seen its 503. */
const INTEGRATION_TIMEOUT_MS = 3000;
let letSlowFinish: () => void;
const slowMayFinish = new Promise<void>((resolve) => (letSlowFinish = resolve));
let dir: string;
let gateway: Gateway;
let identity: IdentityProvider;
let token: string;

/** Echoes the event back, or misbehaves as the path asks. */
async function echo(event: APIGatewayProxyEventV2WithJWTAuthorizer) {
  switch (event.rawPath) {
    case '/api/plain':
      return { hello: 'world' };
    case '/api/cookies':
      return { statusCode: 201, headers: { 'X-Made-By': 'echo' }, cookies: ['a=1; Path=/', 'b=2'], body: 'made' };
    case '/api/binary':
      return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true };
    case '/api/throws':
      throw new Error('the function failed');
    case '/api/malformed':
      return { statusCode: 'teapot' };
    case '/api/sized': {
      // A result whose JSON (what Lambda measures) is exactly `bytes` long.
      const bytes = Number(event.queryStringParameters?.bytes);
      const result = { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: '' };
      result.body = 'a'.repeat(bytes - JSON.stringify(result).length);
      return result;
    }
    case '/api/slow':
      await slowMayFinish;
      return { late: true };
    default:
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sheetflow-gateway-'));
  const site = join(dir, 'site');
  mkdirSync(join(site, '_app', 'immutable'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>spa</title>');
  writeFileSync(join(site, '_app', 'immutable', 'entry.abc123.js'), 'export {}');
  writeFileSync(join(site, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dir, 'outside.txt'), 'secret outside the site');
  identity = await createIdentityProvider({ dataDir: join(dir, 'identity') });
  await identity.createUser({ email: 'gw@example.com', password: 'gateway password', tenant: 't1', groups: ['administrator', 'marketing'] });
  gateway = await startGateway({ port: 0, functions: { api: echo, stream: async () => undefined, imports: async () => undefined, postAuthentication: async (event: unknown) => event, invitationMessage: async (event: unknown) => event, statusEvents: async () => undefined, processSteps: async () => undefined, reminders: async () => undefined }, identity, staticDir: site, integrationTimeoutMs: INTEGRATION_TIMEOUT_MS });
  token = (await signIn(gateway.url, identity.clientId, 'gw@example.com', 'gateway password')).IdToken;
});
afterAll(async () => {
  await gateway?.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

describe('the payload 2.0 event', () => {
  it('carries the request as API Gateway would', async () => {
    const response = await api('/api/echo/a%20b?x=1&x=2&y=%C3%A9', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'v', cookie: 'a=1; b=2', 'user-agent': 'test-agent' },
      body: '{"k":"v"}',
    });
    expect(response.status).toBe(200);
    const event = (await response.json()) as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'ANY /api/{proxy+}',
      rawPath: '/api/echo/a%20b',
      rawQueryString: 'x=1&x=2&y=%C3%A9',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { x: '1,2', y: 'é' },
      pathParameters: { proxy: 'echo/a b' },
      body: '{"k":"v"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        routeKey: 'ANY /api/{proxy+}',
        stage: '$default',
        http: { method: 'POST', path: '/api/echo/a%20b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test-agent' },
      },
    });
    expect(event.headers['x-custom']).toBe('v');
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers).not.toHaveProperty('cookie');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event.requestContext.time).toMatch(/^\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(60_000);
    expect(response.headers.get('apigw-requestid')).toBe(event.requestContext.requestId);
    // Claims arrive as strings, arrays as "[a b]", as the HTTP API's JWT authorizer hands them over.
    const claims = event.requestContext.authorizer.jwt.claims;
    expect(claims).toMatchObject({ 'custom:tenant': 't1', 'cognito:groups': '[administrator marketing]', email: 'gw@example.com', token_use: 'id' });
    expect(claims.exp).toMatch(/^\d+$/);
  });

  it('base64-encodes a binary body', async () => {
    const event = await (await api('/api/echo', { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 159, 255]) })).json();
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64')).toEqual(Buffer.from([0, 159, 255]));
  });
});

describe('the function result', () => {
  it('is a 200 JSON when it is a plain object', async () => {
    const response = await api('/api/plain');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ hello: 'world' });
  });

  it('sends status, headers and cookies of a structured result', async () => {
    const response = await api('/api/cookies');
    expect(response.status).toBe(201);
    expect(response.headers.get('x-made-by')).toBe('echo');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect(await response.text()).toBe('made');
  });

  it('decodes a base64 body', async () => {
    expect(Buffer.from(await (await api('/api/binary')).arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('turns a function that throws or answers nonsense into a 500 JSON, as API Gateway does', async () => {
    for (const path of ['/api/throws', '/api/malformed']) {
      const response = await api(path);
      expect(response.status, path).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    }
  });
});

describe('limits and malformed requests', () => {
  it('answers 503 JSON when the function does not answer within the integration timeout', async () => {
    const response = await api('/api/slow');
    letSlowFinish();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });

  it("answers a result of up to Lambda's 6,291,556 bytes, and 500 JSON past it, as an HTTP API does", async () => {
    const atLimit = await api(`/api/sized?bytes=${LAMBDA_RESPONSE_LIMIT_BYTES}`);
    expect(atLimit.status).toBe(200);
    expect((await atLimit.text()).length).toBe(LAMBDA_RESPONSE_LIMIT_BYTES - JSON.stringify({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: '' }).length);
    const over = await api(`/api/sized?bytes=${LAMBDA_RESPONSE_LIMIT_BYTES + 1}`);
    expect(over.status).toBe(500);
    expect(await over.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('refuses a body over 1 MiB with 413 JSON, before the function runs', async () => {
    const atLimit = await api('/api/echo', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(MAX_BODY_BYTES) });
    expect(atLimit.status).toBe(200);
    const over = await api('/api/echo', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(MAX_BODY_BYTES + 1) });
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('counts a chunked body as it arrives, with no length announced', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await api('/api/echo', { method: 'POST', headers: { 'content-type': 'text/plain' }, body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('answers garbage on the socket with 400 and keeps serving', async () => {
    for (const garbage of ['NOT HTTP AT ALL\r\n\r\n', 'GET /config.json HTTP/1.1\r\nHost: \x01\x02\r\nBad Header\r\n\r\n', 'GET  HTTP/1.1\r\n\r\n']) {
      expect(await rawRequest(garbage)).toMatch(/^HTTP\/1\.1 4\d\d/);
    }
    expect((await fetch(`${gateway.url}/config.json`)).status).toBe(200);
  });
});

describe('what the gateway serves besides the API', () => {
  it('tells the SPA where the API and sign-in are', async () => {
    const config = ClientConfig.parse(await (await fetch(`${gateway.url}/config.json`)).json());
    expect(config).toEqual({ apiUrl: '', auth: { endpoint: `${gateway.url}/auth`, clientId: identity.clientId, passwordPolicy: identity.passwordPolicy } });
  });

  it('serves assets with their types, fingerprinted ones cached for good', async () => {
    const asset = await fetch(`${gateway.url}/_app/immutable/entry.abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await fetch(`${gateway.url}/favicon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers any page with index.html, never cached, and a missing asset with 404', async () => {
    for (const path of ['/', '/companies', '/companies/01ARZ3NDEKTSV4RRFFQ69G5FAV']) {
      const page = await fetch(`${gateway.url}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toContain('<title>spa</title>');
    }
    expect((await fetch(`${gateway.url}/_app/immutable/missing.js`)).status).toBe(404);
  });

  it('never serves a file outside the site', async () => {
    for (const path of ['/..%2foutside.txt', '/%2e%2e/outside.txt', '/_app/..%2f..%2foutside.txt', '/%00']) {
      const text = await rawRequest(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(text, path).not.toContain('secret outside the site');
    }
  });

  it('answers unknown API paths and methods outside the routes in JSON', async () => {
    const response = await fetch(`${gateway.url}/api`, { method: 'GET' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
    const post = await fetch(`${gateway.url}/somewhere`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(404);
    expect(await post.json()).toEqual({ message: 'Not Found' });
  });
});

describe('security headers', () => {
  it("sends the site's policy with its pages and assets, allowing the page's inline script by hash", async () => {
    // A rebuild while the gateway runs: the new bootstrap script's hash counts at once.
    const bootstrap = '\n{ __sveltekit_y = { base: "" }; }\n';
    writeFileSync(join(dir, 'site', 'index.html'), `<!doctype html><title>spa</title><script type="module" src="/_app/immutable/entry.abc123.js"></script><div><script>${bootstrap}</script></div>`);
    const expected = securityHeaders(siteContentSecurityPolicy({ scriptHashes: [`'sha256-${createHash('sha256').update(bootstrap).digest('base64')}'`], connectTo: [] }));
    for (const path of ['/', '/companies', '/_app/immutable/entry.abc123.js', '/config.json']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.status, path).toBe(200);
      for (const [name, value] of Object.entries(expected)) expect(response.headers.get(name), `${path} ${name}`).toBe(value);
    }
  });

  it("sends the API's policy with every API answer: the function's, the authorizer's and the gateway's own", async () => {
    const expected = securityHeaders(API_CONTENT_SECURITY_POLICY);
    const answers = [await api('/api/plain'), await api('/api/throws'), await fetch(`${gateway.url}/api/plain`), await fetch(`${gateway.url}/api`)];
    expect(answers.map((r) => r.status)).toEqual([200, 500, 401, 404]);
    for (const response of answers) {
      for (const [name, value] of Object.entries(expected)) expect(response.headers.get(name), `${response.status} ${name}`).toBe(value);
    }
  });
});

/** Sends bytes as they are, past any client's URL normalisation, and returns what came back. */
function rawRequest(bytes: string): Promise<string> {
  const { hostname, port } = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('route keys', () => {
  const match = createRouteTable(
    ['ANY /api/{proxy+}', 'GET /api/things/{id}', 'GET /api/things/special', 'POST /api/things', '$default'].map((routeKey) => ({ routeKey, target: routeKey })),
  );

  it('picks the most specific route, as API Gateway does', () => {
    expect(match('GET', '/api/things/special')?.routeKey).toBe('GET /api/things/special');
    expect(match('GET', '/api/things/42')).toMatchObject({ routeKey: 'GET /api/things/{id}', pathParameters: { id: '42' } });
    expect(match('DELETE', '/api/things/42')).toMatchObject({ routeKey: 'ANY /api/{proxy+}', pathParameters: { proxy: 'things/42' } });
    expect(match('POST', '/api/things')?.pathParameters).toBeUndefined();
    expect(match('GET', '/elsewhere')?.routeKey).toBe('$default');
  });

  it('decodes path parameters and keeps undecodable ones as sent', () => {
    expect(match('GET', '/api/things/a%20b')?.pathParameters).toEqual({ id: 'a b' });
    expect(match('GET', '/api/things/%E0%A4%A')?.pathParameters).toEqual({ id: '%E0%A4%A' });
  });
});
