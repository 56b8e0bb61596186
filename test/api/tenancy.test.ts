/**
 * A user of tenant B can neither read nor change tenant A's records through any route. The
 * routes come from the API's own table, so a route added later is covered without a new test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { HTTP_ROUTES, TABLE } from '../../infra/app-resources.ts';
import type { Route } from '../../functions/api/router.ts';
import { startTestCloud, type ApiClient, type TestCloud } from './cloud.ts';

let cloud: TestCloud;
let alice: ApiClient; // tenant "acme"
let bob: ApiClient; // tenant "globex"
let secret: { id: string; name: string };

beforeAll(async () => {
  cloud = await startTestCloud();
  alice = await cloud.userOf('acme', ['administrator']);
  bob = await cloud.userOf('globex', ['administrator']);
  const created = await alice.post('/api/companies', { name: 'Acme secret account' });
  expect(created.status).toBe(201);
  secret = { id: created.json.id, name: created.json.name };
});
afterAll(() => cloud?.stop());

/** A request to `route` aimed at A's record, shaped as a well-meaning client would send it. */
function requestAimedAt(route: Route, id: string) {
  const path = route.path.replace(/\{\w+\}/g, id);
  const body = route.method === 'POST' ? { name: 'Planted by B' } : route.method === 'PATCH' ? { version: 1, fields: { name: 'Changed by B' } } : undefined;
  const query = route.method === 'DELETE' ? '?version=1' : '';
  return { method: route.method, path: `${path}${query}`, body };
}

describe('tenancy', () => {
  it('every API route sits behind the JWT authorizer', () => {
    expect(HTTP_ROUTES.filter((r) => r.function === 'api').every((r) => r.auth === 'jwt')).toBe(true);
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s gives B nothing of A', async (_, route) => {
    const { method, path, body } = requestAimedAt(route, secret.id);
    // Naming A's tenant anywhere the request can carry it changes nothing: only the token counts.
    const plain = await bob.request(method, path, body);
    const smuggling = await bob.request(method, `${path}${path.includes('?') ? '&' : '?'}tenant=acme`, body, { 'x-tenant': 'acme' });
    for (const response of [plain, smuggling]) {
      expect(response.status).toBeLessThan(500);
      expect(response.text).not.toContain(secret.name);
    }
    if (route.path.includes('{')) {
      // To B, A's record does not exist (not "forbidden", which would confirm that it does).
      expect(plain.status).toBe(404);
      expect([400, 404]).toContain(smuggling.status);
    }
    // A's record is exactly as A left it.
    const seen = await alice.get(`/api/companies/${secret.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ id: secret.id, name: secret.name, version: 1 });
    const history = await alice.get(`/api/companies/${secret.id}/history`);
    expect(history.json.items).toHaveLength(1);
  });

  it('B\'s lists hold only B\'s records, and A\'s only A\'s', async () => {
    const bobs = await bob.post('/api/companies', { name: 'Globex own' });
    expect(bobs.status).toBe(201);
    const bobList = (await bob.get('/api/companies')).json.items.map((c: { id: string }) => c.id);
    const aliceList = (await alice.get('/api/companies')).json.items.map((c: { id: string }) => c.id);
    expect(bobList).toContain(bobs.json.id);
    expect(bobList).not.toContain(secret.id);
    expect(aliceList).toContain(secret.id);
    expect(aliceList).not.toContain(bobs.json.id);
  });

  it('every item in the table is keyed by its tenant', async () => {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: cloud.dynamoEndpoint }));
    // The local Step Functions engine keeps its own state under SFN#; in AWS that lives in the service.
    const items = ((await db.send(new ScanCommand({ TableName: TABLE.name }))).Items ?? []).filter((item) => !item.pk.startsWith('SFN#'));
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.pk).toMatch(/^T#[a-z0-9-]+#/);
      if (item.gsi1pk !== undefined) expect(item.gsi1pk).toMatch(new RegExp(`^${item.pk.split('#').slice(0, 2).join('#')}#`));
    }
    const ofAcme = items.filter((item) => item.pk.startsWith('T#acme#'));
    expect(ofAcme.some((item) => item.id === secret.id)).toBe(true);
    db.destroy();
  });

  it('a body that names a tenant is refused, not obeyed', async () => {
    const response = await bob.post('/api/companies', { name: 'Sneaky', tenant: 'acme' });
    expect(response.status).toBe(400);
    expect(response.json.error.issues).toContainEqual({ path: 'tenant', message: 'is not a known field' });
  });
});
