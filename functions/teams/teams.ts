/**
 * Teams of a tenant (`T#<tenant>#TEAMS` / `<id>`). Membership lives on the user (`teams`), so
 * one directory read answers both "whose teams am I in" and "who is in my team"; a team item
 * holds its name and its supervisor, the user escalations go to.
 */
import { ulid } from 'ulid';
import type { CreateTeamBody, PatchTeamBody, Team, TeamList } from '../contracts/teams.ts';
import type { AuditActor } from '../audit/audit-log.ts';
import { TenantItems } from '../tenant-items/tenant-items.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { currentDirectory } from '../directory/directory.ts';
import { DomainError } from '../errors/domain-error.ts';

export class TeamNotEmptyError extends DomainError {
  readonly code = 'InUse';

  constructor(readonly id: string, readonly members: number) {
    super(`team ${id} has ${members} member(s); move them to another team first`);
    this.name = 'TeamNotEmptyError';
  }
}

export const teams = new TenantItems<Team>('team', ITEM_KINDS.teams, (team) => team.id);

/** The tenant's teams, each with its members (the users naming it). */
export async function listTeams(tenant: string): Promise<TeamList['items']> {
  const [all, directory] = await Promise.all([teams.list(tenant), currentDirectory(tenant)]);
  return all.map((team) => ({ ...team, members: directory.users.filter((user) => user.teams.includes(team.id)).map((user) => user.sub) }));
}

export async function createTeam(actor: AuditActor, body: CreateTeamBody): Promise<Team> {
  await assertSupervisor(actor.tenant, body.supervisor, 'supervisor');
  const at = new Date().toISOString();
  const team: Team = { id: ulid(), name: body.name, supervisor: body.supervisor, version: 1, createdAt: at, updatedAt: at };
  return teams.create(actor, team, { action: 'team.create', target: `team:${team.id}`, details: { name: team.name, supervisor: team.supervisor } });
}

export async function changeTeam(actor: AuditActor, id: string, { version, fields }: PatchTeamBody): Promise<Team> {
  const current = await teams.atVersion(actor.tenant, id, version);
  if (fields.supervisor !== undefined) await assertSupervisor(actor.tenant, fields.supervisor, 'fields.supervisor');
  const next: Team = { ...current, ...fields, version: version + 1, updatedAt: new Date().toISOString() };
  return teams.replace(actor, version, next, { action: 'team.change', target: `team:${id}`, details: fields });
}

/** A team with members is not deleted: they would lose their teammates' records unseen. */
export async function deleteTeam(actor: AuditActor, id: string, version: number): Promise<void> {
  await teams.atVersion(actor.tenant, id, version);
  const members = (await currentDirectory(actor.tenant)).users.filter((user) => user.teams.includes(id)).length;
  if (members > 0) throw new TeamNotEmptyError(id, members);
  await teams.remove(actor, id, version, { action: 'team.delete', target: `team:${id}` });
}

async function assertSupervisor(tenant: string, sub: string | null, path: string): Promise<void> {
  if (sub !== null && !(await currentDirectory(tenant)).users.some((user) => user.sub === sub)) throw new FieldValidationError([{ path, message: 'is no user of this tenant', value: sub }]);
}
