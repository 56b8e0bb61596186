/** What can go wrong with a record, in the domain's words; the API maps these to status codes. */

export class RecordNotFoundError extends Error {
  constructor(readonly type: string, readonly id: string) {
    super(`${type.toLowerCase()} ${id} does not exist`);
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

/** The table refused or failed a request; the SDK's error is the cause. */
export class RecordStoreError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'RecordStoreError';
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
  [field: string]: unknown;
}
