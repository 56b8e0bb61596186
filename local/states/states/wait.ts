/**
 * Wait (AWS docs: "Wait workflow state"): Seconds or Timestamp, literal or JSONata. The thread
 * parks with its due time; the timer index brings it back, restart or not.
 */
import { QueryEvaluationError } from '../errors.ts';
import { evaluateExpression, isExpression } from '../expressions.ts';
import type { StateDef } from '../definition.ts';
import { WAIT_SECONDS, type StateRunner, type Thread } from '../thread.ts';

export async function runWait(run: StateRunner, t: Thread, state: StateDef): Promise<void> {
  const now = run.services.now();
  let dueAt: number;
  if (state.Seconds !== undefined) {
    const seconds = await run.evaluateNumber(state.Seconds, 'Seconds', t, WAIT_SECONDS);
    dueAt = now + seconds! * 1000 * run.services.timeScale;
  } else {
    const value = isExpression(state.Timestamp) ? await evaluateExpression(state.Timestamp, 'Timestamp', run.scope(t)) : state.Timestamp;
    const at = typeof value === 'string' ? parseTimestamp(value) : undefined;
    if (at === undefined) {
      throw new QueryEvaluationError(
        `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
        'Timestamp',
      );
    }
    // AWS: "Step Functions considers the time value up to seconds and truncates milliseconds."
    dueAt = Math.floor(at / 1000) * 1000;
  }
  if (dueAt <= now) return run.complete(t, state, undefined);
  t.step = 'wait';
  t.dueAt = dueAt;
  run.armTimer();
}

/** ISO-8601 extended offset date-time, as AWS accepts it for Wait.Timestamp. */
export function parseTimestamp(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 59) return undefined;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac ? frac.slice(0, 4) : ''}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}
