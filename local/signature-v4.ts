/**
 * Checks a request's AWS Signature Version 4, as the services of the embedded cloud that need
 * IAM credentials do (the S3 store in storage/, Cognito's admin calls in identity/), in both
 * forms: the `Authorization` header (what the SDK sends) and the query string
 * (`X-Amz-Signature`, what a presigned URL carries). The signature is computed again from the
 * request as received with the one secret the service knows, so a request whose path, query,
 * signed headers or body were changed, that was signed with another key, or whose
 * `X-Amz-Expires` has passed is refused. A refusal is a `SignatureError` of a kind each service
 * answers in its own words (S3's XML errors, Cognito's JSON ones).
 *
 * Written out rather than borrowed from the SDK's signer: the signer builds a signature for a
 * request it is about to send, and verifying one needs the canonical request of the request that
 * arrived (its raw path and query, the headers the client chose to sign).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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

export interface VerifyOptions {
  /** The service the credential scope must name: `s3`, `cognito-idp`. */
  service: string;
  /**
   * The hash of the body the signature must cover: hex SHA-256 of the body received (services
   * whose SDKs do not send it as a header). Absent, it is the `x-amz-content-sha256` the client
   * sent (S3, which may also say `UNSIGNED-PAYLOAD` or a streaming mode).
   */
  payloadHash?: string;
  /**
   * Every service but S3 signs its path encoded once more (the SDK's `uriEscapePath`), after
   * removing `.` and `..` segments and repeated slashes; S3 signs the path as sent.
   */
  uriEscapePath?: boolean;
  now?: number;
}

export interface VerifiedRequest {
  /** The payload hash the signature covers: hex SHA-256, `UNSIGNED-PAYLOAD` or `STREAMING-...`. */
  payloadHash: string;
}

/** Why a request was refused; the services translate the kind into their own error. */
export type SignatureErrorKind =
  /** No signature at all (no Authorization header, no X-Amz-Signature). */
  | 'Missing'
  /** An Authorization header that is not SigV4 of a form understood. */
  | 'Unsupported'
  /** Parts of the signature missing or malformed: the date, a signed header (host must be one). */
  | 'Incomplete'
  /** The signature's query parameters are wrong (algorithm, X-Amz-Expires). */
  | 'InvalidQuery'
  /** The credential scope is not `<day>/<region>/<this service>/aws4_request`. */
  | 'InvalidScope'
  /** The header S3 requires for the payload hash is absent. */
  | 'MissingPayloadHash'
  | 'UnknownAccessKey'
  /** A presigned URL past its expiry. */
  | 'Expired'
  /** A header-signed request more than 15 minutes from the clock. */
  | 'Skewed'
  /** Another signature than the one computed: another secret, or a changed request. */
  | 'Mismatch';

export class SignatureError extends Error {
  constructor(
    readonly kind: SignatureErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a request signed more than 15 minutes from its own clock. */
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

export function verifySignature(request: ReceivedRequest, credentials: Credentials, options: VerifyOptions): VerifiedRequest {
  const now = options.now ?? Date.now();
  const query = parseQuery(request.rawQuery);
  const auth = query.some(([name]) => name === 'X-Amz-Signature') ? fromQuery(query, options.payloadHash) : fromHeader(request.headers, options.payloadHash);
  if (auth.accessKeyId !== credentials.accessKeyId) throw new SignatureError('UnknownAccessKey', `The access key id ${auth.accessKeyId} is not known.`);
  const signedAt = parseAmzDate(auth.date);
  if (auth.expires !== undefined) {
    if (now > signedAt + auth.expires * 1000) throw new SignatureError('Expired', 'Request has expired');
  } else if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw new SignatureError('Skewed', `Signature expired: ${auth.date} is more than 15 minutes from ${amzDate(now)}.`);
  }
  const [day, region, service, terminator] = auth.scope.split('/');
  if (day !== auth.date.slice(0, 8) || service !== options.service || terminator !== 'aws4_request' || !region) {
    throw new SignatureError('InvalidScope', `Invalid credential scope ${auth.scope}; the service is ${options.service}`);
  }
  if (!auth.signedHeaders.includes('host')) throw new SignatureError('Incomplete', 'host must be a signed header');

  const canonical = [
    request.method,
    options.uriEscapePath ? escapedPath(request.rawPath) : request.rawPath,
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
    throw new SignatureError('Mismatch', 'The request signature we calculated does not match the signature you provided.');
  }
  return { payloadHash: auth.payloadHash };
}

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function fromQuery(query: Array<[string, string]>, payloadHash: string | undefined): Authorization {
  const param = (name: string) => {
    const value = query.find(([n]) => n === name)?.[1];
    if (value === undefined) throw new SignatureError('InvalidQuery', `Query-string authentication requires ${name}`);
    return value;
  };
  if (param('X-Amz-Algorithm') !== ALGORITHM) throw new SignatureError('InvalidQuery', `X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const expires = Number(param('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SECONDS) {
    throw new SignatureError('InvalidQuery', 'X-Amz-Expires must be a number of seconds from 1 to 604800');
  }
  const [accessKeyId, ...scope] = param('X-Amz-Credential').split('/');
  return {
    accessKeyId,
    scope: scope.join('/'),
    date: param('X-Amz-Date'),
    signedHeaders: param('X-Amz-SignedHeaders').split(';'),
    signature: param('X-Amz-Signature'),
    payloadHash: payloadHash ?? query.find(([n]) => n === 'X-Amz-Content-Sha256')?.[1] ?? 'UNSIGNED-PAYLOAD',
    expires,
  };
}

function fromHeader(headers: ReceivedRequest['headers'], payloadHash: string | undefined): Authorization {
  const header = headers.authorization;
  if (typeof header !== 'string') throw new SignatureError('Missing', 'Access Denied');
  const match = /^AWS4-HMAC-SHA256 Credential=([^/,]+)\/([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(header.trim());
  if (!match) throw new SignatureError('Unsupported', 'Unsupported Authorization Type');
  const date = headers['x-amz-date'];
  const hash = payloadHash ?? headers['x-amz-content-sha256'];
  if (typeof date !== 'string') throw new SignatureError('Incomplete', 'AWS authentication requires a valid Date or x-amz-date header');
  if (typeof hash !== 'string') throw new SignatureError('MissingPayloadHash', 'Missing required header for this request: x-amz-content-sha256');
  return { accessKeyId: match[1], scope: match[2], date, signedHeaders: match[3].split(';'), signature: match[4], payloadHash: hash };
}

/** Query parameters as sent, decoded (`+` stays a plus, as AWS reads a signed query). */
function parseQuery(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return raw.split('&').map((pair) => {
    const at = pair.indexOf('=');
    const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    try {
      return [decodeURIComponent(name), decodeURIComponent(value)];
    } catch {
      throw new SignatureError('Unsupported', 'The query string is not valid percent-encoding');
    }
  });
}

const strictEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The path as the SDK's signer sees it for services other than S3: normalised, then encoded once more (slashes kept). */
function escapedPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return strictEncode(normalized).replace(/%2F/g, '/');
}

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
  if (value === undefined) throw new SignatureError('Incomplete', `signed header ${name} is missing`);
  return (Array.isArray(value) ? value.join(',') : value).trim().replace(/\s+/g, ' ');
}

function parseAmzDate(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) throw new SignatureError('Incomplete', `X-Amz-Date ${text} is not an ISO 8601 basic date`);
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/** A refused request as an AWS JSON API answers it: status, error type (`x-amzn-ErrorType`, `__type`), message. */
export interface Refusal {
  status: number;
  type: string;
  message: string;
}

/** A refused signature as an AWS JSON API (Cognito, SES v2, ...) answers it. */
export function jsonApiRefusal(err: SignatureError): Refusal {
  switch (err.kind) {
    case 'Missing':
      return { status: 403, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
    case 'UnknownAccessKey':
      return { status: 400, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
    case 'Mismatch':
      return {
        status: 400,
        type: 'InvalidSignatureException',
        message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      };
    case 'InvalidScope':
    case 'Expired':
    case 'Skewed':
      return { status: 400, type: 'InvalidSignatureException', message: err.message };
    default:
      return { status: 400, type: 'IncompleteSignatureException', message: err.message };
  }
}
