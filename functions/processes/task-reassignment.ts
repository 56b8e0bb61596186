/**
 * A supervisor (or an administrator) gives tasks to someone else, many at once: each task is
 * reassigned on its own (tasks/tasks.ts `reassignTask`, conditional on its version), and the
 * instance's current assignee follows it while the task's step is the instance's current one.
 * One result per task, in order: done with the task, or refused with the error's code and why.
 */
import type { Principal } from '../access/permissions.ts';
import type { Assignee } from '../contracts/processes.ts';
import type { ReassignResult, Task } from '../contracts/tasks.ts';
import { DomainError } from '../errors/domain-error.ts';
import { inParallel } from '../in-parallel.ts';
import { assertAssignable, reassignTask, TaskNotOpenError } from '../tasks/tasks.ts';
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
