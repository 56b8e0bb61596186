/**
 * The one base of the errors the domain throws for a caller to act on (a record that is not
 * there, a stale version, a refused value). Each says what it is by a stable `code`, which
 * clients branch on, and what the answer carries besides its message (`details`); the API
 * answers every one of them the same way (api/http.ts `httpErrorOf`), so a new error is a
 * class here or beside its domain, and no change to the API handler.
 *
 * Errors no caller can act on (the table failed, a workflow is not deployed) are plain
 * `Error`s: the API answers them 500 and logs their cause.
 */

/** Every code a domain error may carry, and the HTTP status the API answers it with. */
export const DOMAIN_ERROR_STATUS = {
  ValidationFailed: 400,
  Forbidden: 403,
  UserDeactivated: 403,
  SelfLockout: 403,
  BuiltInRole: 403,
  NotFound: 404,
  VersionConflict: 409,
  AlreadyExists: 409,
  InvitationAccepted: 409,
  InUse: 409,
  NotInTrash: 409,
  MergeInterrupted: 409,
  // A human task already answered, claimed by another, or closed by the engine (tasks/tasks.ts).
  TaskNotOpen: 409,
  // A process instance that has ended (cancel) or is not failed (retry): processes/instance-actions.ts.
  InstanceEnded: 409,
  InstanceNotFailed: 409,
  ItemTooLarge: 413,
  IdempotencyKeyReused: 422,
  // The answer is being prepared (views/snapshot-build.ts): ask again after `retry-after`.
  Preparing: 503,
} as const;
export type DomainErrorCode = keyof typeof DOMAIN_ERROR_STATUS;

/** One refused value in an answer: which field (dot path), why, and what was sent. */
export interface AnswerIssue {
  path: string;
  message: string;
  value?: unknown;
}

/** What an answer carries besides its code and message. */
export interface ErrorDetails {
  issues?: AnswerIssue[];
  /** On a version conflict: the item as it is now. */
  current?: unknown;
  headers?: Record<string, string>;
}

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;

  get status(): number {
    return DOMAIN_ERROR_STATUS[this.code];
  }

  /** What the answer carries besides code and message; nothing unless the error says. */
  details(): ErrorDetails {
    return {};
  }
}

/**
 * The refused value as an issue shows it: scalars as sent (long strings cut), nothing for
 * objects and arrays, whose parts have issues of their own.
 */
export function shownValue(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}
