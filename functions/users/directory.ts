/**
 * The directory: the tenant's users as items (`T#<tenant>#USERS` / `<sub>`), read by every
 * request (permissions) and by writes that name users (owners, `user` fields). Kept apart from
 * users.ts, which administers them through the identity provider, so that what only reads the
 * directory does not load the Cognito client.
 */
import type { User } from '../contracts/users.ts';
import { TenantItems } from '../access/tenant-items.ts';
import { FieldValidationError } from '../records/errors.ts';

export const users = new TenantItems<User>('user', (user) => user.sub);

/** Each sub named must be an active user of the tenant (an owner, a `user` field's value). */
export async function assertActiveUsers(tenant: string, named: Array<{ path: string; sub: string }>): Promise<void> {
  if (named.length === 0) return;
  const active = new Set((await users.list(tenant)).filter((user) => user.active).map((user) => user.sub));
  const issues = named.filter(({ sub }) => !active.has(sub)).map(({ path, sub }) => ({ path, message: 'is no active user of this tenant', value: sub }));
  if (issues.length) throw new FieldValidationError(issues);
}
