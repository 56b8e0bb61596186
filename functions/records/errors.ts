/**
 * What can go wrong with a record, in the domain's words; each says its code, by which the API
 * answers it. A refused value and a restore of what is not in the trash are not records' alone:
 * those errors sit beside the base (errors/field-validation-error.ts, errors/not-in-trash-error.ts).
 */
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';

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
