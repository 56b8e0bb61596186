/** What can go wrong with a record, in the domain's words; each says its code, by which the API answers it. */
import { DomainError, shownValue, type ErrorDetails } from '../errors/domain-error.ts';

export class RecordNotFoundError extends DomainError {
  readonly code = 'NotFound';

  constructor(readonly type: string, readonly id: string, options?: { cause?: unknown }) {
    super(`${type.toLowerCase()} ${id} does not exist`, options);
    this.name = 'RecordNotFoundError';
  }
}

/** A write based on a version that is no longer the current one; carries the record as it is now. */
export class VersionConflictError extends DomainError {
  readonly code = 'VersionConflict';

  constructor(readonly expectedVersion: number, readonly current: StoredRecord) {
    super(`the record is at version ${current.version}, not ${expectedVersion}: reload and apply the change again`);
    this.name = 'VersionConflictError';
  }

  details(): ErrorDetails {
    return { current: this.current };
  }
}

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

/** The record would outgrow DynamoDB's 400 KB item limit; names the fields that weigh most. */
export class ItemTooLargeError extends DomainError {
  readonly code = 'ItemTooLarge';

  constructor(readonly bytes: number, readonly limit: number, readonly fields: string[]) {
    super(`the record would take ${bytes} bytes, over the limit of ${limit}; the largest fields: ${fields.join(', ')}`);
    this.name = 'ItemTooLargeError';
  }

  details(): ErrorDetails {
    return { issues: this.fields.map((path) => ({ path, message: `makes the record larger than DynamoDB's ${this.limit} bytes per item` })) };
  }

  under(prefix: string): ItemTooLargeError {
    return new ItemTooLargeError(this.bytes, this.limit, this.fields.map((field) => `${prefix}.${field}`));
  }
}

/** A restore of a record (or field) that is not in the trash. */
export class NotInTrashError extends DomainError {
  readonly code = 'NotInTrash';

  constructor(readonly what: string) {
    super(`${what} is not in the trash`);
    this.name = 'NotInTrashError';
  }
}

export interface StoredRecord {
  id: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  owner: string;
  deletedAt?: string;
  [field: string]: unknown;
}
