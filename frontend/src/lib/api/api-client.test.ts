import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, createApiClient, errorFromResponse } from './api-client.ts';
import { jsonResponse, scriptedFetch } from './scripted-fetch.ts';


const Thing = z.object({ id: z.string() });

describe('errorFromResponse', () => {
  it('keeps the code, message and field issues of an API error body', () => {
    const error = errorFromResponse(400, {
      error: {
        code: 'ValidationFailed',
        message: 'the request is invalid',
        issues: [{ path: 'fields.domain', message: 'must be a domain like example.com' }],
      },
    });
    expect(error.status).toBe(400);
    expect(error.code).toBe('ValidationFailed');
    expect(error.isValidation).toBe(true);
    expect(error.issueFor('domain')).toBe('must be a domain like example.com');
    expect(error.issueFor('fields.domain')).toBe('must be a domain like example.com');
    expect(error.issueFor('name')).toBeUndefined();
  });

  it('carries the current record of a version conflict', () => {
    const current = { id: 'x', version: 3 };
    const error = errorFromResponse(409, { error: { code: 'VersionConflict', message: 'stale', current } });
    expect(error.isConflict).toBe(true);
    expect(error.current).toEqual(current);
  });

  it('explains a failure without an API error body by its status', () => {
    expect(errorFromResponse(502, '<html>Bad gateway</html>').message).toMatch(/server had a problem/);
    expect(errorFromResponse(403, undefined).message).toMatch(/permission/);
    expect(errorFromResponse(418, {}).code).toBe('HTTP418');
  });
});

describe('createApiClient', () => {
  it('sends the bearer token and JSON body to the base URL, and parses the answer', async () => {
    const { fetch, calls } = scriptedFetch(jsonResponse(201, { id: 'a', extra: true }));
    const api = createApiClient({ baseUrl: 'https://app.example.com', token: async () => 'tok', fetch });

    const created = await api.request('POST', '/api/things', Thing, { name: 'A' });

    expect(created).toEqual({ id: 'a' });
    expect(calls[0].url).toBe('https://app.example.com/api/things');
    const headers = calls[0].init.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer tok');
    expect(headers['Content-Type']).toBe('application/json');
    expect(calls[0].init.body).toBe('{"name":"A"}');
  });

  it('refreshes the token once after a 401 and retries', async () => {
    const { fetch, calls } = scriptedFetch(jsonResponse(401, { message: 'Unauthorized' }), jsonResponse(200, { id: 'b' }));
    const asked: boolean[] = [];
    const api = createApiClient({
      baseUrl: '',
      token: async (options) => {
        asked.push(options?.forceRefresh ?? false);
        return options?.forceRefresh ? 'fresh' : 'stale';
      },
      fetch,
    });

    expect(await api.request('GET', '/api/things/b', Thing)).toEqual({ id: 'b' });
    expect(asked).toEqual([false, true]);
    expect((calls[1].init.headers as Record<string, string>).Authorization).toBe('Bearer fresh');
  });

  it('ends the session when the API still refuses it after a refresh', async () => {
    const { fetch } = scriptedFetch(jsonResponse(401, {}), jsonResponse(401, {}));
    let ended = 0;
    const api = createApiClient({ baseUrl: '', token: async () => 'tok', fetch, onSessionEnded: () => ended++ });

    await expect(api.request('GET', '/api/things', Thing)).rejects.toMatchObject({ status: 401, code: 'Unauthorized' });
    expect(ended).toBe(1);
  });

  it('turns a network failure and an unexpected answer into ApiErrors', async () => {
    const { fetch } = scriptedFetch(new TypeError('Failed to fetch'), jsonResponse(200, { nope: 1 }));
    const api = createApiClient({ baseUrl: '', token: async () => 'tok', fetch });

    const offline = await api.request('GET', '/api/things', Thing).catch((e) => e);
    expect(offline).toBeInstanceOf(ApiError);
    expect(offline.code).toBe('NetworkError');
    await expect(api.request('GET', '/api/things', Thing)).rejects.toMatchObject({ code: 'UnexpectedResponse' });
  });

  it('throws the API error of a refused request', async () => {
    const { fetch } = scriptedFetch(
      jsonResponse(409, { error: { code: 'VersionConflict', message: 'stale', current: { id: 'c' } } }),
    );
    const api = createApiClient({ baseUrl: '', token: async () => 'tok', fetch });
    await expect(api.request('PATCH', '/api/things/c', Thing, {})).rejects.toMatchObject({
      status: 409,
      code: 'VersionConflict',
      current: { id: 'c' },
    });
  });

  it('sends a raw body as it is, and answers a download as the response it is', async () => {
    const { fetch, calls } = scriptedFetch(jsonResponse(200, { id: 'c' }), new Response('Id,Name\r\n', { status: 200, headers: { 'content-type': 'text/csv' } }), jsonResponse(413, { error: { code: 'PayloadTooLarge', message: 'too big' } }));
    const api = createApiClient({ baseUrl: '', token: async () => 'tok', fetch });
    await api.request('POST', '/api/imports?type=contacts', Thing, api.rawBody('Name\nAda\n', 'text/csv'));
    expect(calls[0].init.body).toBe('Name\nAda\n');
    expect((calls[0].init.headers as Record<string, string>)['Content-Type']).toBe('text/csv');
    expect(await (await api.respond('GET', '/api/contacts/export.csv')).text()).toBe('Id,Name\r\n');
    await expect(api.respond('POST', '/api/imports', api.rawBody('x', 'text/csv'))).rejects.toMatchObject({ status: 413, code: 'PayloadTooLarge' });
  });
});
