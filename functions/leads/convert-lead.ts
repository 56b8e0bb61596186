/**
 * Converting a lead makes a company, a contact at it and (unless declined) a deal with both,
 * and marks the lead converted, in one TransactWriteItems with a history item for each: all
 * four exist afterwards, or none does.
 *
 * Idempotent under retry: the lead keeps what it became (`convertedTo`), and a conversion of a
 * lead already converted answers with those records instead of making new ones. Two requests
 * racing both plan the writes, but the lead's version condition lets one transaction through;
 * the other finds the lead converted and answers the same. Those records are read as the caller
 * may see them, as any read: one handed to someone else since, trashed or purged is answered as
 * `{id, hidden: true}` (its id is on the lead, which the caller sees), never its contents.
 */
import { ulid } from 'ulid';
import type { ConvertedTo } from '../contracts/lead.ts';
import { VersionConflictError, type StoredRecord } from '../records/errors.ts';
import { commit, getRecord, visibleRecords, type RecordWrite } from '../records/repository.ts';
import type { Actor } from '../access/actor.ts';
import { assertAtVersion, planChange, planCreation } from '../records/records.ts';
import { parseFields, present, recordSchemaFor } from '../records/record-schema.ts';
import { recordTypeWithKey, type Fields } from '../records/record-types.ts';

/** A record the caller may not see, in an answer that must say which one (contracts/record.ts `HiddenRecord`). */
export interface HiddenRecord {
  id: string;
  hidden: true;
}

export interface Conversion {
  lead: StoredRecord;
  company: StoredRecord | HiddenRecord;
  contact: StoredRecord | HiddenRecord;
  deal?: StoredRecord | HiddenRecord;
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
  const parts = [['COMPANY', to.companyId], ['CONTACT', to.contactId], ['DEAL', to.dealId]].filter((part): part is [string, string] => part[1] !== undefined);
  const seen = new Map((await visibleRecords(actor, parts.map(([type, id]) => ({ type, id })))).map((record) => [record.id, record]));
  const schemas = new Map(await Promise.all([...parts, ['LEAD']].map(async ([type]) => [type, await recordSchemaFor(actor.tenant, recordTypeWithKey(type)!)] as const)));
  const shown = (type: string, id: string | undefined): StoredRecord | HiddenRecord | undefined => {
    if (id === undefined) return undefined;
    const record = seen.get(id);
    return record ? present(record, schemas.get(type)!) : { id, hidden: true };
  };
  return { lead: present(lead, schemas.get('LEAD')!), company: shown('COMPANY', to.companyId)!, contact: shown('CONTACT', to.contactId)!, deal: shown('DEAL', to.dealId), replayed: true };
}

const list = (value: unknown) => (value ? [value] : undefined);

function defined(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}

