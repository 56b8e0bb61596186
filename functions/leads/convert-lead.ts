/**
 * Converting a lead makes a company, a contact at it and (unless declined) a deal with both,
 * and marks the lead converted, in one TransactWriteItems with a history item for each: all
 * four exist afterwards, or none does.
 *
 * Idempotent under retry: the lead keeps what it became (`convertedTo`), and a conversion of a
 * lead already converted answers with those records instead of making new ones. Two requests
 * racing both plan the writes, but the lead's version condition lets one transaction through;
 * the other finds the lead converted and answers the same.
 */
import { ulid } from 'ulid';
import type { ConvertedTo } from '../contracts/lead.ts';
import { VersionConflictError, type StoredRecord } from '../records/errors.ts';
import { commit, getRecord, readRecord, type Actor, type RecordWrite } from '../records/repository.ts';
import { assertAtVersion, planChange, planCreation } from '../records/records.ts';
import { parseFields, present, recordSchemaFor } from '../records/record-schema.ts';
import { recordTypeWithKey, type Fields } from '../records/record-types.ts';

export interface Conversion {
  lead: StoredRecord;
  company: StoredRecord;
  contact: StoredRecord;
  deal?: StoredRecord;
  /** True when the lead had been converted already (by this request's earlier try, or another). */
  replayed: boolean;
}

/** `deal`: fields for the deal (over the ones taken from the lead), or null for no deal. */
export async function convertLead(actor: Actor, leadId: string, version: number, deal: Fields | null | undefined): Promise<Conversion> {
  const lead = await getRecord(actor, 'LEAD', leadId);
  if (lead.convertedTo) return earlierConversion(actor, lead);
  assertAtVersion(lead, version);
  const [leadSchema, companySchema, contactSchema, dealSchema] = await Promise.all(
    ['LEAD', 'COMPANY', 'CONTACT', 'DEAL'].map((key) => recordSchemaFor(actor.tenant, recordTypeWithKey(key)!)),
  );
  const at = new Date().toISOString();
  const ids = { companyId: ulid(), contactId: ulid(), dealId: deal === null ? undefined : ulid() };
  const pending = [ids.companyId, ids.contactId];
  const companyName = (lead.companyName as string | undefined) ?? (lead.name as string);
  const writes: RecordWrite[] = [
    await planCreation(actor, companySchema, parseFields(companySchema.create, { name: companyName }, 'company'), at, { id: ids.companyId }),
    await planCreation(
      actor,
      contactSchema,
      parseFields(contactSchema.create, defined({ name: lead.name, position: lead.position, emails: list(lead.email), phones: list(lead.phone), companyIds: [ids.companyId] }), 'contact'),
      at,
      { id: ids.contactId, pending },
    ),
  ];
  if (ids.dealId) {
    const fields = parseFields(dealSchema.create, { name: companyName, ...deal, companyId: ids.companyId, contactIds: [ids.contactId, ...((deal?.contactIds as string[]) ?? [])] }, 'deal');
    writes.push(await planCreation(actor, dealSchema, fields, at, { id: ids.dealId, pending }));
  }
  const convertedTo: ConvertedTo = defined(ids) as ConvertedTo;
  const leadWrite = await planChange(actor, leadSchema, lead, version, { status: 'converted', convertedTo }, at);
  try {
    await commit(actor, [...writes, leadWrite]);
  } catch (err) {
    // Another request converted it first: theirs is the conversion.
    if (err instanceof VersionConflictError && err.current.convertedTo) return earlierConversion(actor, err.current);
    throw err;
  }
  const [company, contact, dealRecord] = writes.map((write, i) => present(write.record, [companySchema, contactSchema, dealSchema][i]));
  return { lead: present(leadWrite.record, leadSchema), company, contact, deal: dealRecord, replayed: false };
}

async function earlierConversion(actor: Actor, lead: StoredRecord): Promise<Conversion> {
  const to = lead.convertedTo as ConvertedTo;
  const read = async (type: string, id: string | undefined) => (id ? ((await readRecord(actor.tenant, type, id)) ?? { id }) : undefined);
  const [company, contact, deal] = await Promise.all([read('COMPANY', to.companyId), read('CONTACT', to.contactId), read('DEAL', to.dealId)]);
  return { lead, company: company as StoredRecord, contact: contact as StoredRecord, deal: deal as StoredRecord | undefined, replayed: true };
}

const list = (value: unknown) => (value ? [value] : undefined);

function defined(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}

