/** Who a notification goes to: a user or a team's members, as the directory has them now. */
import type { Task } from '../contracts/tasks.ts';
import { currentDirectory } from '../directory/directory.ts';

/** Who is told: a user, or every active member of a team. */
export type Audience = { user: string } | { team: string };

/** Who holds a task now: its assignee, else (unclaimed) its team; none for a task of neither. */
export const holderOf = (task: Pick<Task, 'assignee' | 'team'>): Audience | undefined => (task.assignee ? { user: task.assignee } : task.team ? { team: task.team } : undefined);

/** The users an audience is (only active ones: a deactivated user is told nothing). */
export async function recipientsOf(tenant: string, to: Audience): Promise<string[]> {
  const directory = await currentDirectory(tenant);
  const active = (sub: string | null | undefined) => (sub && directory.users.some((user) => user.sub === sub && user.active) ? [sub] : []);
  if ('user' in to) return active(to.user);
  return directory.users.filter((user) => user.active && user.teams.includes(to.team)).map((user) => user.sub);
}
