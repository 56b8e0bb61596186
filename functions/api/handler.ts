/**
 * The API Lambda, behind API Gateway's HTTP API (payload 2.0) and its Cognito JWT authorizer.
 * Thin: find the route, establish the caller, let the route call the domain, and turn every
 * failure into an ApiErrorBody (a domain error by its code: api/http.ts `httpErrorOf`); nothing a
 * client sends can make it answer other than in JSON.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { callerFrom } from './caller.ts';
import { HttpError, errorResponse, httpErrorOf, type ApiResult } from './http.ts';
import { matchRoute } from './router.ts';
import { ROUTES } from './routes.ts';
import { authorize } from './route-access.ts';
import { principalOf } from '../access/permissions.ts';

export async function handler(event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): Promise<ApiResult> {
  const requestId = event?.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
  try {
    const method = event.requestContext.http.method.toUpperCase();
    const { route, params } = matchRoute(ROUTES, method, event.rawPath);
    const caller = callerFrom(event);
    const principal = await principalOf({ ...caller, sourceIp: event.requestContext.http.sourceIp });
    const request = { event, caller, principal, params, requestId };
    await authorize(route.access, request);
    return await route.handle(request);
  } catch (err) {
    const httpError = httpErrorOf(err);
    if (httpError) return errorResponse(httpError, requestId);
    // Unexpected: the cause goes to the log under the request id the client is given.
    console.error(JSON.stringify({ level: 'error', requestId, message: 'unhandled error', error: describe(err) }));
    return errorResponse(new HttpError(500, 'InternalError', `something went wrong; request id ${requestId}`), requestId);
  }
}

function describe(err: unknown): unknown {
  if (!(err instanceof Error)) return String(err);
  return { name: err.name, message: err.message, stack: err.stack, cause: err.cause === undefined ? undefined : describe(err.cause) };
}
