/**
 * Whose records a user sees. A record is held by its owner and by whoever its type assigns it to
 * (the type's `assignees` fields, contracts/record-type.ts: an activity's `assignee`); an actor
 * sees the records held by one of the users their role's scope names for the type
 * (permissions.ts: themselves, their teammates, or everyone). So a task the administrator
 * assigns to a rep is in the rep's scope, and in their manager's when the rep is in the manager's
 * team. Every read keeps to the scope through this one predicate: the repository's reads, the
 * views' filter of the type snapshot, names, the change feed (whose entries name the holders).
 */
import { RECORD_TYPE_INFOS } from '../contracts/record-types.ts';
import type { RecordTypeInfo } from '../contracts/record-type.ts';

/** A record type's key, e.g. `COMPANY`. */
type RecordType = string;

/** Who the scope is of: for each type (its key), the users whose records they see; undefined: every record. */
export interface ScopeHolder {
  visibleUsers: (type: RecordType) => ReadonlySet<string> | undefined;
}

const NO_FIELDS: readonly string[] = [];
/** The fields of the type that assign a record to someone (none for most types). */
const typeWithKey = new Map<string, RecordTypeInfo>(RECORD_TYPE_INFOS.map((type) => [type.key, type]));

export const assigneeFields = (type: RecordType): readonly string[] => typeWithKey.get(type)?.assignees ?? NO_FIELDS;

/** The users the record is assigned to, by its type's assignee fields (each a user, or a list of them). */
export function assigneesOf(type: RecordType, record: Record<string, unknown>): string[] {
  return assigneeFields(type).flatMap((field) => usersIn(record[field]));
}

/**
 * The test of whether one of `users` holds a record of the type (owns it, or has it assigned),
 * made once per type: a filter over 100,000 records pays a Set lookup or two per record.
 */
export function heldByAny(type: RecordType, users: ReadonlySet<string>): (record: Record<string, unknown>) => boolean {
  const fields = assigneeFields(type);
  if (fields.length === 0) return (record) => users.has(record.owner as string);
  return (record) => users.has(record.owner as string) || fields.some((field) => namesOneOf(record[field], users));
}

/** Whether the record is in the actor's scope: its owner, or someone it is assigned to, is one whose records they see. */
export function inScope(actor: ScopeHolder, type: RecordType, record: Record<string, unknown>): boolean {
  const users = actor.visibleUsers(type);
  return !users || heldByAny(type, users)(record);
}

/** A filter of records of the type to the actor's scope; undefined when they see every record. */
export function scopeFilter(actor: ScopeHolder, type: RecordType): ((record: Record<string, unknown>) => boolean) | undefined {
  const users = actor.visibleUsers(type);
  return users && heldByAny(type, users);
}

/** Whether the actor's scope holds one of these users (a change-feed entry names a record's holders, not the record). */
export function seesAnyOf(actor: ScopeHolder, type: RecordType, holders: ReadonlyArray<string | undefined>): boolean {
  const users = actor.visibleUsers(type);
  return !users || holders.some((user) => user !== undefined && users.has(user));
}

/** Whether a user field's value (a user, or a list of them) names one of `users`. */
function namesOneOf(value: unknown, users: ReadonlySet<string>): boolean {
  if (typeof value === 'string') return users.has(value);
  return Array.isArray(value) && value.some((user) => typeof user === 'string' && users.has(user));
}

function usersIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((user): user is string => typeof user === 'string') : [];
}
