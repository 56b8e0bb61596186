/**
 * The API Lambda, behind API Gateway's HTTP API (payload 2.0) and its Cognito JWT authorizer.
 * Thin: find the route, establish the caller, let the route call the domain, and turn every
 * failure into an ApiErrorBody; nothing a client sends can make it answer other than in JSON.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { RecordNotFoundError, VersionConflictError } from '../records/errors.ts';
import { callerFrom } from './caller.ts';
import { HttpError, errorResponse, type ApiResult } from './http.ts';
import { matchRoute } from './router.ts';
import { ROUTES } from './routes.ts';

export async function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): Promise<ApiResult> {
  const requestId = event?.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
  try {
    const method = event.requestContext.http.method.toUpperCase();
    const { route, params } = matchRoute(ROUTES, method, event.rawPath);
    const caller = callerFrom(event);
    return await route.handle({ event, caller, params, requestId });
  } catch (err) {
    const httpError = toHttpError(err);
    if (httpError) return errorResponse(httpError, requestId);
    // Unexpected: the cause goes to the log under the request id the client is given.
    console.error(JSON.stringify({ level: 'error', requestId, message: 'unhandled error', error: describe(err) }));
    return errorResponse(new HttpError(500, 'InternalError', `something went wrong; request id ${requestId}`), requestId);
  }
}

function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof RecordNotFoundError) return new HttpError(404, 'NotFound', err.message, {}, { cause: err });
  if (err instanceof VersionConflictError) {
    return new HttpError(409, 'VersionConflict', err.message, { current: err.current }, { cause: err });
  }
  return undefined;
}

function describe(err: unknown): unknown {
  if (!(err instanceof Error)) return String(err);
  return { name: err.name, message: err.message, stack: err.stack, cause: err.cause === undefined ? undefined : describe(err.cause) };
}
