/**
 * A relation must point at a live record of its target type in the caller's tenant. Keys carry
 * the tenant, so another tenant's record is simply not found: the same refusal as a record that
 * never existed, naming the field.
 */
import type { RelationInfo } from '../contracts/record-type.ts';
import { FieldValidationError, type FieldIssue } from './errors.ts';
import { readRecords } from './repository.ts';
import type { Fields } from './record-types.ts';

interface Reference {
  path: string;
  target: string;
  id: string;
}

/**
 * Throws a FieldValidationError naming each relation in `fields` whose record does not exist
 * (or is in the trash). `pending` ids are records created in the same transaction.
 */
export async function assertRelationsExist(tenant: string, relations: readonly RelationInfo[], fields: Fields, pending: readonly string[] = []): Promise<void> {
  const references = relations
    .flatMap((relation) => referencesAt(fields, relation.path.split('.'), [], relation.target))
    .filter((ref) => !pending.includes(ref.id));
  if (references.length === 0) return;
  const found = await readRecords(tenant, references.map((ref) => ({ type: ref.target, id: ref.id })));
  // Each key named its target type, so an id found is an id of the right type.
  const live = new Set(found.filter((record) => !record.deletedAt).map((record) => record.id));
  const issues: FieldIssue[] = references
    .filter((ref) => !live.has(ref.id))
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
