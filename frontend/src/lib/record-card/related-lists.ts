/**
 * Which records relate to one: every type with a relation pointing at this type (a contact's
 * `companyIds`, a deal's `companyId`, an activity's `dealId`) gives a list of its records whose
 * relation holds the record's id. Derived from the types' descriptions, so a new relation shows
 * up on the card by itself. Paths through arrays (`lines.productId`) are not listed: views filter
 * on top-level fields.
 */
import { UI_RECORD_TYPES, type UiRecordType } from '../grid/record-types.ts';
import type { ViewFilter } from '$contracts/views.ts';

export interface RelatedList {
  type: UiRecordType;
  /** The field of `type` that points at the record. */
  field: string;
  title: string;
}

export function relatedListsOf(of: UiRecordType): RelatedList[] {
  return UI_RECORD_TYPES.flatMap((type) => {
    const pointing = type.info.relations.filter((relation) => relation.target === of.info.key && !relation.path.includes('.'));
    return pointing.map((relation) => ({
      type,
      field: relation.path,
      title: pointing.length > 1 ? `${type.label} (${relation.path})` : type.label,
    }));
  });
}

/** The view filter selecting a list's records: a list field matches when any of its ids does. */
export const relatedFilter = (list: RelatedList, id: string): ViewFilter => ({ field: list.field, op: 'eq', value: id });

/** The columns a related record is summed up by: its name and the next two of its main columns. */
export const summaryColumns = (type: UiRecordType) => ['name', ...type.mainColumns.filter((c) => c !== 'name' && c !== 'updatedAt').slice(0, 2)];
