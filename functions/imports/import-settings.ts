/**
 * How an import reads and writes (contracts/imports.ts `ImportSettings`), settled when it starts
 * and kept on its job: what the request asked, else the tenant's default country and that
 * country's way of writing numbers. And what the importer must be allowed for it: an update
 * changes records (`update`, and no field the role may only read), creating missing related
 * records creates them (`create` on their type).
 */
import type { CountryCode } from 'libphonenumber-js';
import { localeOfCountry, type ImportSettings } from '../contracts/imports.ts';
import { assertCan, assertWritable, type Principal } from '../access/permissions.ts';
import { FIRST_NAME, LAST_NAME, type ColumnMapping } from '../csv/columns.ts';
import type { RecordSchema } from '../records/record-schema.ts';
import { recordTypeWithKey } from '../records/record-types.ts';
import { tenantSettings } from '../settings/tenant-settings.ts';

export const DEFAULT_IMPORT_SETTINGS: ImportSettings = { mode: 'create', locale: 'en', createMissing: false };

export async function importSettings(tenant: string, asked: Partial<ImportSettings>): Promise<ImportSettings> {
  const country = asked.country ?? (await tenantSettings(tenant)).defaultCountry ?? undefined;
  return {
    mode: asked.mode ?? DEFAULT_IMPORT_SETTINGS.mode,
    ...(country ? { country: country as CountryCode } : {}),
    locale: asked.locale ?? localeOfCountry(country),
    createMissing: asked.createMissing ?? false,
  };
}

/** Refuses (403) what the importer's role does not allow for these columns and settings. */
export function assertMayImport(principal: Principal, schema: RecordSchema, mapping: ColumnMapping, settings: ImportSettings): void {
  const fields = [...new Set(mapping.fields.map((field) => (field === FIRST_NAME || field === LAST_NAME ? 'name' : field)).filter((field): field is string => !!field))];
  if (settings.mode === 'update') {
    assertCan(principal, 'update', schema.type.name);
    assertWritable(principal, schema.type.name, fields);
  }
  if (settings.createMissing) {
    for (const relation of schema.relations) {
      if (!fields.includes(relation.path.split('.')[0])) continue;
      assertCan(principal, 'create', recordTypeWithKey(relation.target)?.name ?? relation.target);
    }
  }
}
