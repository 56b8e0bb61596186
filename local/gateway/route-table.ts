/**
 * API Gateway route keys (`ANY /api/{proxy+}`, `GET /things/{id}`, `$default`) matched against a
 * request the way an HTTP API matches them: most specific first, `{name+}` taking the rest.
 */
export interface RouteSpec<T> {
  routeKey: string;
  target: T;
}

export interface RouteMatch<T> {
  routeKey: string;
  target: T;
  pathParameters?: Record<string, string>;
}

export function createRouteTable<T>(routes: ReadonlyArray<RouteSpec<T>>) {
  const compiled = routes
    .map((route) => ({ ...route, ...compile(route.routeKey) }))
    // Exact segments before parameters before greedy ones; $default last.
    .sort((a, b) => b.specificity - a.specificity);
  return (method: string, rawPath: string): RouteMatch<T> | undefined => {
    for (const route of compiled) {
      if (route.method !== 'ANY' && route.method !== method) continue;
      const pathParameters = route.match(rawPath);
      if (pathParameters) return { routeKey: route.routeKey, target: route.target, pathParameters: route.hasParameters ? pathParameters : undefined };
    }
    return undefined;
  };
}

function compile(routeKey: string) {
  if (routeKey === '$default') return { method: 'ANY', specificity: -1, hasParameters: false, match: () => ({}) };
  const [method, path] = routeKey.split(' ');
  const names: string[] = [];
  let specificity = 0;
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (!param) {
        specificity += 100;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      names.push(param[1]);
      specificity += param[2] ? 1 : 10;
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  const pattern = new RegExp(`^${source}$`);
  return {
    method,
    specificity,
    hasParameters: names.length > 0,
    match: (rawPath: string): Record<string, string> | undefined => {
      const found = pattern.exec(rawPath);
      if (!found) return undefined;
      return Object.fromEntries(names.map((name, i) => [name, decode(found[i + 1])]));
    },
  };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
