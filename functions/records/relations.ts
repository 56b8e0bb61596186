/**
 * A relation names records its writer may see: on every write that sets one, each id it adds
 * must be a live record of its target type in the writer's tenant and scope. Keys carry the
 * tenant, so another tenant's record is simply not found; one in the trash, or outside the
 * writer's scope, is refused alike, naming the field, so an answer never tells a record the
 * writer may not see from one that does not exist. Ids the record holds already are kept as they
 * are, whoever may see them now: a rep edits a contact someone linked to a company the rep
 * cannot see, and the link stays.
 */
import type { RelationInfo } from '../contracts/record-type.ts';
import type { StoredRecord } from './errors.ts';
import { FieldValidationError, type FieldIssue } from '../errors/field-validation-error.ts';
import { visibleRecords } from './repository.ts';
import type { Actor } from '../access/actor.ts';
import type { Fields } from './record-types.ts';

interface Reference {
  path: string;
  target: string;
  id: string;
}

/**
 * Throws a FieldValidationError naming each relation in `fields` whose record the actor may not
 * link to (none such, in the trash, out of scope). `pending`: ids of records created in the same
 * transaction; `current`: the record as it is, whose ids stay as they are.
 */
export async function assertRelationsExist(actor: Actor, relations: readonly RelationInfo[], fields: Fields, options: { pending?: readonly string[]; current?: StoredRecord } = {}): Promise<void> {
  const named = (value: unknown) => relations.flatMap((relation) => referencesAt(value, relation.path.split('.'), [], relation.target));
  const held = new Set(named(options.current).map((ref) => `${ref.target}#${ref.id}`));
  const references = named(fields).filter((ref) => !options.pending?.includes(ref.id) && !held.has(`${ref.target}#${ref.id}`));
  if (references.length === 0) return;
  // Each key named its target type, so an id found is an id of the right type. Only what liveness
  // and scope are read from: a merge repointing 120 contacts to a company of 350 KB read it whole 120 times.
  const linkable = new Set((await visibleRecords(actor, references.map((ref) => ({ type: ref.target, id: ref.id })), ['id'])).map((record) => record.id));
  const issues: FieldIssue[] = references
    .filter((ref) => !linkable.has(ref.id))
    .map((ref) => ({ path: ref.path, message: `no ${ref.target.toLowerCase()} ${ref.id} exists in this tenant`, value: ref.id }));
  if (issues.length > 0) throw new FieldValidationError(issues);
}

/** The ids at `path` in `value`, going through arrays (`lines.productId` -> `lines.3.productId`). */
function referencesAt(value: unknown, path: string[], at: string[], target: string): Reference[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => referencesAt(item, path, [...at, String(index)], target));
  if (path.length === 0) return typeof value === 'string' ? [{ path: at.join('.'), target, id: value }] : [];
  if (value === null || typeof value !== 'object') return [];
  const [head, ...rest] = path;
  return referencesAt((value as Fields)[head], rest, [...at, head], target);
}
