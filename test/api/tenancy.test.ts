/**
 * A user of tenant B can neither read nor change tenant A's records through any route. The
 * routes come from the API's own table, so a route added later is covered (test/support/route-requests.ts
 * must then give it a valid request). Each route gets a request it accepts, aimed at A's resources,
 * so that what refuses it is the tenant check, not the validation of a body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { HTTP_ROUTES, TABLE } from '../../infra/app-resources.ts';
import { RECORD_TYPES } from '../../functions/records/record-types.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';
import { aimAt, send, validRequest, type Aim, type Resource } from '../support/route-requests.ts';

let cloud: TestCloud;
let alice: ApiClient; // tenant "acme"
let bob: ApiClient; // tenant "globex"
/** A's resources, every name starting with SECRET: what B must neither see nor change. */
let ofAlice: Aim;
let secret: Resource;

const SECRET = 'Acme secret';
const company = RECORD_TYPES.find((type) => type.name === 'company')!;

beforeAll(async () => {
  cloud = await startTestCloud();
  alice = await cloud.userOf('acme', ['administrator']);
  bob = await cloud.userOf('globex', ['administrator']);
  ofAlice = aimAt(alice, 'acme', SECRET);
  secret = await ofAlice.record(company);
});
afterAll(() => cloud?.stop());

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('tenancy', () => {
  it('every API route sits behind the JWT authorizer', () => {
    expect(HTTP_ROUTES.filter((r) => r.function === 'api').every((r) => r.auth === 'jwt')).toBe(true);
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s gives B nothing of A', async (_, route) => {
    // A request the route accepts, aimed at A's resources: only the tenant check can refuse it.
    const { request, aimedAt } = await validRequest(route, ofAlice);
    const before = await Promise.all(aimedAt.map((resource) => resource.read()));
    expect(before.every((state) => state !== undefined)).toBe(true);
    // Naming A's tenant anywhere the request can carry it changes nothing: only the token counts.
    const plain = await send(bob, request);
    const smuggling = await send(bob, { ...request, path: `${request.path}${request.path.includes('?') ? '&' : '?'}tenant=acme`, headers: { ...request.headers, 'x-tenant': 'acme' } });
    const sent = JSON.stringify(request);
    for (const response of [plain, smuggling]) {
      expect(response.status, response.text).toBeLessThan(500);
      // Nothing of A's comes back but what B itself sent (a name asked for is echoed).
      expect(occurrences(response.text, SECRET), response.text).toBeLessThanOrEqual(occurrences(sent, SECRET));
    }
    if (aimedAt.some((resource) => request.path.split('?')[0].includes(resource.id))) {
      // To B, A's resource named in the path does not exist (not "forbidden", which would confirm that it does).
      expect(plain.status, plain.text).toBe(404);
      expect([400, 404]).toContain(smuggling.status);
    }
    // A's resources are exactly as A left them.
    expect(await Promise.all(aimedAt.map((resource) => resource.read()))).toEqual(before);
    expect(await secret.read()).toMatchObject({ id: secret.id, name: secret.name, version: 1 });
    const history = await alice.get(`/api/companies/${secret.id}/history`);
    expect(history.json.items).toHaveLength(1);

    // The same request aimed at B's own resources is accepted: the body and query were never what refused it.
    const own = await validRequest(route, aimAt(bob, 'globex', 'Planted by B'));
    const accepted = await send(bob, own.request);
    expect(accepted.status, accepted.text).toBeGreaterThanOrEqual(200);
    expect(accepted.status, accepted.text).toBeLessThan(300);
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
