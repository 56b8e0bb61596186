/**
 * The record types the app shows, with what the UI adds to their contracts: a label and the
 * columns a grid shows when the user has no saved view of the type.
 */
import type { RecordTypeInfo } from '$contracts/record-type.ts';
import { companyType } from '$contracts/company.ts';
import { contactType } from '$contracts/contact.ts';
import { leadType } from '$contracts/lead.ts';
import { dealType } from '$contracts/deal.ts';
import { productType } from '$contracts/product.ts';
import { activityType } from '$contracts/activity.ts';

export interface UiRecordType {
  info: RecordTypeInfo;
  /** Plural, for titles and the nav: `Companies`. */
  label: string;
  /** Singular, for buttons: `company`. */
  one: string;
  /** The default view's columns, in order. */
  mainColumns: string[];
}

export const UI_RECORD_TYPES: readonly UiRecordType[] = [
  { info: companyType, label: 'Companies', one: 'company', mainColumns: ['name', 'domain', 'industry', 'size', 'phones', 'emails', 'tags', 'updatedAt'] },
  { info: contactType, label: 'Contacts', one: 'contact', mainColumns: ['name', 'position', 'emails', 'phones', 'companyIds', 'tags', 'updatedAt'] },
  { info: leadType, label: 'Leads', one: 'lead', mainColumns: ['name', 'companyName', 'position', 'email', 'phone', 'source', 'status', 'updatedAt'] },
  { info: dealType, label: 'Deals', one: 'deal', mainColumns: ['name', 'stage', 'amount', 'expectedClose', 'probability', 'companyId', 'contactIds', 'updatedAt'] },
  { info: productType, label: 'Products', one: 'product', mainColumns: ['name', 'sku', 'price', 'active', 'description', 'tags', 'updatedAt'] },
  { info: activityType, label: 'Activities', one: 'activity', mainColumns: ['name', 'kind', 'dueAt', 'assignee', 'done', 'companyId', 'dealId', 'updatedAt'] },
];

const byPlural = new Map(UI_RECORD_TYPES.map((type) => [type.info.plural, type]));
const byKey = new Map(UI_RECORD_TYPES.map((type) => [type.info.key, type]));

/** The type whose routes are `/{plural}`, if any. */
export const uiRecordType = (plural: string): UiRecordType | undefined => byPlural.get(plural);
/** The type whose table key is `key` (`COMPANY`), as relations name their targets. */
export const uiRecordTypeByKey = (key: string): UiRecordType | undefined => byKey.get(key);
