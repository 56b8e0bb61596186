/** Bad input gets a 4xx JSON answer that names the problem; nothing a client sends causes a 5xx. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { startTestCloud, ApiClient, type TestCloud } from './cloud.ts';

let cloud: TestCloud;
let user: ApiClient;
let companyId: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('initech');
  companyId = (await user.post('/api/companies', { name: 'Initech' })).json.id;
});
afterAll(() => cloud?.stop());

function apiError(response: { status: number; json: unknown }) {
  return ApiErrorBody.parse(response.json).error;
}

describe('bad input', () => {
  it('malformed JSON is a 400 that says so', async () => {
    for (const body of ['{"name": "x"', 'not json', '', '{"name": "x"}}']) {
      const response = await user.request('POST', '/api/companies', body, { 'content-type': 'application/json' });
      expect(response.status, body).toBe(400);
      expect(apiError(response).code).toBe('MalformedJson');
    }
  });

  it('wrong types and unknown fields are named by their path', async () => {
    const created = await user.post('/api/companies', { name: 42, domain: 'not a domain', extra: true });
    expect(created.status).toBe(400);
    const error = apiError(created);
    expect(error.code).toBe('ValidationFailed');
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['domain', 'extra', 'name']);

    const patched = await user.patch(`/api/companies/${companyId}`, { version: '1', fields: { name: '', color: 'red' } });
    expect(patched.status).toBe(400);
    expect(apiError(patched).issues?.map((i) => i.path).sort()).toEqual(['fields.color', 'fields.name', 'version']);

    const empty = await user.patch(`/api/companies/${companyId}`, { version: 1, fields: {} });
    expect(apiError(empty).issues).toEqual([{ path: 'fields', message: 'must change at least one field' }]);

    for (const body of [[], null, 'a string', 7]) {
      const response = await user.post('/api/companies', JSON.stringify(body));
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(apiError(response).code).toBe('ValidationFailed');
    }
  });

  it('query parameters are validated too', async () => {
    const noVersion = await user.delete(`/api/companies/${companyId}`);
    expect(noVersion.status).toBe(400);
    expect(apiError(noVersion).issues?.[0].path).toBe('query.version');
    const badLimit = await user.get('/api/companies?limit=0');
    expect(apiError(badLimit).issues?.[0].path).toBe('query.limit');
    const badCursor = await user.get('/api/companies?cursor=..%2F..');
    expect(apiError(badCursor).issues?.[0].path).toBe('query.cursor');
  });

  it('bodies past the API\'s limit are a 413, and past the gateway\'s limit too', async () => {
    const large = await user.post('/api/companies', { name: 'x'.repeat(300 * 1024) });
    expect(large.status).toBe(413);
    expect(apiError(large).code).toBe('PayloadTooLarge');
    const huge = await user.post('/api/companies', { name: 'x'.repeat(1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
    expect(huge.json).toEqual({ message: 'Request Entity Too Large' });
  });

  it('unknown ids, routes and methods are 404 and 405 in JSON', async () => {
    expect(apiError(await user.get('/api/companies/01ARZ3NDEKTSV4RRFFQ69G5FAV')).code).toBe('NotFound');
    expect(apiError(await user.get('/api/companies/not-an-id')).code).toBe('NotFound');
    expect(apiError(await user.get('/api/companies/%E0%A4%A')).code).toBe('RouteNotFound');
    expect(apiError(await user.get('/api/nothing-here')).code).toBe('RouteNotFound');
    const put = await user.request('PUT', `/api/companies/${companyId}`, { name: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE');
    expect(apiError(put).code).toBe('MethodNotAllowed');
  });

  it('a signed-in user without a tenant is refused with 403', async () => {
    await cloud.identity.createUser({ email: 'nobody@example.com', password: 'long enough password', tenant: '' });
    const { signIn } = await import('./cloud.ts');
    const tokens = await signIn(cloud.url, cloud.clientId, 'nobody@example.com', 'long enough password');
    const response = await new ApiClient(cloud.url, tokens.IdToken).get('/api/companies');
    expect(response.status).toBe(403);
    expect(apiError(response).code).toBe('NoTenant');
  });
});
