/**
 * An instance's timeline, read on demand: one page of its execution's history (GetExecutionHistory,
 * 20 calls a second in AWS: a page is read when a person opens the instance, never for a list),
 * as readable lines (timeline.ts), with its tasks' moves (claimed, released, reassigned) and its
 * forms' labels; the first page also carries the diagram of the version the
 * instance runs, on which the page draws its path.
 *
 * The cursor is ours: Step Functions' page token and where the page before left off (the step
 * it was at, its attempts, a task being offered), so the next page's lines are those one page
 * would have.
 */
import { z } from 'zod';
import type { Principal } from '../access/permissions.ts';
import { MAX_TIMELINE_PAGE, TimelineLine, type TimelinePage, type TimelineQuery } from '../contracts/processes.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { definitionOfExecution, executionArnOf, executionHistoryPage } from '../workflows/executions.ts';
import { visibleInstance } from './instances.ts';
import { diagramOf } from './process-diagram.ts';
import { PROCESSES } from './process-registry.ts';
import { TIMELINE_START, timelineOf, withTaskLines, type TimelineContext } from './timeline.ts';
import { tasksOfInstance } from '../tasks/tasks.ts';

const Cursor = z.object({
  token: z.string().min(1),
  step: z.string().nullable(),
  attempt: z.number().int().min(0),
  // A task being offered: what its line will say, as the line says it.
  offer: TimelineLine.pick({ text: true, by: true, task: true, title: true, assignee: true, due: true }).nullable(),
});
type Cursor = z.infer<typeof Cursor>;

const badCursor = (cause?: unknown) => new FieldValidationError([{ path: 'query.cursor', message: 'must be a cursor this timeline answered' }], { cause });
const cursorText = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function cursorOf(text: string): Cursor {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch (err) {
    throw badCursor(err);
  }
}

export async function instanceTimeline(principal: Principal, id: string, query: TimelineQuery): Promise<TimelinePage> {
  const instance = await visibleInstance(principal, id);
  const execution = executionArnOf(PROCESSES[instance.process].workflow, instance.id);
  const cursor = query.cursor === undefined ? undefined : cursorOf(query.cursor);
  const page = await executionHistoryPage(execution, { limit: query.limit ?? MAX_TIMELINE_PAGE, nextToken: cursor?.token });
  if (page === 'badToken') throw badCursor();
  // An instance whose execution is not there (yet): nothing has happened to tell.
  if (page === 'none') return { items: [] };
  const from: TimelineContext = cursor ? { step: cursor.step, attempt: cursor.attempt, offer: cursor.offer } : TIMELINE_START;
  const { lines, context } = timelineOf(page.events, from);
  const [diagram, tasks] = await Promise.all([cursor === undefined ? definitionOfExecution(execution).then(diagramOf) : undefined, tasksOfInstance({ tenant: principal.tenant, id: instance.id })]);
  const items = withTaskLines(lines, tasks);
  return { items, ...(page.nextToken ? { nextCursor: cursorText({ token: page.nextToken, ...context }) } : {}), ...(diagram ? { diagram } : {}) };
}
