/**
 * An instance's timeline, read on demand: one page of its execution's history (GetExecutionHistory,
 * 20 calls a second in AWS: a page is read when a person opens the instance, never for a list),
 * as readable lines (timeline.ts); the first page also carries the diagram of the version the
 * instance runs, on which the page draws its path.
 */
import type { Principal } from '../access/permissions.ts';
import { MAX_TIMELINE_PAGE, type TimelinePage, type TimelineQuery } from '../contracts/processes.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { definitionOfExecution, executionArnOf, executionHistoryPage } from '../workflows/executions.ts';
import { visibleInstance } from './instances.ts';
import { diagramOf } from './process-diagram.ts';
import { PROCESSES } from './process-registry.ts';
import { timelineOf } from './timeline.ts';

/** History events a page reads unless asked for fewer. */
const PAGE_EVENTS = MAX_TIMELINE_PAGE;

export async function instanceTimeline(principal: Principal, id: string, query: TimelineQuery): Promise<TimelinePage> {
  const instance = await visibleInstance(principal, id);
  const execution = executionArnOf(PROCESSES[instance.process].workflow, instance.id);
  const page = await executionHistoryPage(execution, { limit: query.limit ?? PAGE_EVENTS, nextToken: query.cursor });
  if (page === 'badToken') throw new FieldValidationError([{ path: 'query.cursor', message: 'must be a cursor this timeline answered' }]);
  // An instance whose execution is not there (yet): nothing has happened to tell.
  if (page === 'none') return { items: [] };
  const diagram = query.cursor === undefined ? diagramOf(await definitionOfExecution(execution)) : undefined;
  return { items: timelineOf(page.events), ...(page.nextToken ? { nextCursor: page.nextToken } : {}), ...(diagram ? { diagram } : {}) };
}
