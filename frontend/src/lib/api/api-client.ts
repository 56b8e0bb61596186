import { ApiErrorBody } from '$contracts/errors.ts';
import type { z } from 'zod';

/** An API failure, with the server's code, reason and (for bad input) the field issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Array<{ path: string; message: string }> = [],
    /** On a version conflict: the record as it is now. */
    readonly current?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isConflict() {
    return this.status === 409;
  }

  get isValidation() {
    return this.status === 400 || this.status === 422;
  }

  /** The reason given for one field of the body, e.g. issueFor('fields.name'). */
  issueFor(path: string): string | undefined {
    return this.issues.find((issue) => issue.path === path || issue.path.endsWith(`.${path}`))?.message;
  }
}

export interface ApiClientOptions {
  /** Prefix of every path, e.g. "https://app.example.com" or "" for this origin. */
  baseUrl: string;
  /** A current bearer token, or null when signed out. `forceRefresh` after the API said 401. */
  token: (options?: { forceRefresh?: boolean }) => Promise<string | null>;
  /** Called when the API refuses the session even after a refresh. */
  onSessionEnded?: () => void;
  fetch?: typeof fetch;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** A body sent as it is (a CSV file), not as JSON. */
export interface RawBody {
  raw: BodyInit;
  contentType: string;
}
const isRaw = (body: unknown): body is RawBody => typeof body === 'object' && body !== null && 'raw' in body && 'contentType' in body;

export function createApiClient(options: ApiClientOptions) {
  const fetchFn = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));

  async function send(method: string, path: string, body: unknown, token: string | null) {
    try {
      return await fetchFn(`${options.baseUrl}${path}`, {
        method,
        headers: {
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': isRaw(body) ? body.contentType : 'application/json' }),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : isRaw(body) ? body.raw : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'NetworkError', 'Cannot reach the server. Check your connection and try again.');
    }
  }

  /** Sends a request with the session's token (refreshed once on 401); throws ApiError unless the answer is ok. */
  async function respond(method: string, path: string, body?: unknown): Promise<Response> {
    let response = await send(method, path, body, await options.token());
    if (response.status === 401) {
      // The token may have expired in flight: refresh once, then give up.
      const fresh = await options.token({ forceRefresh: true });
      if (fresh) response = await send(method, path, body, fresh);
    }
    if (response.status === 401) {
      options.onSessionEnded?.();
      throw new ApiError(401, 'Unauthorized', 'Your session has ended. Sign in again.');
    }
    if (!response.ok) throw errorFromResponse(response.status, await response.json().catch(() => undefined));
    return response;
  }

  /** Sends a request and parses the answer with `schema`; throws ApiError on any failure. */
  async function request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    const response = await respond(method, path, body);
    const payload = await response.json().catch(() => undefined);
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      throw new ApiError(response.status, 'UnexpectedResponse', `The server answered ${method} ${path} in an unexpected shape.`);
    }
    return parsed.data;
  }

  return {
    request,
    /** The answer as it came (a CSV download), once it is ok. */
    respond,
    /** A body for `request`/`respond` sent as it is, e.g. `rawBody(file, 'text/csv')`. */
    rawBody: (raw: BodyInit, contentType: string): RawBody => ({ raw, contentType }),
  };
}

export function errorFromResponse(status: number, payload: unknown): ApiError {
  const parsed = ApiErrorBody.safeParse(payload);
  if (parsed.success) {
    const { code, message, issues, current } = parsed.data.error;
    return new ApiError(status, code, message, issues ?? [], current);
  }
  const fallback =
    status >= 500
      ? 'The server had a problem. Try again shortly.'
      : status === 403
        ? 'You do not have permission to do that.'
        : status === 404
          ? 'Not found.'
          : `The request failed (HTTP ${status}).`;
  return new ApiError(status, `HTTP${status}`, fallback);
}
