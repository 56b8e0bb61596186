/**
 * Error matching and retry timing (AWS docs: "Handling errors in Step Functions workflows",
 * sections "Retrying after an error" and "Fallback states").
 */
import type { Retrier } from './definition.ts';

/** Errors that States.ALL does not match: the docs call them terminal. */
const TERMINAL = ['States.Runtime', 'States.DataLimitExceeded'];

export function errorMatches(errorEquals: string[], error: string): boolean {
  return errorEquals.some((name) => {
    if (name === error) return true;
    if (TERMINAL.includes(error)) return false;
    if (name === 'States.ALL') return true;
    // States.TaskFailed matches any known error name except States.Timeout.
    return name === 'States.TaskFailed' && error !== 'States.Timeout';
  });
}

/** Seconds to wait before attempt `attempt + 1` (attempt 0 = the first retry), per the retrier. */
export function retryDelaySeconds(retrier: Retrier, attempt: number, random = Math.random): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const backoff = retrier.BackoffRate ?? 2;
  let delay = interval * backoff ** attempt;
  if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') delay = random() * delay;
  return delay;
}

/** The retrier that handles `error` and still has attempts left, with its index. */
export function findRetrier(retriers: Retrier[] | undefined, error: string, attempts: number[]): number | undefined {
  if (!retriers) return undefined;
  const index = retriers.findIndex((r) => errorMatches(r.ErrorEquals, error));
  if (index < 0) return undefined;
  const max = retriers[index].MaxAttempts ?? 3;
  return (attempts[index] ?? 0) < max ? index : undefined;
}
