/**
 * The tenant's name, the company its invitations name: one item (`T#<tenant>#TENANTS` / `NAME`),
 * versioned and audited like every administrative item (tenant-items/tenant-items.ts). A tenant never
 * named is called by its id, at version 0.
 */
import type { AuditActor } from '../audit/audit-log.ts';
import { TenantItemConflictError, TenantItemExistsError, TenantItemNotFoundError, TenantItems } from '../tenant-items/tenant-items.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import type { PatchTenantBody, Tenant } from '../contracts/tenant.ts';

const ID = 'NAME';
const names = new TenantItems<Tenant & { id: string }>('tenant', ITEM_KINDS.tenants, (item) => item.id);

export async function tenantProfile(tenant: string): Promise<Tenant> {
  const stored = await names.find(tenant, ID);
  if (!stored) return { name: tenant, version: 0 };
  const { id, ...rest } = stored;
  return rest;
}

/** What invitations call the tenant. */
export async function tenantName(tenant: string): Promise<string> {
  return (await tenantProfile(tenant)).name;
}

export async function renameTenant(actor: AuditActor, { version, name }: PatchTenantBody): Promise<Tenant> {
  const next = { id: ID, name, version: version + 1, updatedAt: new Date().toISOString(), updatedBy: actor.sub };
  const event = { action: 'tenant.rename', target: 'tenant', details: { name } };
  try {
    if (version === 0) {
      const { id, ...saved } = await names.create(actor, next, event);
      return saved;
    }
    const { id, ...saved } = await names.replace(actor, version, next, event);
    return saved;
  } catch (err) {
    // Two administrators naming the tenant for the first time at once (the second saw version 0,
    // which is gone), or a version of a tenant never named: either way, say what it is now.
    if (err instanceof TenantItemExistsError || err instanceof TenantItemNotFoundError) throw new TenantItemConflictError(0, await tenantProfile(actor.tenant));
    throw err;
  }
}
