/**
 * The API as one signed-in user, for benchmarks that set a tenant up through it: a JSON call
 * that throws on any answer but 2xx, so a setup that went wrong stops the figures.
 */
export type ApiCall = (method: string, path: string, body?: unknown) => Promise<any>;

export function apiAs(baseUrl: string, token: string): ApiCall {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
}
