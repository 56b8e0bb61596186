/**
 * The monitor's view of the processes (`GET /api/processes`): each process the caller's role
 * starts or sees, with its live version, that version's diagram, where its running instances are
 * (per version and step, running and overdue) and how many failed. A count is of the instances the
 * caller could open: one who sees every instance of the process and every record it starts on
 * counts the tenant's by the step index (step-index.ts: a few COUNT queries over any number);
 * anyone else those they see, read and filtered as their list is (instances.ts).
 */
import type { Principal } from '../access/permissions.ts';
import type { ProcessList, ProcessOverview, StepCount } from '../contracts/processes.ts';
import { countAll } from '../store/commands.ts';
import { liveDefinition } from '../workflows/executions.ts';
import { instanceListPk, visibleCounts } from './instances.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import { diagramOf } from './process-diagram.ts';
import { PROCESSES } from './process-registry.ts';
import { stepCounts } from './step-index.ts';

/** How many failed instances the process has (a COUNT of its failed list). */
const failedCount = (tenant: string, process: string) =>
  countAll('count failed process instances', { IndexName: 'gsi3', KeyConditionExpression: 'gsi3pk = :pk', ExpressionAttributeValues: { ':pk': instanceListPk(tenant, process, 'failed') } });

async function countsOf(principal: Principal, process: string, seesAll: boolean, now: Date): Promise<{ counts: StepCount[]; failed: number }> {
  if (!principal.processes.seesAny(process)) return { counts: [], failed: 0 };
  if (!seesAll) return visibleCounts(principal, process, now);
  const [counts, failed] = await Promise.all([stepCounts(principal.tenant, process, now), failedCount(principal.tenant, process)]);
  return { counts, failed };
}

export async function processOverviews(principal: Principal, now = new Date()): Promise<ProcessList> {
  const shown = Object.values(PROCESSES).filter((spec) => principal.processes.mayStart(spec.name) || principal.processes.seesAny(spec.name));
  const items = await Promise.all(
    shown.map(async (spec): Promise<ProcessOverview> => {
      const seesAll = principal.processes.seesAll(spec.name) && spec.startsOn.every((type) => principal.visibleUsers(recordTypeNamed(type)!.key) === undefined);
      const [live, { counts, failed }] = await Promise.all([liveDefinition(spec.workflow), countsOf(principal, spec.name, seesAll, now)]);
      return { name: spec.name, label: spec.label, liveVersion: live.version ?? null, diagram: diagramOf(live.definition), counts, counted: seesAll ? 'tenant' : 'visible', failed, mayStart: principal.processes.mayStart(spec.name) };
    }),
  );
  return { items, at: now.toISOString() };
}
