/**
 * What a process's human step needs before it offers its task, computed on business calendars:
 * who does it (a team, the sale's starter, a record's owner, or on escalation the team's
 * supervisor), when it is due (working hours or days of that team's calendar from the time the
 * state machine entered the step), when its reminder is due, and whether its timeout escalates.
 * Also the time a timer waits until (quality control, working days after fulfilment). The state
 * machine hands over its own clock's time (`at`), so a step run again computes the same.
 */
import { systemActor } from '../access/actor.ts';
import type { Assignee, ProcessSubject } from '../contracts/processes.ts';
import type { StepDue } from '../contracts/quick-sale.ts';
import { workingTimeOf } from '../calendars/calendars.ts';
import { currentDirectory } from '../directory/directory.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import { findRecord } from '../records/repository.ts';
import { teams } from '../teams/teams.ts';

/** Who a step is for: a team (null: whoever started the process), or the owner of a record (the client's account owner). */
export type StepWho = { team: string | null } | { ownerOf: ProcessSubject };

export interface StepPlanRequest {
  tenant: string;
  startedBy: string;
  /** When the state machine entered the step (ISO), on its clock. */
  at: string;
  who: StepWho;
  due: StepDue;
  /** A reminder when this share of the working time to `due` has passed; 0: none. */
  reminderShare: number;
  /** `supervisor`: the step's timeout escalates; `none`: it waits on. */
  escalation: 'supervisor' | 'none';
}

export interface StepPlan {
  assignee: Assignee;
  /** The team whose calendar counts the time (null: the tenant's). */
  team: string | null;
  due: string;
  remindAt: string | null;
  /** Whether the step's timeout (at `due`) escalates it. */
  escalates: boolean;
  /** The plan of a step escalated to a supervisor: its task says so (they are told it escalated to them). */
  escalation?: true;
}

export async function planStep(request: StepPlanRequest): Promise<StepPlan> {
  const { assignee, team } = await assigneeOf(request);
  return timed(request, assignee, team);
}

/**
 * The plan after a step passed its due time: to the supervisor when the configuration escalates
 * so and there is one (of the step's team; for a person's own step, such as the owner's
 * follow-up, of the first of their teams that has one); otherwise it stays with whom it was. Due
 * again after the step's time, from now.
 */
export async function escalatedPlan(request: StepPlanRequest): Promise<StepPlan> {
  const { assignee, team } = await assigneeOf(request);
  const supervisor = request.escalation === 'supervisor' ? await supervisorOf(request.tenant, assignee, team) : undefined;
  if (!supervisor) return timed(request, assignee, team);
  return { ...(await timed(request, { user: supervisor }, team)), escalation: true };
}

/** Whom a late step of `team`, or of the user it is assigned to, escalates to: none when nobody supervises it (or only the holder themself). */
async function supervisorOf(tenant: string, assignee: Assignee, team: string | null): Promise<string | undefined> {
  if (team) return (await teams.find(tenant, team))?.supervisor ?? undefined;
  if (!('user' in assignee)) return undefined;
  const holder = (await currentDirectory(tenant)).users.find((user) => user.sub === assignee.user);
  for (const id of holder?.teams ?? []) {
    const supervisor = (await teams.find(tenant, id))?.supervisor;
    if (supervisor && supervisor !== assignee.user) return supervisor;
  }
  return undefined;
}

/** The end of the working hours of the `days`th working day after `at`, on the team's calendar (the tenant's for none). */
export async function workingDaysAfter(tenant: string, team: string | null, at: string, days: number): Promise<string> {
  return (await workingTimeOf(tenant, team ?? undefined)).after(new Date(at), { amount: days, unit: 'days' }).toISOString();
}

async function timed(request: StepPlanRequest, assignee: Assignee, team: string | null): Promise<StepPlan> {
  const working = await workingTimeOf(request.tenant, team ?? undefined);
  const start = new Date(request.at);
  const due = working.after(start, request.due);
  const remindAt = request.reminderShare > 0 ? working.shareElapsed(start, due, request.reminderShare).toISOString() : null;
  return { assignee, team, due: due.toISOString(), remindAt, escalates: request.escalation !== 'none' };
}

async function assigneeOf({ tenant, startedBy, who }: StepPlanRequest): Promise<{ assignee: Assignee; team: string | null }> {
  if ('team' in who) return who.team ? { assignee: { team: who.team }, team: who.team } : { assignee: { user: startedBy }, team: null };
  const type = recordTypeNamed(who.ownerOf.type);
  const record = type && (await findRecord(systemActor(tenant), type.key, who.ownerOf.id));
  // A client gone meanwhile: the sale's starter follows up instead.
  const owner = record && !record.deletedAt && typeof record.owner === 'string' ? record.owner : startedBy;
  return { assignee: { user: owner }, team: null };
}
