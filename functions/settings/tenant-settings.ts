/**
 * The tenant's settings: one item (`T#<tenant>#SETTINGS` / `TENANT`), versioned and audited like
 * every administrative item (tenant-items/tenant-items.ts). A tenant that never saved them has the
 * defaults, at version 0.
 */
import type { AuditActor } from '../audit/audit-log.ts';
import { TenantItemConflictError, TenantItemExistsError, TenantItems } from '../tenant-items/tenant-items.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import type { PatchSettingsBody, TenantSettings } from '../contracts/settings.ts';

const ID = 'TENANT';
const settings = new TenantItems<TenantSettings & { id: string }>('setting', ITEM_KINDS.settings, (item) => item.id);

export const DEFAULT_SETTINGS: TenantSettings = { defaultCountry: null, version: 0 };

export async function tenantSettings(tenant: string): Promise<TenantSettings> {
  const stored = await settings.find(tenant, ID);
  if (!stored) return DEFAULT_SETTINGS;
  const { id, ...rest } = stored;
  return { ...DEFAULT_SETTINGS, ...rest };
}

export async function changeSettings(actor: AuditActor, { version, fields }: PatchSettingsBody): Promise<TenantSettings> {
  const next = { ...DEFAULT_SETTINGS, ...(version === 0 ? {} : await settings.atVersion(actor.tenant, ID, version)), ...fields, id: ID, version: version + 1, updatedAt: new Date().toISOString(), updatedBy: actor.sub };
  const event = { action: 'settings.change', target: 'settings', details: fields };
  try {
    const { id, ...saved } = version === 0 ? await settings.create(actor, next, event) : await settings.replace(actor, version, next, event);
    return saved;
  } catch (err) {
    // Two administrators saving for the first time at once: the second saw version 0, which is gone.
    if (err instanceof TenantItemExistsError) throw new TenantItemConflictError(0, await tenantSettings(actor.tenant));
    throw err;
  }
}
