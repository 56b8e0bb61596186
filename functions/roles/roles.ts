/**
 * A tenant's roles: the five built in (read-only, from code) and the custom ones its
 * administrators define (items `T#<tenant>#ROLES` / `<id>`). A role held by a user cannot be
 * deleted: those users would be left with nothing they may do, silently.
 */
import { ulid } from 'ulid';
import type { CreateRoleBody, PatchRoleBody, Role } from '../contracts/roles.ts';
import type { AuditActor } from '../audit/audit-log.ts';
import { TenantItems } from '../tenant-items/tenant-items.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { directoryVersionBump } from '../tenant-items/directory-version.ts';
import { BUILT_IN_ROLES, builtInRole } from './built-in-roles.ts';
import { DomainError } from '../errors/domain-error.ts';

export class BuiltInRoleError extends DomainError {
  readonly code = 'BuiltInRole';

  constructor(readonly id: string) {
    super(`${id} is a built-in role; it cannot be changed or deleted (define a custom role instead)`);
    this.name = 'BuiltInRoleError';
  }
}

export class RoleInUseError extends DomainError {
  readonly code = 'InUse';

  constructor(readonly id: string, readonly users: number) {
    super(`role ${id} is held by ${users} user(s); give them another role first`);
    this.name = 'RoleInUseError';
  }
}

/** A custom role's change moves the directory's version on: containers holding the role read it again (directory/directory.ts). */
export const customRoles = new TenantItems<Role & { version: number }>('role', ITEM_KINDS.roles, (role) => role.id, { alongEveryWrite: directoryVersionBump });

export async function listRoles(tenant: string): Promise<Role[]> {
  return [...BUILT_IN_ROLES, ...(await customRoles.list(tenant))];
}

/** The role with `id` in the tenant, built in or custom. */
export async function findRole(tenant: string, id: string): Promise<Role | undefined> {
  return builtInRole(id) ?? (await customRoles.find(tenant, id));
}

export async function createRole(actor: AuditActor, body: CreateRoleBody): Promise<Role> {
  const at = new Date().toISOString();
  const role = { id: ulid(), ...body, builtIn: false, version: 1, updatedAt: at, updatedBy: actor.sub };
  return customRoles.create(actor, role, { action: 'role.create', target: `role:${role.id}`, details: { name: role.name } });
}

export async function changeRole(actor: AuditActor, id: string, { version, fields }: PatchRoleBody): Promise<Role> {
  if (builtInRole(id)) throw new BuiltInRoleError(id);
  const current = await customRoles.atVersion(actor.tenant, id, version);
  const next = { ...current, ...fields, version: version + 1, updatedAt: new Date().toISOString(), updatedBy: actor.sub };
  return customRoles.replace(actor, version, next, { action: 'role.change', target: `role:${id}`, details: { changed: Object.keys(fields) } });
}

export async function deleteRole(actor: AuditActor, id: string, version: number, holders: number): Promise<void> {
  if (builtInRole(id)) throw new BuiltInRoleError(id);
  await customRoles.atVersion(actor.tenant, id, version);
  if (holders > 0) throw new RoleInUseError(id, holders);
  await customRoles.remove(actor, id, version, { action: 'role.delete', target: `role:${id}` });
}
