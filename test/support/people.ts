/**
 * The people of a tenant for access tests: users signed in with a role (their Cognito group,
 * which their first sign-in puts in the directory) and put in teams by the tenant's administrator.
 */
import { expect } from 'vitest';
import type { UserGroup } from '../../infra/app-resources.ts';
import type { ApiClient, TestCloud } from './cloud.ts';

export interface Person {
  client: ApiClient;
  sub: string;
}

export async function person(cloud: TestCloud, tenant: string, role: UserGroup | undefined, admin?: ApiClient, teams: string[] = []): Promise<Person> {
  const client = await cloud.userOf(tenant, role ? [role] : []);
  const sub = (await client.get('/api/me')).json.sub as string;
  if (admin && teams.length) {
    const joined = await admin.patch(`/api/users/${sub}`, { version: 1, fields: { teams } });
    expect(joined.status, joined.text).toBe(200);
  }
  return { client, sub };
}

export async function team(admin: ApiClient, name: string): Promise<string> {
  const created = await admin.post('/api/teams', { name, supervisor: null });
  expect(created.status, created.text).toBe(201);
  return created.json.id;
}

/** A record created by the administrator and handed to `owner`. */
export async function ownedBy(admin: ApiClient, plural: string, fields: Record<string, unknown>, owner: string): Promise<{ id: string; version: number }> {
  const created = await admin.post(`/api/${plural}`, fields);
  expect(created.status, created.text).toBe(201);
  const handed = await admin.patch(`/api/${plural}/${created.json.id}/owner`, { version: created.json.version, owner });
  expect(handed.status, handed.text).toBe(200);
  return { id: handed.json.id, version: handed.json.version };
}

/** A custom role that may do everything to every record type, its own records only: the narrowest scope with every route open. */
export const OWN_EVERYTHING = {
  name: 'Own everything',
  administer: false,
  types: Object.fromEntries(['company', 'contact', 'lead', 'deal', 'product', 'activity'].map((type) => [type, { actions: ['create', 'read', 'update', 'delete', 'export', 'import'], scope: 'own', readOnlyFields: [] }])),
  processes: { 'quick-sale': { start: true, see: 'own' } },
};

/** A user of the tenant given a role the administrator defined (`role`: the custom role's body). */
export async function withCustomRole(cloud: TestCloud, tenant: string, admin: ApiClient, role: Record<string, unknown>): Promise<Person> {
  const created = await admin.post('/api/roles', role);
  expect(created.status, created.text).toBe(201);
  const someone = await person(cloud, tenant, undefined);
  const given = await admin.patch(`/api/users/${someone.sub}`, { version: 1, fields: { role: created.json.id } });
  expect(given.status, given.text).toBe(200);
  return someone;
}
