/**
 * Refused values: the error of every domain that checks what a caller sent against its fields
 * (records, deals, views, users, imports, ...), so it sits here beside the base, below them all.
 */
import { DomainError, shownValue, type ErrorDetails } from './domain-error.ts';

/** One refused value: which field (dot path), why, and what was sent. */
export interface FieldIssue {
  path: string;
  message: string;
  value?: unknown;
}

/** Values that do not fit their field: a custom field's type, a relation to nothing, a computed field set by hand. */
export class FieldValidationError extends DomainError {
  readonly code = 'ValidationFailed';

  constructor(readonly issues: FieldIssue[], options?: { cause?: unknown }) {
    super(`invalid fields: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, options);
    this.name = 'FieldValidationError';
  }

  details(): ErrorDetails {
    return { issues: this.issues.map(({ value, ...issue }) => ({ ...issue, value: shownValue(value) })) };
  }

  /** The same issues with their paths under `prefix` (e.g. `fields` for a PATCH body). */
  under(prefix: string): FieldValidationError {
    return new FieldValidationError(this.issues.map((issue) => ({ ...issue, path: issue.path ? `${prefix}.${issue.path}` : prefix })), { cause: this });
  }
}
