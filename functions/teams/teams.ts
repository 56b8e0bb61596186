/**
 * Teams of a tenant (`T#<tenant>#TEAMS` / `<id>`). Membership lives on the user (`teams`), so
 * one directory read answers both "whose teams am I in" and "who is in my team"; a team item
 * holds its name and its supervisor, the user escalations go to.
 */
import { ulid } from 'ulid';
import type { CreateTeamBody, PatchTeamBody, Team } from '../contracts/teams.ts';
import type { AuditActor } from '../audit/audit-log.ts';
import { TenantItems } from '../access/tenant-items.ts';
import { FieldValidationError } from '../records/errors.ts';

export class TeamNotEmptyError extends Error {
  constructor(readonly id: string, readonly members: number) {
    super(`team ${id} has ${members} member(s); move them to another team first`);
    this.name = 'TeamNotEmptyError';
  }
}

export const teams = new TenantItems<Team>('team', (team) => team.id);

/**
 * `isUser(sub)` says whether the supervisor named is a user of the tenant (users know teams,
 * so the check is passed in rather than imported).
 */
export async function createTeam(actor: AuditActor, body: CreateTeamBody, isUser: (sub: string) => Promise<boolean>): Promise<Team> {
  await assertSupervisor(body.supervisor, isUser, 'supervisor');
  const at = new Date().toISOString();
  const team: Team = { id: ulid(), name: body.name, supervisor: body.supervisor, version: 1, createdAt: at, updatedAt: at };
  return teams.create(actor, team, { action: 'team.create', target: `team:${team.id}`, details: { name: team.name, supervisor: team.supervisor } });
}

export async function changeTeam(actor: AuditActor, id: string, { version, fields }: PatchTeamBody, isUser: (sub: string) => Promise<boolean>): Promise<Team> {
  const current = await teams.atVersion(actor.tenant, id, version);
  if (fields.supervisor !== undefined) await assertSupervisor(fields.supervisor, isUser, 'fields.supervisor');
  const next: Team = { ...current, ...fields, version: version + 1, updatedAt: new Date().toISOString() };
  return teams.replace(actor, version, next, { action: 'team.change', target: `team:${id}`, details: fields });
}

export async function deleteTeam(actor: AuditActor, id: string, version: number, members: number): Promise<void> {
  await teams.atVersion(actor.tenant, id, version);
  if (members > 0) throw new TeamNotEmptyError(id, members);
  await teams.remove(actor, id, version, { action: 'team.delete', target: `team:${id}` });
}

async function assertSupervisor(sub: string | null, isUser: (sub: string) => Promise<boolean>, path: string): Promise<void> {
  if (sub !== null && !(await isUser(sub))) throw new FieldValidationError([{ path, message: 'is no user of this tenant', value: sub }]);
}
