/**
 * Which records relate to one: every type with a relation pointing at this type (a contact's
 * `companyIds`, a deal's `companyId`, an activity's `dealId`) gives a list of its records whose
 * relation holds the record's id. Derived from the types' descriptions, so a new relation shows
 * up on the card by itself. Paths through arrays (`lines.productId`) are not listed: views filter
 * on top-level fields.
 */
import { UI_RECORD_TYPES, type UiRecordType } from '../records/record-types.ts';
import { builtInField, relationIds } from '../records/grid-fields.ts';
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

/** The top-level fields of `type` that point at companies. */
const companyFields = (type: UiRecordType) => type.info.relations.filter((relation) => relation.target === 'COMPANY' && !relation.path.includes('.')).map((relation) => relation.path);

/** A relation field's value holding `id`: the id, or a list of it. */
const pointingAt = (type: UiRecordType, field: string, id: string) => (builtInField(type.info, field)?.multiple ? [id] : id);

/**
 * The fields a new record of `list` gets, made from the card of `record` (of type `of`): the
 * relation to the record, and the record's company too when it has exactly one and the new
 * record links a company (a call logged on a deal is the deal's company's call as well; a deal
 * added to a contact at Acme is Acme's deal).
 */
export function linksFor(list: RelatedList, of: UiRecordType, record: { id: string } & Record<string, unknown>): Record<string, unknown> {
  const links: Record<string, unknown> = { [list.field]: pointingAt(list.type, list.field, record.id) };
  const companies = of.info.key === 'COMPANY' ? [] : [...new Set(companyFields(of).flatMap((field) => relationIds(record[field])))];
  const field = companyFields(list.type).find((path) => !(path in links));
  if (field && companies.length === 1) links[field] = pointingAt(list.type, field, companies[0]);
  return links;
}
