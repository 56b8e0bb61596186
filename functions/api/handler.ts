/**
 * The API Lambda, behind API Gateway's HTTP API (payload 2.0) and its Cognito JWT authorizer.
 * Thin: find the route, establish the caller, let the route call the domain, and turn every
 * failure into an ApiErrorBody; nothing a client sends can make it answer other than in JSON.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { FieldValidationError, ItemTooLargeError, NotInTrashError, RecordNotFoundError, VersionConflictError } from '../records/errors.ts';
import { FieldConflictError, FieldDefinitionError, FieldNotFoundError } from '../fields/field-definitions.ts';
import { ViewConflictError, ViewNotFoundError } from '../views/views.ts';
import { SnapshotBuildingError } from '../views/snapshot-build.ts';
import { MergeInterruptedError } from '../duplicates/merge.ts';
import { callerFrom } from './caller.ts';
import { HttpError, errorResponse, shownValue, type ApiResult } from './http.ts';
import { matchRoute } from './router.ts';
import { ROUTES } from './routes.ts';
import { authorize } from './route-access.ts';
import { ForbiddenError, UserDeactivatedError, principalOf } from '../access/permissions.ts';
import { TenantItemConflictError, TenantItemExistsError, TenantItemNotFoundError } from '../tenant-items/tenant-items.ts';
import { BuiltInRoleError, RoleInUseError } from '../roles/roles.ts';
import { TeamNotEmptyError } from '../teams/teams.ts';
import { SelfLockoutError, UserExistsError } from '../users/users.ts';
import { AccountExistsError, InvitationAcceptedError } from '../users/identity-admin.ts';
import { IdempotencyKeyReusedError } from './idempotent-answer.ts';

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
    const httpError = toHttpError(err);
    if (httpError) return errorResponse(httpError, requestId);
    // Unexpected: the cause goes to the log under the request id the client is given.
    console.error(JSON.stringify({ level: 'error', requestId, message: 'unhandled error', error: describe(err) }));
    return errorResponse(new HttpError(500, 'InternalError', `something went wrong; request id ${requestId}`), requestId);
  }
}

function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  const cause = { cause: err };
  if (err instanceof RecordNotFoundError || err instanceof FieldNotFoundError || err instanceof ViewNotFoundError) return new HttpError(404, 'NotFound', err.message, {}, cause);
  if (err instanceof VersionConflictError || err instanceof FieldConflictError || err instanceof ViewConflictError) {
    return new HttpError(409, 'VersionConflict', err.message, { current: err.current }, cause);
  }
  if (err instanceof ForbiddenError) {
    return new HttpError(403, 'Forbidden', err.message, { issues: err.fields.map((path) => ({ path: `fields.${path}`, message: 'is read-only for your role' })) }, cause);
  }
  if (err instanceof UserDeactivatedError) return new HttpError(403, 'UserDeactivated', err.message, {}, cause);
  if (err instanceof SelfLockoutError) return new HttpError(403, 'SelfLockout', err.message, {}, cause);
  if (err instanceof BuiltInRoleError) return new HttpError(403, 'BuiltInRole', err.message, {}, cause);
  if (err instanceof TenantItemNotFoundError) return new HttpError(404, 'NotFound', err.message, {}, cause);
  if (err instanceof TenantItemConflictError) return new HttpError(409, 'VersionConflict', err.message, { current: err.current }, cause);
  if (err instanceof TenantItemExistsError) return new HttpError(409, 'AlreadyExists', err.message, {}, cause);
  if (err instanceof UserExistsError || err instanceof AccountExistsError) return new HttpError(409, 'AlreadyExists', err.message, { issues: [{ path: 'email', message: 'has an account already', value: err.email }] }, cause);
  if (err instanceof InvitationAcceptedError) return new HttpError(409, 'InvitationAccepted', err.message, {}, cause);
  if (err instanceof RoleInUseError || err instanceof TeamNotEmptyError) return new HttpError(409, 'InUse', err.message, {}, cause);
  if (err instanceof IdempotencyKeyReusedError) {
    return new HttpError(422, 'IdempotencyKeyReused', err.message, { issues: [{ path: 'idempotencyKey', message: 'was already used for another request', value: err.key }] }, cause);
  }
  if (err instanceof NotInTrashError) return new HttpError(409, 'NotInTrash', err.message, {}, cause);
  if (err instanceof MergeInterruptedError) return new HttpError(409, 'MergeInterrupted', err.message, {}, cause);
  // A view's rows asked for by id, or exported, while its type's snapshot is built (views/snapshot-build.ts).
  if (err instanceof SnapshotBuildingError) return new HttpError(503, 'Preparing', err.message, { headers: { 'retry-after': '5' } }, cause);
  if (err instanceof FieldValidationError) {
    const issues = err.issues.map(({ value, ...issue }) => ({ ...issue, value: shownValue(value) }));
    return new HttpError(400, 'ValidationFailed', err.message, { issues }, cause);
  }
  if (err instanceof FieldDefinitionError) return new HttpError(400, 'ValidationFailed', err.message, { issues: [{ path: err.path, message: err.message }] }, cause);
  if (err instanceof ItemTooLargeError) {
    const issues = err.fields.map((path) => ({ path, message: `makes the record larger than DynamoDB's ${err.limit} bytes per item` }));
    return new HttpError(413, 'ItemTooLarge', err.message, { issues }, cause);
  }
  return undefined;
}

function describe(err: unknown): unknown {
  if (!(err instanceof Error)) return String(err);
  return { name: err.name, message: err.message, stack: err.stack, cause: err.cause === undefined ? undefined : describe(err.cause) };
}
