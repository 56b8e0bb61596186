/**
 * The caller, from the claims the JWT authorizer verified. The tenant comes from these claims
 * only, never from a body, query or path, so no request can name another tenant.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { TENANT_PATTERN } from '../store/item-kinds.ts';
import { HttpError } from './http.ts';

export interface Caller {
  sub: string;
  email?: string;
  tenant: string;
  groups: string[];
}

export function callerFrom(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') throw new HttpError(401, 'Unauthorized', 'the request carries no verified identity');
  const tenant = claims['custom:tenant'];
  if (typeof tenant !== 'string' || !TENANT_PATTERN.test(tenant)) {
    throw new HttpError(403, 'NoTenant', 'the signed-in user belongs to no tenant');
  }
  return { sub, email: typeof claims.email === 'string' ? claims.email : undefined, tenant, groups: groupsOf(claims['cognito:groups']) };
}

/** API Gateway hands array claims over as one string, "[a b]"; a direct invocation may pass an array. */
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
}
