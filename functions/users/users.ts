/**
 * The tenant's users as the app knows them (the directory): role, teams, active. The identity
 * provider holds the account (e-mail, password, tenant); this item holds what the app decides,
 * and it is what every request's permissions are read from, so a role change or a deactivation
 * counts at the next request, not when the user's token expires.
 */
import type { InviteUserBody, PatchUserBody, User } from '../contracts/users.ts';
import { recordAuditEvent, type AuditActor } from '../audit/audit-log.ts';
import { TenantItemConflictError, TenantItemExistsError } from '../tenant-items/tenant-items.ts';
import { currentDirectory, users } from '../directory/directory.ts';

export { users };
import { FieldValidationError, type FieldIssue } from '../errors/field-validation-error.ts';
import { findRole } from '../roles/roles.ts';
import { builtInRole, roleOfGroups } from '../roles/built-in-roles.ts';
import { teams } from '../teams/teams.ts';
import { createAccount, emailHasAccount, InvitationAcceptedError, moveToGroup, resendInvitation as resendAccountInvitation, resetAccountPassword, setAccountEnabled } from './identity-admin.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';

/** An administrator may not lock themself out: deactivate themself or change their own role. */
export class SelfLockoutError extends DomainError {
  readonly code = 'SelfLockout';

  constructor(what: string) {
    super(`you cannot ${what} yourself; ask another administrator`);
    this.name = 'SelfLockoutError';
  }
}


/** The directory has a user with this e-mail: an invitation of it is refused, and changes nothing. */
export class UserExistsError extends DomainError {
  readonly code = 'AlreadyExists';

  constructor(readonly email: string) {
    super(`a user with the e-mail ${email} exists already`);
    this.name = 'UserExistsError';
  }

  details(): ErrorDetails {
    return emailHasAccount(this.email);
  }
}

/**
 * A refused invitation changes nothing. So the directory is asked first, and then the identity
 * provider is only asked for what cannot change a user of the tenant: the account is created
 * (an account of this tenant that exists already, from an invitation that failed after it, is
 * taken as it is). The directory entry is written next, conditional on its absence, so of two
 * invitations at once one wins; only the winner adds the role's group.
 */
export async function inviteUser(actor: AuditActor, body: InviteUserBody): Promise<User> {
  await assertAssignable(actor.tenant, { role: body.role, teams: body.teams });
  if ((await currentDirectory(actor.tenant)).users.some((user) => sameEmail(user.email, body.email))) throw new UserExistsError(body.email);
  const sub = await createAccount(actor.tenant, body.email, body.name);
  const user: User = { sub, email: body.email, name: body.name, role: body.role, teams: body.teams, active: true, invited: true, createdAt: new Date().toISOString(), version: 1 };
  try {
    await users.create(actor, user, { action: 'user.invite', target: `user:${sub}`, details: { email: body.email, role: body.role, teams: body.teams } });
  } catch (err) {
    if (err instanceof TenantItemExistsError) throw new UserExistsError(body.email);
    throw err;
  }
  // The directory holds the role; the group mirrors a built-in one into tokens. If this step
  // fails, the role still counts (every request reads it from the directory).
  await moveToGroup(sub, undefined, builtInRole(body.role)?.id);
  return user;
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export async function changeUser(actor: AuditActor, sub: string, { version, fields }: PatchUserBody): Promise<User> {
  const current = await users.atVersion(actor.tenant, sub, version);
  if (sub === actor.sub && fields.active === false) throw new SelfLockoutError('deactivate');
  if (sub === actor.sub && fields.role !== undefined && fields.role !== current.role) throw new SelfLockoutError('change the role of');
  await assertAssignable(actor.tenant, fields);
  // The identity provider first (idempotent), then the directory, conditional on the version:
  // a retry after a failed write repeats the first harmlessly.
  if (fields.role !== undefined) await moveToGroup(sub, builtInRole(current.role ?? '')?.id, builtInRole(fields.role)?.id);
  if (fields.active !== undefined && fields.active !== current.active) await setAccountEnabled(sub, fields.active);
  const next: User = { ...current, ...fields, version: version + 1 };
  const action = fields.active === false ? 'user.deactivate' : fields.active === true && !current.active ? 'user.activate' : 'user.change';
  return users.replace(actor, version, next, { action, target: `user:${sub}`, details: changesOf(current, fields) });
}

/** The invitation once more, with a new temporary password, to a user who has not signed in yet. */
export async function resendInvitation(actor: AuditActor, sub: string): Promise<void> {
  const user = await users.get(actor.tenant, sub);
  if (!user.invited) throw new InvitationAcceptedError(user.email);
  await resendAccountInvitation(user.email);
  await recordAuditEvent(actor, { action: 'user.resend-invitation', target: `user:${sub}`, details: { email: user.email } });
}

export async function resetPassword(actor: AuditActor, sub: string): Promise<void> {
  await users.get(actor.tenant, sub);
  await resetAccountPassword(sub);
  await recordAuditEvent(actor, { action: 'user.reset-password', target: `user:${sub}` });
}

/**
 * A user signing in who is not in the directory yet (created outside the app: the demo
 * administrator, a CLI) is added with the role of their groups (asked only then).
 */
export async function registerSignIn(actor: AuditActor & { email: string }, groups: () => Promise<string[]>): Promise<void> {
  const known = await users.find(actor.tenant, actor.sub);
  if (known?.invited) return acceptInvitation(actor, known);
  if (known) return;
  const user: User = { sub: actor.sub, email: actor.email, role: roleOfGroups(await groups())?.id ?? null, teams: [], active: true, createdAt: new Date().toISOString(), version: 1 };
  try {
    await users.create(actor, user);
  } catch (err) {
    // Two sign-ins at once: the other one registered them.
    if (!(err instanceof TenantItemExistsError)) throw err;
  }
}

/**
 * An invited user's first sign-in: no longer invited. Only this first one writes the directory
 * (every write of it makes each container read the users again). An administrator's change at
 * the same moment is taken in and this one tried again on it; a failure fails the sign-in, as
 * any trigger's does, and the next sign-in tries again.
 */
async function acceptInvitation(actor: AuditActor, invited: User): Promise<void> {
  let user = invited;
  for (let attempt = 1; ; attempt++) {
    const { invited: _, ...accepted } = user;
    try {
      await users.replace(actor, user.version, { ...accepted, version: user.version + 1 }, { action: 'user.accept-invitation', target: `user:${user.sub}` });
      return;
    } catch (err) {
      if (!(err instanceof TenantItemConflictError) || attempt >= 3) throw err;
      user = err.current as User;
      if (!user.invited) return;
    }
  }
}

/** A role and teams named must exist in the tenant. */
async function assertAssignable(tenant: string, fields: { role?: string; teams?: string[] }): Promise<void> {
  const issues: FieldIssue[] = [];
  if (fields.role !== undefined && !(await findRole(tenant, fields.role))) issues.push({ path: 'role', message: 'is no role of this tenant', value: fields.role });
  if (fields.teams?.length) {
    const known = new Set((await teams.list(tenant)).map((team) => team.id));
    fields.teams.forEach((id, i) => known.has(id) || issues.push({ path: `teams.${i}`, message: 'is no team of this tenant', value: id }));
  }
  if (issues.length) throw new FieldValidationError(issues);
}

function changesOf(current: User, fields: PatchUserBody['fields']): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, { old: current[field as keyof User] ?? null, new: value }]));
}
