/** What can go wrong with a record, in the domain's words; the API maps these to status codes. */

export class RecordNotFoundError extends Error {
  constructor(readonly type: string, readonly id: string, options?: { cause?: unknown }) {
    super(`${type.toLowerCase()} ${id} does not exist`, options);
    this.name = 'RecordNotFoundError';
  }
}

/** A write based on a version that is no longer the current one; carries the record as it is now. */
export class VersionConflictError extends Error {
  constructor(readonly expectedVersion: number, readonly current: StoredRecord) {
    super(`the record is at version ${current.version}, not ${expectedVersion}: reload and apply the change again`);
    this.name = 'VersionConflictError';
  }
}

/** One refused value: which field (dot path), why, and what was sent. */
export interface FieldIssue {
  path: string;
  message: string;
  value?: unknown;
}

/** Values that do not fit their field: a custom field's type, a relation to nothing, a computed field set by hand. */
export class FieldValidationError extends Error {
  constructor(readonly issues: FieldIssue[], options?: { cause?: unknown }) {
    super(`invalid fields: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, options);
    this.name = 'FieldValidationError';
  }

  /** The same issues with their paths under `prefix` (e.g. `fields` for a PATCH body). */
  under(prefix: string): FieldValidationError {
    return new FieldValidationError(this.issues.map((issue) => ({ ...issue, path: issue.path ? `${prefix}.${issue.path}` : prefix })), { cause: this });
  }
}

/** The record would outgrow DynamoDB's 400 KB item limit; names the fields that weigh most. */
export class ItemTooLargeError extends Error {
  constructor(readonly bytes: number, readonly limit: number, readonly fields: string[]) {
    super(`the record would take ${bytes} bytes, over the limit of ${limit}; the largest fields: ${fields.join(', ')}`);
    this.name = 'ItemTooLargeError';
  }

  under(prefix: string): ItemTooLargeError {
    return new ItemTooLargeError(this.bytes, this.limit, this.fields.map((field) => `${prefix}.${field}`));
  }
}

/** A restore of a record (or field) that is not in the trash. */
export class NotInTrashError extends Error {
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
