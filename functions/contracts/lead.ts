import { z } from 'zod';
import { HiddenRecord, ListResponse, recordOf } from './record.ts';
import { defineRecordType } from './record-type.ts';
import { Email, Phone, RecordId, Tags } from './values.ts';
import { LongText, Name, Text } from './text.ts';
import { DealFields } from './deal.ts';

/** `converted` is reached only by converting the lead (POST /api/leads/{id}/convert). */
export const LeadStatus = z.enum(['new', 'working', 'qualified', 'disqualified', 'converted']);

/** Unqualified inbound interest: a person, perhaps their company, and how they came. */
export const LeadFields = z.strictObject({
  name: Name(200),
  companyName: Text(200).nullable().optional(),
  position: Text(200).nullable().optional(),
  email: Email.nullable().optional(),
  phone: Phone.nullable().optional(),
  source: Text(100).nullable().optional(),
  status: LeadStatus.exclude(['converted'], { message: 'must be new, working, qualified or disqualified (converting a lead sets converted)' }).optional(),
  notes: LongText(10_000).nullable().optional(),
  tags: Tags.nullable().optional(),
});
export type LeadFields = z.infer<typeof LeadFields>;

export const leadType = defineRecordType({
  name: 'lead',
  plural: 'leads',
  key: 'LEAD',
  fields: LeadFields,
  search: [
    { field: 'name', kind: 'name' },
    { field: 'email', kind: 'email' },
    { field: 'phone', kind: 'phone' },
  ],
  duplicates: [['email'], ['phone']],
  relations: [],
});

/** What converting the lead made, kept on the lead so that a retried conversion finds it. */
export const ConvertedTo = z.object({ companyId: RecordId, contactId: RecordId, dealId: RecordId.optional() });
export type ConvertedTo = z.infer<typeof ConvertedTo>;

export const Lead = recordOf(LeadFields).extend({ status: LeadStatus.optional(), convertedTo: ConvertedTo.optional() });
export type Lead = z.infer<typeof Lead>;
export const LeadList = ListResponse(Lead);

/**
 * POST /api/leads/{id}/convert: the lead's version as the client saw it, and optionally
 * fields for the deal to open (none is opened with `deal: null`).
 */
export const ConvertLeadBody = z.strictObject({
  version: z.number().int().positive(),
  deal: DealFields.partial().strict().nullable().optional(),
});
export type ConvertLeadBody = z.infer<typeof ConvertLeadBody>;

/**
 * What the conversion made. A conversion asked again (a retry, or after the lead was handed on)
 * answers the same records as the caller may see them now: each in full, or `{id, hidden: true}`
 * when it is not theirs to see (handed to someone else, trashed, purged).
 */
const Converted = z.union([HiddenRecord, z.object({ id: RecordId, version: z.number() }).catchall(z.unknown())]);
export const ConvertLeadResponse = z.object({
  lead: Lead,
  company: Converted,
  contact: Converted,
  deal: Converted.optional(),
});
export type ConvertLeadResponse = z.infer<typeof ConvertLeadResponse>;
