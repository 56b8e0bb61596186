/**
 * An instance's history as people read it: Step Functions' execution history (GetExecutionHistory,
 * read on demand a page at a time: functions/workflows/executions.ts) turned into lines of who did
 * what and when. A task offered (to whom, due when: once the step's function took it), completed (by whom, with the form's values),
 * rejected (why), not done in time; waits; a step that failed and was retried, or whose error was
 * caught; the end, and a retry from the failed step (a redrive). Steps the system runs on its own
 * (writing the instance) show only as the state entered. What the history cannot tell comes from
 * the instance's tasks: who claimed, released or reassigned each (its moves), and the labels of a
 * completed form's fields. Pure: events and tasks in, lines out.
 */
import type { TimelineLine } from '../contracts/processes.ts';
import { formAnswerLines, type FormValues } from '../contracts/forms.ts';
import type { Task, TaskMove } from '../contracts/tasks.ts';
import { taskIdOf } from '../tasks/tasks.ts';

/** A history event as @aws-sdk/client-sfn answers it (only what is read here). */
export interface HistoryEventLike {
  timestamp?: Date;
  type?: string;
  id?: number;
  previousEventId?: number;
  stateEnteredEventDetails?: { name?: string };
  stateExitedEventDetails?: { name?: string };
  taskScheduledEventDetails?: { resource?: string; parameters?: string };
  taskSucceededEventDetails?: { resource?: string; output?: string };
  taskFailedEventDetails?: { resource?: string; error?: string; cause?: string };
  taskTimedOutEventDetails?: { resource?: string; error?: string; cause?: string };
  executionStartedEventDetails?: { input?: string };
  executionFailedEventDetails?: { error?: string; cause?: string };
  executionAbortedEventDetails?: { error?: string; cause?: string };
  executionTimedOutEventDetails?: { error?: string; cause?: string };
  executionRedrivenEventDetails?: { redriveCount?: number };
}

const parse = (text: string | undefined): any => {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
};

const CUT = 1_000;
const cut = (text: string | undefined) => (text !== undefined && text.length > CUT ? `${text.slice(0, CUT - 1)}…` : text);
const holderText = (assignee: { user?: string; team?: string } | undefined) => (assignee?.team ? `team ${assignee.team}` : assignee?.user ? 'a user' : 'nobody');

/** A task scheduled and not yet taken by the step's function: offered once it is (TaskSubmitted). */
export interface PendingOffer {
  text: string;
  by: string | null;
  task?: string;
  title?: string;
  assignee?: { user: string } | { team: string };
  due?: string;
}

/**
 * Where a run of events leaves off, for the next page to go on from: the step entered last (the
 * step of the events after it), how often its task was scheduled since (attempts), and a task
 * being offered.
 */
export interface TimelineContext {
  step: string | null;
  attempt: number;
  offer: PendingOffer | null;
}

export const TIMELINE_START: TimelineContext = { step: null, attempt: 0, offer: null };

const isHuman = (resource: string | undefined) => resource?.endsWith('.waitForTaskToken') ?? false;

/** The lines of a run of events, oldest first, going on from `from` (where the page before left off). */
export function timelineOf(events: readonly HistoryEventLike[], from: TimelineContext = TIMELINE_START): { lines: TimelineLine[]; context: TimelineContext } {
  const lines: TimelineLine[] = [];
  let { step, attempt, offer } = from;
  const line = (event: HistoryEventLike, kind: TimelineLine['kind'], text: string, extra: Partial<TimelineLine> = {}) =>
    lines.push({ at: (event.timestamp ?? new Date(0)).toISOString(), kind, step, text, by: null, ...extra });

  for (const event of events) {
    const type = event.type ?? '';
    if (type === 'ExecutionStarted') {
      const input = parse(event.executionStartedEventDetails?.input);
      line(event, 'started', 'Started', { step: null, by: typeof input?.instance?.startedBy === 'string' ? input.instance.startedBy : null });
    } else if (type.endsWith('StateEntered')) {
      step = event.stateEnteredEventDetails?.name ?? null;
      attempt = 0;
      offer = null;
      line(event, type === 'WaitStateEntered' ? 'waiting' : 'entered', type === 'WaitStateEntered' ? `Waiting in ${step}` : `Entered ${step}`);
    } else if (type === 'WaitStateExited') {
      line(event, 'waited', `Done waiting in ${event.stateExitedEventDetails?.name ?? step}`);
    } else if (type === 'TaskScheduled') {
      const details = event.taskScheduledEventDetails;
      attempt += 1;
      if (attempt > 1) line(event, 'retry', `Retried ${step} (attempt ${attempt})`);
      const payload = isHuman(details?.resource) ? parse(details?.parameters)?.Payload : undefined;
      const task = payload?.task;
      // The task's id derives from where it was offered, as tasks.ts gives it.
      const id = typeof payload?.execution === 'string' && typeof payload?.enteredAt === 'string' ? taskIdOf(payload.execution, String(payload.step), payload.enteredAt) : undefined;
      // Offered once the step's function has taken it (TaskSubmitted); one it refused was never offered.
      const assignee = task?.assignee?.user ? { user: String(task.assignee.user) } : task?.assignee?.team ? { team: String(task.assignee.team) } : undefined;
      offer = task
        ? {
            text: `Task “${task.title}” offered to ${holderText(task.assignee)}${task.due ? `, due ${task.due}` : ''}`,
            by: task.assignee?.user ?? null,
            title: String(task.title),
            ...(id ? { task: id } : {}),
            ...(assignee ? { assignee } : {}),
            ...(typeof task.due === 'string' ? { due: task.due } : {}),
          }
        : null;
    } else if (type === 'TaskSubmitted' && offer) {
      const { text, ...about } = offer;
      line(event, 'offered', text, about);
      offer = null;
    } else if (type === 'TaskSucceeded' && isHuman(event.taskSucceededEventDetails?.resource)) {
      const answer = parse(event.taskSucceededEventDetails?.output);
      const values = answer && typeof answer.values === 'object' && answer.values !== null ? answer.values : undefined;
      line(event, 'completed', 'Task completed', { by: typeof answer?.by === 'string' ? answer.by : null, ...(typeof answer?.task === 'string' ? { task: answer.task } : {}), ...(values ? { values } : {}) });
    } else if (type === 'TaskFailed') {
      const { error, cause } = event.taskFailedEventDetails ?? {};
      const rejection = error === 'TaskRejected' ? parse(cause) : undefined;
      if (rejection) line(event, 'rejected', `Task rejected: ${cut(String(rejection.reason ?? ''))}`, { by: typeof rejection.by === 'string' ? rejection.by : null, error });
      else line(event, 'error', `${step ?? 'A step'} failed: ${error ?? 'an error'}`, { ...(error ? { error } : {}), ...(cause ? { cause: cut(cause) } : {}) });
    } else if (type === 'TaskTimedOut') {
      line(event, 'timedOut', isHuman(event.taskTimedOutEventDetails?.resource) ? 'Task not done by its due time' : `${step} timed out`, { error: event.taskTimedOutEventDetails?.error ?? 'States.Timeout' });
    } else if (type === 'ExecutionSucceeded') {
      line(event, 'succeeded', 'Ended', { step: null });
    } else if (type === 'ExecutionFailed' || type === 'ExecutionTimedOut' || type === 'ExecutionAborted') {
      const details = event.executionFailedEventDetails ?? event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails ?? {};
      const kind = type === 'ExecutionFailed' ? 'failed' : type === 'ExecutionTimedOut' ? 'timedOut' : 'aborted';
      const text = { failed: `Failed in ${step}`, timedOut: 'Ran out of time', aborted: 'Stopped' }[kind];
      line(event, kind, `${text}${details.error ? `: ${details.error}` : ''}`, { ...(details.error ? { error: details.error } : {}), ...(details.cause ? { cause: cut(details.cause) } : {}) });
    } else if (type === 'ExecutionRedriven') {
      line(event, 'redriven', `Retried from the failed step (retry ${event.executionRedrivenEventDetails?.redriveCount ?? 1})`);
    }
  }
  return { lines, context: { step, attempt, offer } };
}

const MOVE_TEXT: Record<TaskMove['kind'], string> = { claimed: 'Claimed', released: 'Released', reassigned: 'Reassigned' };

/** A task's move as a line: who did it, and to whom a reassignment (or a release) gave it. */
function moveLine(task: Task, move: TaskMove): TimelineLine {
  const to = move.kind === 'reassigned' ? move.to : move.kind === 'released' && task.team ? { team: task.team } : undefined;
  const text = `${MOVE_TEXT[move.kind]} “${task.title}”${to ? ` to ${holderText(to)}` : ''}`;
  return { at: move.at, kind: move.kind, step: task.step, text, by: move.by, task: task.id, title: task.title, ...(to ? { assignee: to } : {}) };
}

/**
 * The history's lines with what the tasks tell: each task's moves right after the line that
 * offered it (the engine's clock and the API's need not agree, so they go by task, not by time),
 * and each completed form's fields with their labels.
 */
export function withTaskLines(lines: readonly TimelineLine[], tasks: readonly Task[]): TimelineLine[] {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const told = new Set<string>();
  return lines.flatMap((line) => {
    const task = line.task === undefined ? undefined : byId.get(line.task);
    if (!task) return [line];
    if (line.kind === 'offered') {
      // A step run again after a crash offers the same task again: its moves are told once.
      if (told.has(task.id)) return [line];
      told.add(task.id);
      return [line, ...(task.moves ?? []).map((move) => moveLine(task, move))];
    }
    // The values are the task's answer, which its form checked.
    if (line.kind === 'completed' && line.values) return [{ ...line, fields: formAnswerLines(task.form, line.values as FormValues) }];
    return [line];
  });
}
