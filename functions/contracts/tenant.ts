/** The tenant as its administrators name it (`GET`/`PATCH /api/tenant`): the company invitations name. */
import { z } from 'zod';
import { Name } from './text.ts';

/** The most characters of a company name (the invitation's subject carries it). */
export const TENANT_NAME_MAX = 100;

export const Tenant = z.object({
  /** The company's name; the tenant's id until an administrator sets one. */
  name: z.string(),
  /** 0 until an administrator first names the tenant. */
  version: z.number().int().min(0),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
export type Tenant = z.infer<typeof Tenant>;

export const PatchTenantBody = z.strictObject({
  /** The version the administrator saw (0 for a tenant never named). */
  version: z.number().int().min(0),
  name: Name(TENANT_NAME_MAX),
});
export type PatchTenantBody = z.infer<typeof PatchTenantBody>;
