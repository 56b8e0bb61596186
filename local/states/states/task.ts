/**
 * Task (AWS docs: "Task workflow state", "Service integration patterns"): request-response
 * calls run in process, raced against TimeoutSeconds; `.waitForTaskToken` parks the thread on a
 * token; `startExecution.sync:2` parks it on a child execution. A checkpoint is saved (and
 * waited for) before the side effect, so a crash runs the call again: at-least-once.
 */
import { StatesError } from '../errors.ts';
import { evaluateTemplate, type Json } from '../expressions.ts';
import type { StateDef } from '../definition.ts';
import { jsonText, payloadDetails } from '../history.ts';
import { parseResource } from '../resources/index.ts';
import { newTaskToken } from '../task-token.ts';
import { TIMEOUT_SECONDS, type StateRunner, type Thread } from '../thread.ts';

export async function runTask(run: StateRunner, t: Thread, state: StateDef): Promise<void> {
  const ref = parseResource(state.Resource!)!;
  const waitsForToken = ref.pattern === 'waitForTaskToken';
  if (waitsForToken && !t.token) t.token = newTaskToken({ executionArn: run.arn, threadId: t.id });
  const args = state.Arguments === undefined ? t.input : await evaluateTemplate(state.Arguments, 'Arguments', run.scope(t));
  const timeoutSeconds = await run.evaluateNumber(state.TimeoutSeconds, 'TimeoutSeconds', t, TIMEOUT_SECONDS);
  const heartbeatSeconds = await run.evaluateNumber(state.HeartbeatSeconds, 'HeartbeatSeconds', t, TIMEOUT_SECONDS);
  const resource = { resourceType: ref.resourceType, resource: ref.resource };
  run.emitFor(t, 'TaskScheduled', {
    ...resource,
    region: run.services.region,
    parameters: jsonText(args),
    ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
    ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
  });
  run.emitFor(t, 'TaskStarted', resource);
  await run.save();
  // Answered meanwhile: a task run again after a restart whose token was sent back (see waitingOn).
  if (!run.live(t) || t.step !== 'run') return;

  const scaled = (s: number) => s * 1000 * run.services.timeScale;
  if (ref.service === 'states' && !waitsForToken) {
    const child = ref.pattern === 'sync' ? { executionArn: run.arn, threadId: t.id, name: `${t.id}-${t.enteredEventId}-${t.retries.reduce((a, b) => a + (b ?? 0), 0)}` } : undefined;
    const started = await run.services.startChild(args, child);
    if (!run.live(t)) return;
    const response = { ExecutionArn: started.executionArn, StartDate: started.startDate };
    if (!child) return taskSucceeded(run, t, state, response);
    run.emitFor(t, 'TaskSubmitted', { ...resource, output: jsonText(response), outputDetails: payloadDetails });
    t.step = 'child';
    t.childArn = started.executionArn;
    if (timeoutSeconds !== undefined) t.timeoutAt = run.services.now() + scaled(timeoutSeconds);
    run.armTimer();
    // A child that ended before we waited for it (a restart in between) still counts.
    const closed = await run.services.childIfClosed(started.executionArn);
    if (closed) run.childClosed(t.id, closed);
    return;
  }

  if (waitsForToken) {
    // Waiting starts before the call: the handler may send the token back before it returns.
    const token = t.token;
    t.step = 'token';
    const now = run.services.now();
    if (timeoutSeconds !== undefined) t.timeoutAt = now + scaled(timeoutSeconds);
    if (heartbeatSeconds !== undefined) {
      t.heartbeatSeconds = heartbeatSeconds;
      t.heartbeatAt = now + scaled(heartbeatSeconds);
    }
    run.armTimer();
    let response: Json;
    try {
      response = await run.services.callResource(ref, args);
    } catch (err) {
      if (!(err instanceof StatesError)) throw err;
      if (run.live(t) && t.token === token && t.step === 'token') {
        return run.resumeState(t, state, { error: err.error, cause: err.causeText });
      }
      return;
    }
    if (run.live(t)) run.emitFor(t, 'TaskSubmitted', { ...resource, output: jsonText(response), outputDetails: payloadDetails });
    return;
  }

  let timer: NodeJS.Timeout | undefined;
  const call = run.services.callResource(ref, args);
  const result = await (timeoutSeconds === undefined
    ? call
    : Promise.race([
        call,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new TaskTimeout()), scaled(timeoutSeconds));
        }),
      ])
  ).catch((err) => {
    if (err instanceof TaskTimeout) return { timedOut: true } as const;
    if (err instanceof StatesError) return { failed: err } as const;
    throw err;
  }).finally(() => clearTimeout(timer));
  if (!run.live(t)) return;
  if (isTimeout(result)) return run.resumeState(t, state, { error: 'States.Timeout', timedOut: true });
  if (isFailure(result)) return run.resumeState(t, state, { error: result.failed.error, cause: result.failed.causeText });
  return taskSucceeded(run, t, state, result as Json);
}

export async function taskSucceeded(run: StateRunner, t: Thread, state: StateDef, result: Json): Promise<void> {
  const ref = parseResource(state.Resource!)!;
  run.emitFor(t, 'TaskSucceeded', { resourceType: ref.resourceType, resource: ref.resource, output: jsonText(result), outputDetails: payloadDetails });
  return run.complete(t, state, result);
}

class TaskTimeout extends Error {}
const isTimeout = (r: unknown): r is { timedOut: true } => !!r && typeof r === 'object' && 'timedOut' in r && !Array.isArray(r) && Object.keys(r).length === 1;
const isFailure = (r: unknown): r is { failed: StatesError } => !!r && typeof r === 'object' && (r as any).failed instanceof StatesError;
