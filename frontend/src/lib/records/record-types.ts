/**
 * The record types the app shows (the contracts' list, `$contracts/record-types.ts`), with what
 * the UI adds to each by its name: a label and the columns a grid shows when the user has no
 * saved view of the type.
 */
import type { RecordTypeInfo } from '$contracts/record-type.ts';
import { RECORD_TYPE_INFOS } from '$contracts/record-types.ts';

export interface UiRecordType {
  info: RecordTypeInfo;
  /** Plural, for titles and the nav: `Companies`. */
  label: string;
  /** Singular, for buttons: `company`. */
  one: string;
  /** The default view's columns, in order. */
  mainColumns: string[];
}

/** What the UI adds to each type of the list, by its name. */
const UI: Readonly<Record<string, Omit<UiRecordType, 'info'>>> = {
  company: { label: 'Companies', one: 'company', mainColumns: ['name', 'domain', 'industry', 'size', 'phones', 'emails', 'tags', 'updatedAt'] },
  contact: { label: 'Contacts', one: 'contact', mainColumns: ['name', 'position', 'emails', 'phones', 'companyIds', 'tags', 'updatedAt'] },
  lead: { label: 'Leads', one: 'lead', mainColumns: ['name', 'companyName', 'position', 'email', 'phone', 'source', 'status', 'updatedAt'] },
  deal: { label: 'Deals', one: 'deal', mainColumns: ['name', 'stage', 'amount', 'expectedClose', 'probability', 'companyId', 'contactIds', 'updatedAt'] },
  product: { label: 'Products', one: 'product', mainColumns: ['name', 'sku', 'price', 'active', 'description', 'tags', 'updatedAt'] },
  activity: { label: 'Activities', one: 'activity', mainColumns: ['name', 'kind', 'dueAt', 'assignee', 'done', 'companyId', 'dealId', 'updatedAt'] },
};

export const UI_RECORD_TYPES: readonly UiRecordType[] = RECORD_TYPE_INFOS.map((info) => ({ info, ...UI[info.name] }));

const byPlural = new Map(UI_RECORD_TYPES.map((type) => [type.info.plural, type]));
const byKey = new Map(UI_RECORD_TYPES.map((type) => [type.info.key, type]));
const byName = new Map(UI_RECORD_TYPES.map((type) => [type.info.name, type]));

/** The type whose routes are `/{plural}`, if any. */
export const uiRecordType = (plural: string): UiRecordType | undefined => byPlural.get(plural);
/** The type whose table key is `key` (`COMPANY`), as relations name their targets. */
export const uiRecordTypeByKey = (key: string): UiRecordType | undefined => byKey.get(key);
/** The type of that singular name (`company`), as a process's subject names it. */
export const uiRecordTypeByName = (name: string): UiRecordType | undefined => byName.get(name);
