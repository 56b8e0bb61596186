/**
 * The local HTTP API: what API Gateway (with its Cognito JWT authorizer) and CloudFront do in
 * AWS, on one port. It serves
 *   - the routes of HTTP_ROUTES, as payload 2.0 events to the same handlers, in process;
 *   - the identity provider's Cognito API and JWKS under /auth;
 *   - /config.json, which tells the SPA where the API and sign-in are;
 *   - the built SPA.
 * No request, however malformed, takes it down: every failure is answered in JSON.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FUNCTIONS, HTTP_ROUTES, LAMBDA_RESPONSE_LIMIT_BYTES, type FunctionKey } from '../../infra/app-resources.ts';
import type { ClientConfig } from '../../functions/contracts/auth.ts';
import type { IdentityProvider } from '../identity/index.ts';
import { lambdaContext, type LambdaHandler } from '../lambda.ts';
import { createRouteTable } from './route-table.ts';
import { createJwtAuthorizer, type Authorization } from './jwt-authorizer.ts';
import { fromLambdaResult, toHttpApiEvent } from './http-api-event.ts';
import { serveStatic } from './static-site.ts';
import { sitePolicy } from './site-policy.ts';
import { API_CONTENT_SECURITY_POLICY, securityHeaders } from '../../infra/security-headers.ts';

/** API Gateway's payload limit is 10 MB; ours is smaller, as nothing the app sends comes close. */
export const MAX_BODY_BYTES = 1024 * 1024;
const LOCAL_ACCOUNT = '000000000000';

export interface GatewayOptions {
  port: number;
  host?: string;
  functions: Record<FunctionKey, LambdaHandler>;
  identity: IdentityProvider;
  staticDir: string;
  onListening?: (url: string) => void;
  /** How long a function may take before the client gets a 503, as HTTP API's 30 s integration timeout. */
  integrationTimeoutMs?: number;
  /** Origins the SPA calls besides this one (the files bucket's presigned PUTs), for its Content-Security-Policy. */
  connectTo?: string[];
}

export interface Gateway {
  url: string;
  close(): Promise<void>;
}

class RequestTooLarge extends Error {}
const TIMED_OUT = Symbol('timed out');

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { identity, functions, staticDir, integrationTimeoutMs = 30_000 } = options;
  const siteHeaders = sitePolicy(staticDir, options.connectTo ?? []);
  const apiHeaders = securityHeaders(API_CONTENT_SECURITY_POLICY);
  const matchRoute = createRouteTable(HTTP_ROUTES.map((route) => ({ routeKey: route.routeKey, target: route })));
  // Set once listening: the issuer is this gateway's own URL.
  let baseUrl = '';
  let issuer = '';
  let authorize: (header: string | undefined) => Promise<Authorization> = async () => ({ ok: false, reason: 'not ready' });

  const sendJson = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.url ?? '/';
    if (!target.startsWith('/')) return sendJson(response, 400, { message: 'Bad Request' });
    const url = requestUrl(target, request.headers.host);
    // The path as sent (still percent-encoded), as API Gateway's rawPath is.
    const rawPath = target.split('?')[0];
    const rawQueryString = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
    const method = request.method ?? 'GET';
    // What CloudFront's response headers policies add in AWS: the API's on /api/*, the site's on the rest.
    const isApi = rawPath === '/api' || rawPath.startsWith('/api/');
    for (const [name, value] of Object.entries(isApi ? apiHeaders : siteHeaders())) response.setHeader(name, value);

    if (rawPath === '/auth' || rawPath.startsWith('/auth/')) return handleAuth(request, response, rawPath, rawQueryString, method);
    if (rawPath === '/config.json' && (method === 'GET' || method === 'HEAD')) {
      const config: ClientConfig = { apiUrl: '', auth: { endpoint: `${baseUrl}/auth`, clientId: identity.clientId, passwordPolicy: identity.passwordPolicy } };
      return sendJson(response, 200, config, { 'cache-control': 'no-cache' });
    }

    const route = matchRoute(method, rawPath);
    if (!route) {
      if (isApi || (method !== 'GET' && method !== 'HEAD')) {
        return sendJson(response, 404, { message: 'Not Found' });
      }
      return serveStatic(staticDir, rawPath, request, response);
    }

    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (err) {
      if (!(err instanceof RequestTooLarge)) throw err;
      return sendJson(response, 413, { message: 'Request Entity Too Large' }, { connection: 'close' });
    }

    let jwt: { claims: Record<string, string>; scopes: string[] | null } | undefined;
    if (route.target.auth === 'jwt') {
      const authorization = await authorize(request.headers.authorization);
      if (!authorization.ok) {
        return sendJson(response, 401, { message: 'Unauthorized', reason: authorization.reason }, {
          'www-authenticate': `Bearer error="invalid_token" error_description="${authorization.reason}"`,
        });
      }
      jwt = { claims: authorization.claims, scopes: authorization.scopes };
    }

    const event = toHttpApiEvent({ request, url, rawPath, rawQueryString, routeKey: route.routeKey, pathParameters: route.pathParameters, body, jwt, accountId: LOCAL_ACCOUNT });
    const key = route.target.function;
    let result: unknown;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), integrationTimeoutMs)));
    try {
      result = await Promise.race([functions[key](event, lambdaContext(`sheetflow-${key}`, FUNCTIONS[key].timeoutSeconds)), timedOut]);
    } catch (err) {
      // A function that throws is a 500 with no detail, as in AWS; the detail is in the log.
      console.error(`[gateway] ${key} failed on ${method} ${rawPath}:`, err);
      return sendJson(response, 500, { message: 'Internal Server Error' });
    } finally {
      clearTimeout(timer);
    }
    if (result === TIMED_OUT) {
      console.error(`[gateway] ${key} did not answer ${method} ${rawPath} within ${integrationTimeoutMs} ms`);
      return sendJson(response, 503, { message: 'Service Unavailable' });
    }
    // Lambda refuses a result larger than its limit after the function ran; the HTTP API then answers 500.
    const resultBytes = Buffer.byteLength(JSON.stringify(result) ?? 'null');
    if (resultBytes > LAMBDA_RESPONSE_LIMIT_BYTES) {
      console.error(`[gateway] ${key} answered ${method} ${rawPath} with ${resultBytes} bytes, more than Lambda's ${LAMBDA_RESPONSE_LIMIT_BYTES} (Function.ResponseSizeTooLarge)`);
      return sendJson(response, 500, { message: 'Internal Server Error' });
    }
    const mapped = fromLambdaResult(result);
    if (!Number.isInteger(mapped.statusCode) || mapped.statusCode < 100 || mapped.statusCode > 599) {
      console.error(`[gateway] ${key} returned a malformed response on ${method} ${rawPath}`);
      return sendJson(response, 500, { message: 'Internal Server Error' });
    }
    response.writeHead(mapped.statusCode, { ...mapped.headers, 'apigw-requestid': event.requestContext.requestId });
    response.end(method === 'HEAD' ? undefined : mapped.body);
  }

  async function handleAuth(request: IncomingMessage, response: ServerResponse, rawPath: string, rawQuery: string, method: string) {
    // Cognito answers browsers from any origin; so does this, as the SPA may be reached by another name.
    const cors = { 'access-control-allow-origin': '*' };
    if (method === 'OPTIONS') {
      response.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type, x-amz-target, x-amz-user-agent', 'access-control-max-age': '600' });
      return void response.end();
    }
    if (rawPath === '/auth/.well-known/jwks.json' && method === 'GET') return sendJson(response, 200, identity.jwks(), cors);
    // The AWS SDK posts to the endpoint's path with a slash appended.
    if ((rawPath !== '/auth' && rawPath !== '/auth/') || method !== 'POST') return sendJson(response, 404, { message: 'Not Found' }, cors);
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (err) {
      if (!(err instanceof RequestTooLarge)) throw err;
      return sendJson(response, 413, { __type: 'SerializationException', message: 'The request is too large.' }, { ...cors, connection: 'close' });
    }
    const target = request.headers['x-amz-target'];
    // As received, for the pool to check an admin call's Signature V4 against.
    const received = { method, rawPath, rawQuery, headers: request.headers };
    const reply = await identity.answer(Array.isArray(target) ? target[0] : target, body.toString('utf8'), issuer, { request: received, sourceIp: request.socket.remoteAddress });
    const headers: Record<string, string> = { ...cors, 'content-type': 'application/x-amz-json-1.1' };
    if (reply.status >= 400) headers['x-amzn-errortype'] = `${String(reply.body.__type)}:`;
    response.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
  }

  // Invocations still running when the gateway closes are awaited, so none outlives the services it uses.
  const inFlight = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    const invocation = handle(request, response)
      .catch((err) => {
        console.error('[gateway] request failed:', err);
        if (!response.headersSent) sendJson(response, 500, { message: 'Internal Server Error' });
        else response.destroy();
      })
      .finally(() => inFlight.delete(invocation));
    inFlight.add(invocation);
  });
  // Requests too malformed for the HTTP parser get a 400 rather than a dropped connection.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"message":"Bad Request"}');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  issuer = identity.issuerFor(baseUrl);
  authorize = createJwtAuthorizer({ issuer, audience: identity.clientId });
  options.onListening?.(baseUrl);

  return {
    url: baseUrl,
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      server.closeAllConnections();
      await Promise.allSettled([...inFlight]);
      await closed;
    },
  };
}

/** The whole body, or RequestTooLarge past MAX_BODY_BYTES (the rest is read and dropped, so the client hears the 413). */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    request.on('end', () => (tooLarge ? reject(new RequestTooLarge()) : resolve(Buffer.concat(chunks))));
    request.on('error', reject);
  });
}

/** The URL the client asked for; a Host header no URL can carry is replaced by our own. */
function requestUrl(target: string, host: string | undefined): URL {
  try {
    return new URL(target, `http://${host ?? '127.0.0.1'}`);
  } catch {
    return new URL(target, 'http://127.0.0.1');
  }
}
