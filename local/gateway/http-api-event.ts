/**
 * The two translations an HTTP API makes around a Lambda integration (payload format 2.0): a
 * request into the event the function receives, and the function's result into a response.
 */
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { randomUUID } from 'node:crypto';

export interface EventInput {
  request: IncomingMessage;
  url: URL;
  rawPath: string;
  rawQueryString: string;
  routeKey: string;
  pathParameters?: Record<string, string>;
  body: Buffer;
  /** What the JWT authorizer verified; absent on a route without authorization. */
  jwt?: { claims: Record<string, string>; scopes: string[] | null };
  accountId: string;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Bodies with these types reach the function as text; any other is base64, as in AWS. */
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|javascript|x-www-form-urlencoded|graphql))/i;

export function toHttpApiEvent(input: EventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { request, body } = input;
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headersDistinct)) {
    if (!value) continue;
    if (name === 'cookie') cookies = value.flatMap((v) => v.split(/;\s*/)).filter(Boolean);
    else headers[name] = value.join(',');
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(input.rawQueryString)) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  const requestId = randomUUID();
  // A route without authorization gets no `authorizer`; every route of this API has one, hence the type.
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    cookies,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: input.pathParameters,
    requestContext: {
      ...(input.jwt && { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: input.jwt.claims, scopes: input.jwt.scopes as string[] } } }),
      accountId: input.accountId,
      apiId: 'local',
      domainName: input.url.host,
      domainPrefix: input.url.hostname.split('.')[0],
      http: {
        method: request.method ?? 'GET',
        path: input.rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: input.routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !isText,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/**
 * A structured result (with `statusCode`) is sent as given; anything else is, as API Gateway
 * does, taken for a 200 JSON body.
 */
export function fromLambdaResult(result: unknown): HttpResponse {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(result) ?? 'null') };
  }
  const structured = result as { statusCode: unknown; headers?: Record<string, unknown>; cookies?: unknown; body?: unknown; isBase64Encoded?: boolean };
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (Array.isArray(structured.cookies) && structured.cookies.length) headers['set-cookie'] = structured.cookies.map(String);
  const body = typeof structured.body === 'string' ? structured.body : '';
  return {
    statusCode: Number(structured.statusCode),
    headers,
    body: structured.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body),
  };
}

/** `27/Nov/2026:07:10:00 +0000`, the request time as API Gateway writes it. */
function clfTime(date: Date): string {
  const [, day, month, year, time] = /^\w+, (\d+) (\w+) (\d+) ([\d:]+)/.exec(date.toUTCString())!;
  return `${day.padStart(2, '0')}/${month}/${year}:${time} +0000`;
}
