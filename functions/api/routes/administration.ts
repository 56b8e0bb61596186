/**
 * The tenant's administration: users (invite, role, teams, deactivate, reset password), teams,
 * roles (built-in ones read-only, custom ones defined here), the audit log and the tenant's name. Every change is
 * conditional on the version the administrator saw and audited in the same transaction.
 */
import { InviteUserBody, PatchUserBody, type UserList } from '../../contracts/users.ts';
import { CreateTeamBody, PatchTeamBody, type TeamList } from '../../contracts/teams.ts';
import { CreateRoleBody, PatchRoleBody, type RoleList } from '../../contracts/roles.ts';
import { AuditQuery, type AuditList } from '../../contracts/audit.ts';
import { changeUser, inviteUser, resendInvitation, resetPassword } from '../../users/users.ts';
import { changeTeam, createTeam, deleteTeam, listTeams } from '../../teams/teams.ts';
import { currentDirectory } from '../../directory/directory.ts';
import { changeRole, createRole, deleteRole, listRoles } from '../../roles/roles.ts';
import { auditEntries } from '../../audit/audit-log.ts';
import { ULID } from '../../contracts/values.ts';
import { HttpError, json, noContent, readBody, readQuery } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { access } from '../route-access.ts';
import { VersionQuery, underFields } from './records.ts';
import { tenantRoutes } from './tenant.ts';

const SUB = /^[A-Za-z0-9-]{1,64}$/;

/** A path's `{sub}`/`{id}` that cannot name anything is a 404, before any body is read. */
function param(request: ApiRequest, name: 'sub' | 'id', pattern: RegExp): string {
  const value = request.params[name];
  if (!pattern.test(value)) throw new HttpError(404, 'NotFound', `no ${name === 'sub' ? 'user' : 'such item'} ${value}`);
  return value;
}

export const userRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/users',
    // Everyone picks users (owners, `user` fields, supervisors): the directory is the tenant's own.
    access: access.signedIn('the tenant\'s directory: names, e-mails, roles and teams, no secrets'),
    handle: async ({ principal }) => json(200, { items: [...(await currentDirectory(principal.tenant)).users] } satisfies UserList),
  },
  {
    method: 'POST',
    path: '/api/users',
    access: access.administer,
    handle: async (request) => {
      const user = await inviteUser(request.principal, readBody(request.event, InviteUserBody));
      return json(201, user, { location: `/api/users/${user.sub}` });
    },
  },
  {
    method: 'PATCH',
    path: '/api/users/{sub}',
    access: access.administer,
    handle: async (request) => {
      const sub = param(request, 'sub', SUB);
      return json(200, await underFields(changeUser(request.principal, sub, readBody(request.event, PatchUserBody))));
    },
  },
  userAction('resend-invitation', resendInvitation),
  userAction('reset-password', resetPassword),
];

/** `POST /api/users/{sub}/<action>`: an administrator's action on one user, answered 204. */
function userAction(action: string, run: (actor: ApiRequest['principal'], sub: string) => Promise<void>): Route {
  return {
    method: 'POST',
    path: `/api/users/{sub}/${action}`,
    access: access.administer,
    handle: async (request) => {
      await run(request.principal, param(request, 'sub', SUB));
      return noContent();
    },
  };
}

export const teamRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/teams',
    access: access.signedIn('team names, supervisors and members, as the directory shows them'),
    handle: async ({ principal }) => json(200, { items: await listTeams(principal.tenant) } satisfies TeamList),
  },
  {
    method: 'POST',
    path: '/api/teams',
    access: access.administer,
    handle: async (request) => {
      const team = await createTeam(request.principal, readBody(request.event, CreateTeamBody));
      return json(201, team, { location: `/api/teams/${team.id}` });
    },
  },
  {
    method: 'PATCH',
    path: '/api/teams/{id}',
    access: access.administer,
    handle: async (request) => {
      const id = param(request, 'id', ULID);
      return json(200, await changeTeam(request.principal, id, readBody(request.event, PatchTeamBody)));
    },
  },
  {
    method: 'DELETE',
    path: '/api/teams/{id}',
    access: access.administer,
    handle: async (request) => {
      const id = param(request, 'id', ULID);
      const { version } = readQuery(request.event, VersionQuery);
      await deleteTeam(request.principal, id, version);
      return noContent();
    },
  },
];

const ROLE_ID = /^[A-Za-z0-9-]{1,64}$/;

export const roleRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/roles',
    access: access.administer,
    handle: async ({ principal }) => json(200, { items: await listRoles(principal.tenant) } satisfies RoleList),
  },
  {
    method: 'POST',
    path: '/api/roles',
    access: access.administer,
    handle: async (request) => {
      const role = await createRole(request.principal, readBody(request.event, CreateRoleBody));
      return json(201, role, { location: `/api/roles/${role.id}` });
    },
  },
  {
    method: 'PATCH',
    path: '/api/roles/{id}',
    access: access.administer,
    handle: async (request) => json(200, await changeRole(request.principal, param(request, 'id', ROLE_ID), readBody(request.event, PatchRoleBody))),
  },
  {
    method: 'DELETE',
    path: '/api/roles/{id}',
    access: access.administer,
    handle: async (request) => {
      const id = param(request, 'id', ROLE_ID);
      const { version } = readQuery(request.event, VersionQuery);
      const holders = (await currentDirectory(request.principal.tenant)).users.filter((user) => user.role === id).length;
      await deleteRole(request.principal, id, version, holders);
      return noContent();
    },
  },
];

export const auditRoute: Route = {
  method: 'GET',
  path: '/api/audit',
  access: access.administer,
  handle: async (request) => {
    const query = readQuery(request.event, AuditQuery);
    return json(200, (await auditEntries(request.principal.tenant, { before: query.before, limit: query.limit ?? 100 })) satisfies AuditList);
  },
};

export const administrationRoutes: Route[] = [...userRoutes, ...teamRoutes, ...roleRoutes, auditRoute, ...tenantRoutes];
