/**
 * Checks a request's AWS Signature Version 4 as S3 does, in both forms: the `Authorization`
 * header (what the SDK sends) and the query string (`X-Amz-Signature`, what a presigned URL
 * carries). The signature is computed again from the request as received with the one secret
 * this store knows, so a URL whose path, query or signed headers were changed, that was signed
 * with another key, or whose `X-Amz-Expires` has passed is refused with S3's 403.
 *
 * Written out rather than borrowed from the SDK's signer: the signer builds a signature for a
 * request it is about to send, and verifying one needs the canonical request of the request that
 * arrived (its raw path and query, the headers the client chose to sign).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { accessDenied, S3Error } from './s3-error.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ReceivedRequest {
  method: string;
  /** The path exactly as sent (still percent-encoded). */
  rawPath: string;
  /** The query string exactly as sent, without `?`. */
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface VerifiedRequest {
  /** The payload hash the signature covers: hex SHA-256, `UNSIGNED-PAYLOAD` or `STREAMING-...`. */
  payloadHash: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** S3 refuses a request signed more than 15 minutes from its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
/** A presigned URL lives at most seven days. */
const MAX_EXPIRES_SECONDS = 7 * 24 * 3600;

interface Authorization {
  accessKeyId: string;
  scope: string;
  date: string;
  signedHeaders: string[];
  signature: string;
  payloadHash: string;
  /** For a presigned URL: seconds it is valid from `date`. */
  expires?: number;
}

export function verifySignature(request: ReceivedRequest, credentials: Credentials, now = Date.now()): VerifiedRequest {
  const query = parseQuery(request.rawQuery);
  const auth = query.some(([name]) => name === 'X-Amz-Signature') ? fromQuery(query) : fromHeader(request.headers);
  if (auth.accessKeyId !== credentials.accessKeyId) {
    throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  }
  const signedAt = parseAmzDate(auth.date);
  if (auth.expires !== undefined) {
    if (now > signedAt + auth.expires * 1000) throw accessDenied('Request has expired');
  } else if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  }
  const [day, region, service, terminator] = auth.scope.split('/');
  if (day !== auth.date.slice(0, 8) || service !== 's3' || terminator !== 'aws4_request' || !region) {
    throw new S3Error(400, 'AuthorizationQueryParametersError', `Invalid credential scope ${auth.scope}`);
  }
  if (!auth.signedHeaders.includes('host')) throw accessDenied('host must be a signed header');

  const canonical = [
    request.method,
    request.rawPath,
    canonicalQuery(query),
    ...auth.signedHeaders.map((name) => `${name}:${headerValue(request.headers, name)}`),
    '',
    auth.signedHeaders.join(';'),
    auth.payloadHash,
  ].join('\n');
  const stringToSign = [ALGORITHM, auth.date, auth.scope, sha256Hex(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [region, service, terminator]) key = hmac(key, part);
  const expected = hmac(key, stringToSign).toString('hex');
  if (expected.length !== auth.signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
    throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  }
  return { payloadHash: auth.payloadHash };
}

function fromQuery(query: Array<[string, string]>): Authorization {
  const param = (name: string) => {
    const value = query.find(([n]) => n === name)?.[1];
    if (value === undefined) throw new S3Error(400, 'AuthorizationQueryParametersError', `Query-string authentication requires ${name}`);
    return value;
  };
  if (param('X-Amz-Algorithm') !== ALGORITHM) throw new S3Error(400, 'AuthorizationQueryParametersError', `X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const expires = Number(param('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SECONDS) {
    throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be a number of seconds from 1 to 604800');
  }
  const [accessKeyId, ...scope] = param('X-Amz-Credential').split('/');
  return {
    accessKeyId,
    scope: scope.join('/'),
    date: param('X-Amz-Date'),
    signedHeaders: param('X-Amz-SignedHeaders').split(';'),
    signature: param('X-Amz-Signature'),
    payloadHash: query.find(([n]) => n === 'X-Amz-Content-Sha256')?.[1] ?? 'UNSIGNED-PAYLOAD',
    expires,
  };
}

function fromHeader(headers: ReceivedRequest['headers']): Authorization {
  const header = headers.authorization;
  if (typeof header !== 'string') throw accessDenied();
  const match = /^AWS4-HMAC-SHA256 Credential=([^/,]+)\/([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(header.trim());
  if (!match) throw new S3Error(400, 'InvalidArgument', 'Unsupported Authorization Type');
  const date = headers['x-amz-date'];
  const payloadHash = headers['x-amz-content-sha256'];
  if (typeof date !== 'string') throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  if (typeof payloadHash !== 'string') throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  return { accessKeyId: match[1], scope: match[2], date, signedHeaders: match[3].split(';'), signature: match[4], payloadHash };
}

/** Query parameters as sent, decoded (`+` stays a plus, as S3 reads a signed query). */
function parseQuery(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return raw.split('&').map((pair) => {
    const at = pair.indexOf('=');
    const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    try {
      return [decodeURIComponent(name), decodeURIComponent(value)];
    } catch {
      throw new S3Error(400, 'InvalidArgument', 'The query string is not valid percent-encoding');
    }
  });
}

const strictEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(query: Array<[string, string]>): string {
  return query
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [strictEncode(name), strictEncode(value)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function headerValue(headers: ReceivedRequest['headers'], name: string): string {
  const value = headers[name];
  if (value === undefined) throw accessDenied(`signed header ${name} is missing`);
  return (Array.isArray(value) ? value.join(',') : value).trim().replace(/\s+/g, ' ');
}

function parseAmzDate(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) throw accessDenied(`X-Amz-Date ${text} is not an ISO 8601 basic date`);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
