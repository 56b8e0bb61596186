/**
 * The record types as the web app knows them: each type's description (names, relations) and
 * the contract of its stored records, both from functions/contracts. Pages, the record card,
 * the kanban and the import dialog find a type here by the plural in a URL (`/contacts`), its
 * singular name (`contact`, custom-field and view routes) or its table key (`CONTACT`, relation
 * targets), so that adding a type means one line here.
 */
import type { z } from 'zod';
import type { RecordTypeInfo } from '$contracts/record-type.ts';
import { Company, companyType } from '$contracts/company.ts';
import { Contact, contactType } from '$contracts/contact.ts';
import { Lead, leadType } from '$contracts/lead.ts';
import { Deal, dealType } from '$contracts/deal.ts';
import { Product, productType } from '$contracts/product.ts';
import { Activity, activityType } from '$contracts/activity.ts';

/** A stored record of any type: metadata, the type's fields and custom fields (`cf_*`). */
export type AnyRecord = { id: string; version: number; name?: string } & Record<string, unknown>;

export interface RecordKind {
  info: RecordTypeInfo;
  /** The contract of a stored record (its fields, metadata and custom fields). */
  record: z.ZodType<AnyRecord>;
  /** Shown in headings: "Companies", "Company". */
  title: string;
  titleOne: string;
}

const kind = (info: RecordTypeInfo, record: z.ZodType, title: string, titleOne: string): RecordKind => ({
  info,
  record: record as z.ZodType<AnyRecord>,
  title,
  titleOne,
});

export const RECORD_KINDS: readonly RecordKind[] = [
  kind(companyType, Company, 'Companies', 'Company'),
  kind(contactType, Contact, 'Contacts', 'Contact'),
  kind(leadType, Lead, 'Leads', 'Lead'),
  kind(dealType, Deal, 'Deals', 'Deal'),
  kind(productType, Product, 'Products', 'Product'),
  kind(activityType, Activity, 'Activities', 'Activity'),
];

export const kindByPlural = (plural: string) => RECORD_KINDS.find((k) => k.info.plural === plural);
export const kindByName = (name: string) => RECORD_KINDS.find((k) => k.info.name === name);
export const kindByKey = (key: string) => RECORD_KINDS.find((k) => k.info.key === key);
