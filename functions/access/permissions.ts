/**
 * What a user may do, resolved once per request from the directory (not from the token alone,
 * so a role change or a deactivation counts at once; the directory is kept per container while
 * its version holds, directory/directory.ts): their role, their teams, and for each
 * record type the users whose records (owned, or assigned to them) they see. The domain gets it
 * as the Actor: reads and writes of records skip what `visibleUsers` leaves out
 * (record-scope.ts), so a record outside the caller's scope does not exist for them
 * (404), as another tenant's does not.
 */
import type { Action, Role, TypeAccess } from '../contracts/roles.ts';
import type { Actor } from './actor.ts';
import type { AuditActor } from '../audit/audit-log.ts';
import { RECORD_TYPE_INFOS } from '../contracts/record-types.ts';
import { roleOfGroups } from '../roles/built-in-roles.ts';
import { currentDirectory } from '../directory/directory.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';
import { processPermissions, type ProcessPermissions } from './process-access.ts';

/** The caller may not do this: 403 with the reason (and the fields, for read-only ones). */
export class ForbiddenError extends DomainError {
  readonly code = 'Forbidden';

  constructor(message: string, readonly fields: string[] = []) {
    super(message);
    this.name = 'ForbiddenError';
  }

  details(): ErrorDetails {
    return { issues: this.fields.map((path) => ({ path: `fields.${path}`, message: 'is read-only for your role' })) };
  }
}

export class UserDeactivatedError extends DomainError {
  readonly code = 'UserDeactivated';

  constructor() {
    super('your account has been deactivated');
    this.name = 'UserDeactivatedError';
  }
}

export interface Identity {
  tenant: string;
  sub: string;
  email?: string;
  /** The token's groups: the role of a user the directory does not know yet. */
  groups: string[];
  sourceIp?: string;
}

export interface Principal extends Actor, AuditActor {
  role: Role | undefined;
  teams: string[];
  visibleUsers: (typeKey: string) => ReadonlySet<string> | undefined;
  /** Which processes they may start, which instances they see (process-access.ts). */
  processes: ProcessPermissions;
}

const NOTHING: ReadonlySet<string> = new Set();

export async function principalOf(identity: Identity): Promise<Principal> {
  const directory = await currentDirectory(identity.tenant);
  const me = directory.users.find((user) => user.sub === identity.sub);
  if (me && !me.active) throw new UserDeactivatedError();
  const role = me?.role ? await directory.role(me.role) : me ? undefined : roleOfGroups(identity.groups);
  const teams = me?.teams ?? [];
  const mine = new Set(teams);
  const teammates = new Set([identity.sub, ...directory.users.filter((user) => user.teams.some((team) => mine.has(team))).map((user) => user.sub)]);
  const own = new Set([identity.sub]);
  // Computed once per type here, so a listing pays a Set lookup per record and no more.
  const users = new Map(
    RECORD_TYPE_INFOS.map((type) => {
      const access = role?.types[type.name];
      if (!access?.actions.includes('read')) return [type.key, NOTHING];
      return [type.key, access.scope === 'all' ? undefined : access.scope === 'team' ? teammates : own];
    }),
  );
  return {
    tenant: identity.tenant,
    sub: identity.sub,
    email: identity.email ?? me?.email,
    sourceIp: identity.sourceIp,
    role,
    teams,
    visibleUsers: (typeKey) => (users.has(typeKey) ? users.get(typeKey) : NOTHING),
    processes: processPermissions(role, identity.sub, teams, teammates),
  };
}

export function typeAccess(principal: Principal, typeName: string): TypeAccess | undefined {
  return principal.role?.types[typeName];
}

export const can = (principal: Principal, action: Action, typeName: string): boolean => typeAccess(principal, typeName)?.actions.includes(action) ?? false;

export function assertCan(principal: Principal, action: Action, typeName: string): void {
  if (!can(principal, action, typeName)) throw new ForbiddenError(`${roleName(principal)} may not ${action} ${typeName} records`);
}

export function assertAdminister(principal: Principal): void {
  if (!principal.role?.administer) throw new ForbiddenError(`${roleName(principal)} may not administer users, teams, roles, custom fields or the audit log`);
}

/** A process only a role that may start it starts (its `processes`, process-access.ts). */
export function assertMayStart(principal: Principal, process: string): void {
  if (!principal.processes.mayStart(process)) throw new ForbiddenError(`${roleName(principal)} may not start ${process}`);
}

/** Fields the role may read but not change are refused, each named. */
export function assertWritable(principal: Principal, typeName: string, fields: Iterable<string>): void {
  const readOnly = new Set(typeAccess(principal, typeName)?.readOnlyFields ?? []);
  const refused = [...fields].filter((field) => readOnly.has(field));
  if (refused.length > 0) throw new ForbiddenError(`${roleName(principal)} may read but not change ${refused.join(', ')} of ${typeName} records`, refused);
}

const roleName = (principal: Principal) => (principal.role ? `the role ${principal.role.name}` : 'a user without a role');
