/**
 * Who may start which process and see which of its instances: the caller's role says it per
 * process (`processes`, contracts/roles.ts). An instance is held by its starter and by whoever a
 * step of it was offered to (a user, or a team: its `participants`), as a record is held by its
 * owner and assignees (record-scope.ts); the role's scope names whose instances the caller sees.
 * Always on top of the record scope: an instance whose subject record the caller does not see
 * does not exist for them (processes/instances.ts), so no answer names a record they may not see.
 */
import type { Assignee } from '../contracts/processes.ts';
import type { ProcessAccess, Role } from '../contracts/roles.ts';

/** What an instance is held by. */
export interface InstanceHolders {
  process: string;
  startedBy: string;
  /** `user:<sub>` or `team:<id>`, each a step was offered to (processes/instances.ts). */
  participants: readonly string[];
}

export interface ProcessPermissions {
  mayStart(process: string): boolean;
  /** Whether the role sees any instance of the process (its scope is not `none`). */
  seesAny(process: string): boolean;
  /** Whether its scope of the process is `all` (the record scope aside). */
  seesAll(process: string): boolean;
  seesInstance(instance: InstanceHolders): boolean;
}

/** How an instance names one a step was offered to. */
export const participantOf = (assignee: Assignee): string => ('user' in assignee ? `user:${assignee.user}` : `team:${assignee.team}`);

/**
 * The permissions of a user with `role`, in `teams`, sharing a team with `teammates` (themselves
 * included). `own`: instances they started or were offered a step of (to them or one of their
 * teams); `team`: the same for any of their teammates; `all`; `none`.
 */
export function processPermissions(role: Role | undefined, sub: string, teams: readonly string[], teammates: ReadonlySet<string>): ProcessPermissions {
  // A custom role stored before processes were part of roles names none: it neither starts nor sees one.
  const access = (process: string) => (role?.processes as Partial<Record<string, ProcessAccess>> | undefined)?.[process];
  const own: ReadonlySet<string> = new Set([sub]);
  const myTeams = new Set(teams);
  const heldBy = (users: ReadonlySet<string>, instance: InstanceHolders) =>
    users.has(instance.startedBy) || instance.participants.some((held) => (held.startsWith('user:') ? users.has(held.slice(5)) : myTeams.has(held.slice(5))));
  return {
    mayStart: (process) => access(process)?.start ?? false,
    seesAny: (process) => (access(process)?.see ?? 'none') !== 'none',
    seesAll: (process) => access(process)?.see === 'all',
    seesInstance: (instance) => {
      const scope = access(instance.process)?.see ?? 'none';
      return scope === 'all' || (scope !== 'none' && heldBy(scope === 'own' ? own : teammates, instance));
    },
  };
}
