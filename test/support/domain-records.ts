/**
 * Records written through the domain in the test's own process, as the record routes write them
 * (fields parsed by the tenant's schema of the type, then created or changed by records.ts), for
 * set-up data whose writing is not what the test tries. No HTTP round trip and no body limit
 * (256 KiB: a record of 350 KB is made in one write), and many records a few to a transaction,
 * as an import writes its rows. The cloud must run in this process (startTestCloud): its
 * environment names the table.
 */
import { systemActor } from '../../functions/access/actor.ts';
import type { StoredRecord } from '../../functions/records/errors.ts';
import { commit } from '../../functions/records/repository.ts';
import { transactionGroups } from '../../functions/records/transaction-groups.ts';
import { createRecord, planCreation, updateRecord } from '../../functions/records/records.ts';
import { recordSchemaFor } from '../../functions/records/record-schema.ts';
import { recordTypeNamed } from '../../functions/records/record-types.ts';
import { inParallel } from '../../functions/in-parallel.ts';

type Fields = Record<string, unknown>;

export interface DomainRecords {
  create(fields: Fields): Promise<StoredRecord>;
  /** Changes fields of a record at `version`; the record as it is then. */
  update(id: string, version: number, fields: Fields): Promise<StoredRecord>;
  /** Creates many records, a transaction for as many as fit one: the records, in order. */
  createMany(list: Fields[]): Promise<StoredRecord[]>;
}

/**
 * Writes records of the type (`company`) in the tenant, owned by and written as `sub`. The
 * schema is read once: define custom fields first.
 */
export async function domainRecords(tenant: string, sub: string, typeName: string): Promise<DomainRecords> {
  const actor = systemActor(tenant, sub);
  const schema = await recordSchemaFor(tenant, recordTypeNamed(typeName)!);
  return {
    create: (fields) => createRecord(actor, schema, schema.create.parse(fields)),
    update: (id, version, fields) => updateRecord(actor, schema, id, version, schema.patch.parse({ version, fields }).fields),
    async createMany(list) {
      const at = new Date().toISOString();
      const writes = await Promise.all(list.map((fields) => planCreation(actor, schema, schema.create.parse(fields), at)));
      await inParallel(transactionGroups(writes, (write) => write), 4, (group) => commit(actor, group));
      return writes.map((write) => write.record);
    },
  };
}
