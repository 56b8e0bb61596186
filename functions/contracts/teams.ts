/** Teams of a tenant: a name, a supervisor (a user, whom escalations reach); members are users naming the team. */
import { z } from 'zod';
import { Name } from './text.ts';

export const Team = z.object({
  id: z.string(),
  name: z.string(),
  supervisor: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Team = z.infer<typeof Team>;

const TeamName = Name(100);
const Supervisor = z.string().min(1).max(64).nullable();

export const CreateTeamBody = z.strictObject({ name: TeamName, supervisor: Supervisor.default(null) });
export type CreateTeamBody = z.infer<typeof CreateTeamBody>;

export const PatchTeamBody = z.strictObject({
  version: z.number().int().positive(),
  fields: z.strictObject({ name: TeamName, supervisor: Supervisor }).partial(),
});
export type PatchTeamBody = z.infer<typeof PatchTeamBody>;

export const TeamList = z.object({ items: z.array(Team.extend({ members: z.array(z.string()) })) });
export type TeamList = z.infer<typeof TeamList>;
