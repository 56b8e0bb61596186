/**
 * The directory: the tenant's users as items (`T#<tenant>#USERS` / `<sub>`), read by every
 * request (permissions) and by writes that name users (owners, `user` fields). Kept apart from
 * users.ts, which administers them through the identity provider, so that what only reads the
 * directory does not load the Cognito client.
 *
 * Every request needs the caller's role, so the directory is kept per container (module scope,
 * as the table client is) with its version (directory-version.ts), which every change of
 * a user or a custom role moves on in its own transaction. A request reads that one item,
 * strongly consistent, and reuses what it holds while the number is the same: a role change or
 * a deactivation made through any container counts at the next request, as when every request
 * read every user.
 */
import type { Role } from '../contracts/roles.ts';
import type { User } from '../contracts/users.ts';
import { TenantItems } from '../tenant-items/tenant-items.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { directoryVersionBump, readDirectoryVersion } from '../tenant-items/directory-version.ts';
import { findRole } from '../roles/roles.ts';

export const users = new TenantItems<User>('user', ITEM_KINDS.users, (user) => user.sub, { alongEveryWrite: directoryVersionBump });

/** The directory as of one version: its users and the roles they hold. Shared by the requests of a container: not to be changed. */
export interface Directory {
  readonly version: number;
  readonly users: readonly User[];
  /** The role with `id` (built in, or custom as of this version). */
  role(id: string): Promise<Role | undefined>;
}

/** Tenants whose directory a container keeps; past it, the one used longest ago is dropped (300 users are ~100 KB). */
const KEPT_TENANTS = 200;
const kept = new Map<string, Promise<Directory>>();

/** The tenant's directory now: one GetItem of its version, and a read of every user only when that moved. */
export async function currentDirectory(tenant: string): Promise<Directory> {
  // The version is read before the users: a change landing in between makes the users newer
  // than the version they are kept under, so the next request reads them again; never older.
  const version = await readDirectoryVersion(tenant);
  const held = kept.get(tenant);
  if (held) {
    kept.delete(tenant);
    const directory = await held.catch(() => undefined);
    if (directory?.version === version) return keep(tenant, held);
  }
  return keep(tenant, loadDirectory(tenant, version));
}

function keep(tenant: string, directory: Promise<Directory>): Promise<Directory> {
  kept.delete(tenant);
  kept.set(tenant, directory);
  if (kept.size > KEPT_TENANTS) kept.delete(kept.keys().next().value!);
  // A failed read is not kept: the next request tries again.
  directory.catch(() => kept.get(tenant) === directory && kept.delete(tenant));
  return directory;
}

async function loadDirectory(tenant: string, version: number): Promise<Directory> {
  const list = await users.list(tenant);
  const roles = new Map<string, Promise<Role | undefined>>();
  return {
    version,
    users: list,
    role: (id) => {
      let role = roles.get(id);
      if (!role) {
        role = findRole(tenant, id);
        roles.set(id, role);
        role.catch(() => roles.delete(id));
      }
      return role;
    },
  };
}
