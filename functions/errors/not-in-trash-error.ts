/** A restore of something that is not in the trash: records and custom fields are restored alike, so both raise it. */
import { DomainError } from './domain-error.ts';

export class NotInTrashError extends DomainError {
  readonly code = 'NotInTrash';

  constructor(readonly what: string) {
    super(`${what} is not in the trash`);
    this.name = 'NotInTrashError';
  }
}
