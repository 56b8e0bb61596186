/**
 * Execution history events, shaped as GetExecutionHistory returns them: `type`, `id`,
 * `previousEventId`, `timestamp` and one `<type>EventDetails` member named as AWS names it.
 */
import type { Json } from './expressions.ts';

export interface HistoryEvent {
  /** Epoch milliseconds (the API answers epoch seconds). */
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** The details member of an event type: 'PassStateEntered' -> 'stateEnteredEventDetails'. */
export function detailsKey(type: string): string {
  const state = /^(?:Pass|Task|Choice|Wait|Succeed|Fail|Parallel|Map)State(Entered|Exited)$/.exec(type);
  if (state) return `state${state[1]}EventDetails`;
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
}

export const jsonText = (value: Json | undefined) => JSON.stringify(value ?? null);
export const payloadDetails = { truncated: false };

export function entered(name: string, input: Json) {
  return { name, input: jsonText(input), inputDetails: payloadDetails };
}

export function exited(name: string, output: Json, assigned?: Record<string, Json>) {
  return {
    name,
    output: jsonText(output),
    outputDetails: payloadDetails,
    ...(assigned && Object.keys(assigned).length
      ? {
          assignedVariables: Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, jsonText(v)])),
          assignedVariablesDetails: payloadDetails,
        }
      : {}),
  };
}

/** Error details with absent members left out, as AWS leaves them out. */
export function failure(error: string | undefined, cause: string | undefined) {
  return { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
}
