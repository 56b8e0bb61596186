/**
 * The monitor's view of the processes (`GET /api/processes`): each process the caller's role
 * starts or sees, with its live version, that version's diagram, and where its running instances
 * are (per version and step, running and overdue: step-index.ts) and how many failed. Counts are
 * the tenant's: numbers, never instances; the instances behind a count are listed in the caller's
 * scope (instances.ts).
 */
import type { Principal } from '../access/permissions.ts';
import type { ProcessList, ProcessOverview } from '../contracts/processes.ts';
import { countAll } from '../store/commands.ts';
import { liveDefinition } from '../workflows/executions.ts';
import { instanceListPk } from './instances.ts';
import { diagramOf } from './process-diagram.ts';
import { PROCESSES } from './process-registry.ts';
import { stepCounts } from './step-index.ts';

/** How many failed instances the process has (a COUNT of its failed list). */
const failedCount = (tenant: string, process: string) =>
  countAll('count failed process instances', { IndexName: 'gsi3', KeyConditionExpression: 'gsi3pk = :pk', ExpressionAttributeValues: { ':pk': instanceListPk(tenant, process, 'failed') } });

export async function processOverviews(principal: Principal, now = new Date()): Promise<ProcessList> {
  const shown = Object.values(PROCESSES).filter((spec) => principal.processes.mayStart(spec.name) || principal.processes.seesAny(spec.name));
  const items = await Promise.all(
    shown.map(async (spec): Promise<ProcessOverview> => {
      const [live, counts, failed] = await Promise.all([liveDefinition(spec.workflow), stepCounts(principal.tenant, spec.name, now), failedCount(principal.tenant, spec.name)]);
      return { name: spec.name, label: spec.label, liveVersion: live.version ?? null, diagram: diagramOf(live.definition), counts, failed, mayStart: principal.processes.mayStart(spec.name) };
    }),
  );
  return { items, at: now.toISOString() };
}
