/**
 * RedriveExecution's clientToken, as AWS keeps it: a retried request with a token that redrove
 * the execution is answered as the first one was and redrives nothing again; the last 10 tokens
 * of successful redrives are remembered, each for 15 minutes after its first use. They ride in
 * the execution record, written by the save that makes the redrive durable.
 */
export interface RedriveToken {
  token: string;
  /** The redrive's date (epoch ms): its answer, and when the token was first used. */
  date: number;
}

const REMEMBERED = 10;
const VALID_MS = 15 * 60 * 1000;

/** The redrive this token made, if it is still remembered at `now`. */
export function redriveByToken(tokens: RedriveToken[] | undefined, token: string | undefined, now: number): RedriveToken | undefined {
  if (token === undefined) return undefined;
  return tokens?.find((t) => t.token === token && now - t.date < VALID_MS);
}

/** The tokens to keep once a redrive at `now` used `token` (none given: those still valid). */
export function rememberRedrive(tokens: RedriveToken[] | undefined, token: string | undefined, now: number): RedriveToken[] | undefined {
  const kept = (tokens ?? []).filter((t) => now - t.date < VALID_MS);
  if (token !== undefined) kept.push({ token, date: now });
  return kept.length ? kept.slice(-REMEMBERED) : undefined;
}
