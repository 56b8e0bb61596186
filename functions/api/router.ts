/** A small typed router over API Gateway route paths such as `/api/companies/{id}`. */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { Caller } from './caller.ts';
import type { Principal } from '../access/permissions.ts';
import { HttpError, type ApiResult } from './http.ts';
import type { RouteAccess } from './route-access.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ApiRequest {
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  caller: Caller;
  /** The caller with their role, teams and scope, from the directory: what the domain acts as. */
  principal: Principal;
  params: Record<string, string>;
  requestId: string;
}

export interface Route {
  method: Method;
  /** Segments in braces capture one path segment each. */
  path: string;
  /** What the caller's role must allow (route-access.ts); checked before `handle` runs. */
  access: RouteAccess;
  handle: (request: ApiRequest) => Promise<ApiResult>;
}

/** The route for a request, or the HTTP error that says why there is none. */
export function matchRoute(routes: readonly Route[], method: string, rawPath: string): { route: Route; params: Record<string, string> } {
  const segments = rawPath.split('/');
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path.split('/'), segments);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  if (allowed.length > 0) {
    throw new HttpError(405, 'MethodNotAllowed', `${method} is not allowed on ${rawPath}`, { headers: { allow: allowed.join(', ') } });
  }
  throw new HttpError(404, 'RouteNotFound', `no route ${method} ${rawPath}`);
}

function matchPath(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const name = /^\{(\w+)\}$/.exec(pattern[i])?.[1];
    if (name) {
      const value = decodeSegment(segments[i]);
      if (!value) return undefined;
      params[name] = value;
    } else if (pattern[i] !== segments[i]) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment) || undefined;
  } catch {
    return undefined; // malformed percent-encoding: no record can have such an id
  }
}
