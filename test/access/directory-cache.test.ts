/**
 * The directory kept per container (functions/directory/directory.ts): a role change, a
 * deactivation or a custom role's change made through one container counts at the very next
 * request of another container that holds the directory already, as it does in the one that
 * made it. Two containers: the embedded cloud's gateway with its API function, and the same
 * handler loaded again in a module graph of its own (so its module-scope cache is its own),
 * given the event API Gateway would pass once the real JWT authorizer has verified the token.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createJwtAuthorizer } from '../../local/gateway/jwt-authorizer.ts';
import { lambdaContext } from '../../local/lambda.ts';
import { ApiClient, startTestCloud, type TestCloud } from '../support/cloud.ts';
import { person } from '../support/people.ts';

type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<{ statusCode: number; body?: string }>;

let cloud: TestCloud;
let admin: ApiClient;
let second: Container;

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf('cacheco', ['administrator']);
  await admin.get('/api/me');
  second = await newContainer(cloud);
});
afterAll(async () => {
  await cloud?.stop();
});

interface Container {
  request(client: ApiClient, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
}

/** Another API container: the handler and everything it imports, loaded afresh. */
async function newContainer(testCloud: TestCloud): Promise<Container> {
  vi.resetModules();
  const { handler } = (await import('../../functions/api/handler.ts')) as { handler: Handler };
  const authorize = createJwtAuthorizer({ issuer: testCloud.identity.issuerFor(testCloud.url), audience: testCloud.clientId });
  return {
    async request(client, method, path, body) {
      const authorization = await authorize(`Bearer ${client.token}`);
      if (!authorization.ok) throw new Error(authorization.reason);
      const event = {
        version: '2.0',
        routeKey: '$default',
        rawPath: path.split('?')[0],
        rawQueryString: path.split('?')[1] ?? '',
        headers: { 'content-type': 'application/json' },
        requestContext: {
          authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: authorization.claims, scopes: [] } },
          http: { method, path: path.split('?')[0], protocol: 'HTTP/1.1', sourceIp: '127.0.0.2', userAgent: 'test' },
          requestId: crypto.randomUUID(),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
      const result = await handler(event, lambdaContext('sheetflow-api'));
      return { status: result.statusCode, json: result.body ? JSON.parse(result.body) : undefined };
    },
  };
}

const roleIn = async (container: Container, client: ApiClient) => (await container.request(client, 'GET', '/api/me')).json.role?.id;
const userVersion = async (sub: string) => ((await admin.get('/api/users')).json.items as Array<{ sub: string; version: number }>).find((u) => u.sub === sub)!.version;

describe('the directory kept per container', () => {
  it('a role change made through one container counts at the next request of another that holds the directory', async () => {
    const rep = await person(cloud, 'cacheco', 'sales-representative');
    // Both containers hold the directory with the representative in it.
    expect((await rep.client.get('/api/me')).json.role.id).toBe('sales-representative');
    expect(await roleIn(second, rep.client)).toBe('sales-representative');
    expect((await second.request(rep.client, 'POST', '/api/companies', { name: 'Rep Co' })).status).toBe(201);

    const changed = await admin.patch(`/api/users/${rep.sub}`, { version: await userVersion(rep.sub), fields: { role: 'marketing' } });
    expect(changed.status, changed.text).toBe(200);
    expect(await roleIn(second, rep.client)).toBe('marketing');
    const refused = await second.request(rep.client, 'POST', '/api/companies', { name: 'Rep Co 2' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/Marketing may not create/);
    expect((await rep.client.get('/api/me')).json.role.id).toBe('marketing');
  });

  it('a deactivation made through the other container locks the user out at their next request, in both; activation lets them back', async () => {
    const rep = await person(cloud, 'cacheco', 'sales-representative');
    expect((await rep.client.get('/api/companies')).status).toBe(200);
    expect((await second.request(rep.client, 'GET', '/api/companies')).status).toBe(200);

    const off = await second.request(admin, 'PATCH', `/api/users/${rep.sub}`, { version: await userVersion(rep.sub), fields: { active: false } });
    expect(off.status).toBe(200);
    const locked = await rep.client.get('/api/companies');
    expect(locked.status).toBe(403);
    expect(locked.json.error.code).toBe('UserDeactivated');
    expect((await second.request(rep.client, 'GET', '/api/companies')).json.error.code).toBe('UserDeactivated');

    const on = await admin.patch(`/api/users/${rep.sub}`, { version: off.json.version, fields: { active: true } });
    expect(on.status, on.text).toBe(200);
    expect((await second.request(rep.client, 'GET', '/api/companies')).status).toBe(200);
    expect((await rep.client.get('/api/companies')).status).toBe(200);
  });

  it('a custom role changed through one container counts at its holder\'s next request in the other', async () => {
    const role = await admin.post('/api/roles', { name: 'Company reader', types: { company: { actions: ['read'], scope: 'all' } } });
    expect(role.status, role.text).toBe(201);
    const holder = await person(cloud, 'cacheco', undefined);
    const given = await admin.patch(`/api/users/${holder.sub}`, { version: await userVersion(holder.sub), fields: { role: role.json.id } });
    expect(given.status, given.text).toBe(200);
    expect((await second.request(holder.client, 'GET', '/api/companies')).status).toBe(200);
    expect((await holder.client.get('/api/companies')).status).toBe(200);

    const narrowed = await admin.patch(`/api/roles/${role.json.id}`, { version: 1, fields: { types: { contact: { actions: ['read'], scope: 'all' } } } });
    expect(narrowed.status, narrowed.text).toBe(200);
    expect((await second.request(holder.client, 'GET', '/api/companies')).status).toBe(403);
    expect((await second.request(holder.client, 'GET', '/api/contacts')).status).toBe(200);
    expect((await holder.client.get('/api/companies')).status).toBe(403);
  });

  it('a warm container reads the directory again only when its version moves', async () => {
    const rep = await person(cloud, 'cacheco', 'sales-representative');
    expect(await roleIn(second, rep.client)).toBe('sales-representative');
    // Written around the app, without moving the version: the containers keep what they hold.
    const { documentClient, tableName } = await import('../../functions/store/table.ts');
    const item = ((await admin.get('/api/users')).json.items as Array<Record<string, unknown>>).find((u) => u.sub === rep.sub)!;
    await documentClient.send(new PutCommand({ TableName: tableName(), Item: { ...item, pk: 'T#cacheco#USERS', sk: rep.sub, role: 'service-agent' } }));
    expect(await roleIn(second, rep.client)).toBe('sales-representative');
    expect((await rep.client.get('/api/me')).json.role.id).toBe('sales-representative');

    // Any change of the directory through the app (here another user's name) moves it on.
    const other = await person(cloud, 'cacheco', 'marketing');
    const renamed = await admin.patch(`/api/users/${other.sub}`, { version: await userVersion(other.sub), fields: { name: 'Someone Else' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(await roleIn(second, rep.client)).toBe('service-agent');
    expect((await rep.client.get('/api/me')).json.role.id).toBe('service-agent');
  });

  it('a container started after the changes reads them; another tenant\'s changes leave a tenant\'s directory as it is', async () => {
    const rep = await person(cloud, 'cacheco', 'sales-representative');
    const otherAdmin = await cloud.userOf('otherco', ['administrator']);
    const stranger = await person(cloud, 'otherco', 'sales-representative');
    const third = await newContainer(cloud);
    expect(await roleIn(third, rep.client)).toBe('sales-representative');
    const changed = await otherAdmin.patch(`/api/users/${stranger.sub}`, { version: 1, fields: { role: 'marketing' } });
    expect(changed.status, changed.text).toBe(200);
    expect(await roleIn(third, stranger.client)).toBe('marketing');
    expect(await roleIn(third, rep.client)).toBe('sales-representative');
    expect((await third.request(rep.client, 'GET', '/api/users')).json.items.map((u: { sub: string }) => u.sub)).not.toContain(stranger.sub);
  });
});
