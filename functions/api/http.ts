/**
 * The HTTP side of the API Lambda: typed HTTP errors, JSON responses in the ApiErrorBody shape,
 * and reading a request body or query against a zod contract.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import type { ApiErrorBody } from '../contracts/errors.ts';
import { DomainError, shownValue, type AnswerIssue, type ErrorDetails } from '../errors/domain-error.ts';

export type ApiResult = APIGatewayProxyStructuredResultV2;

/** Bodies the API accepts: a record is far smaller; anything bigger is refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return jsonText(statusCode, JSON.stringify(body), headers);
}

/** A JSON answer already serialised (a large payload joined from kept parts: views/view-rows.ts). */
export function jsonText(statusCode: number, text: string, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: text };
}

export function noContent(): ApiResult {
  return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
}

/** The HTTP error a failure is answered with: a domain error by its code; undefined for anything else (a 500). */
export function httpErrorOf(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof DomainError) return new HttpError(err.status, err.code, err.message, err.details(), { cause: err });
  return undefined;
}

export function errorResponse(err: HttpError, requestId: string): ApiResult {
  const body: ApiErrorBody = {
    error: { code: err.code, message: err.message, issues: err.details.issues, current: err.details.current, requestId },
  };
  return json(err.status, body, err.details.headers);
}

/** The request body as JSON, validated against `schema`. */
export function readBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new HttpError(413, 'PayloadTooLarge', `the body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  if (text.trim() === '') throw new HttpError(400, 'MalformedJson', 'the body must be a JSON document');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'MalformedJson', `the body is not valid JSON: ${(err as Error).message}`, {}, { cause: err });
  }
  return validate(schema, parsed, []);
}

/**
 * The file in the body, as bytes. A body of a text type (`text/csv`) reaches the function as
 * text the gateway decoded as UTF-8, which leaves a file in another encoding broken beyond
 * repair: that is refused rather than stored so. Any other type (`application/octet-stream`,
 * as the web app sends a file) comes as base64 of the bytes as they are.
 */
export function bodyBytes({ body, isBase64Encoded }: APIGatewayProxyEventV2): Uint8Array {
  if (isBase64Encoded) return Buffer.from(body ?? '', 'base64');
  if (body?.includes('\uFFFD')) {
    throw new HttpError(400, 'ValidationFailed', 'the file is not UTF-8 text', { issues: [{ path: 'body', message: 'is not UTF-8 text: send the file as application/octet-stream, so that its encoding is read from its bytes' }] });
  }
  return Buffer.from(body ?? '', 'utf8');
}

/** The query string parameters, validated against `schema`. */
export function readQuery<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  return validate(schema, event.queryStringParameters ?? {}, ['query']);
}

function validate<S extends z.ZodType>(schema: S, value: unknown, prefix: string[]): z.infer<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap(specific).flatMap((issue): AnswerIssue[] => {
    const path = issue.path.map(String);
    // A strict object names its unknown keys together; each is a field of its own to the client.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...prefix, ...path, key].join('.'), message: 'is not a known field' }));
    }
    return [{ path: [...prefix, ...path].join('.'), message: issue.message, value: shownValue(issue.input) }];
  });
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new HttpError(400, 'ValidationFailed', `the request is invalid: ${summary}`, { issues });
}

/**
 * The issue as a client can act on it: a record's refused key, and a value refused by the one
 * branch of a union of its own type, by their own reasons ("Too big: expected string to have
 * <=100 characters", "... array to have <=500 items") rather than zod's "Invalid key in record"
 * or "Invalid input".
 */
function specific(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  const inner = (issues: z.core.$ZodIssue[]) => issues.flatMap((part) => specific({ ...part, path: [...issue.path, ...part.path] }));
  if (issue.code === 'invalid_key') return inner(issue.issues);
  if (issue.code === 'invalid_union') {
    const ofItsType = issue.errors.filter((branch) => !branch.some((part) => part.code === 'invalid_type' && part.path.length === 0));
    if (ofItsType.length === 1) return inner(ofItsType[0]);
  }
  return [issue];
}
