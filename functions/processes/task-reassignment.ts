/**
 * Who holds a task, and the instance with it: a supervisor (or an administrator) gives tasks to
 * someone else, many at once, each reassigned on its own (tasks/tasks.ts `reassignTask`,
 * conditional on its version), one result per task, in order: done with the task, or refused
 * with the error's code and why; a member claims a team's task, or releases it to the team. The
 * instance's current assignee follows the task while the task's step is the instance's current
 * one (the Processes grid, the card and the instance page show who has it, and hear of it).
 */
import type { Principal } from '../access/permissions.ts';
import type { Assignee } from '../contracts/processes.ts';
import type { ReassignResult, Task } from '../contracts/tasks.ts';
import { DomainError } from '../errors/domain-error.ts';
import { inParallel } from '../in-parallel.ts';
import { assertAssignable, claimTask, reassignTask, releaseTask, TaskNotOpenError } from '../tasks/tasks.ts';
import { basicsOf, readInstanceUnscoped, writeInstance } from './instances.ts';

/** Tasks reassigned at once: a few table requests in flight, not a hundred. */
const CONCURRENCY = 8;

export async function reassignTasks(principal: Principal, ids: readonly string[], to: Assignee): Promise<ReassignResult[]> {
  await assertAssignable(principal.tenant, to);
  const results: ReassignResult[] = new Array(ids.length);
  await inParallel(
    ids.map((id, index) => ({ id, index })),
    CONCURRENCY,
    async ({ id, index }) => {
      try {
        const { task, changed } = await reassignTask(principal, id, to);
        if (changed) await instanceHeldBy(principal.tenant, task, to);
        results[index] = { id, result: 'done', task };
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        results[index] = { id, result: 'refused', code: err.code, reason: err.message, ...(err instanceof TaskNotOpenError ? { task: err.task } : {}) };
      }
    },
  );
  return results;
}

/** The instance's current assignee follows its task, while the task's step is its current one. */
async function instanceHeldBy(tenant: string, task: Task, to: Assignee): Promise<void> {
  const instance = await readInstanceUnscoped(tenant, task.instance);
  if (instance?.status === 'running' && instance.step === task.step) await writeInstance(basicsOf(tenant, instance), { assignee: to });
}

/** Claims a team's task for the caller: the instance is theirs while at its step. */
export async function claimTaskOfInstance(principal: Principal, id: string): Promise<Task> {
  const task = await claimTask(principal, id);
  await instanceHeldBy(principal.tenant, task, { user: principal.sub });
  return task;
}

/** Gives a claimed task back to its team: the instance is the team's again while at its step. */
export async function releaseTaskOfInstance(principal: Principal, id: string): Promise<Task> {
  const task = await releaseTask(principal, id);
  if (task.team) await instanceHeldBy(principal.tenant, task, { team: task.team });
  return task;
}
