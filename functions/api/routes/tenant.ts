/** The tenant itself: its name, which everyone may read and administrators change. */
import { PatchTenantBody, type Tenant } from '../../contracts/tenant.ts';
import { renameTenant, tenantProfile } from '../../tenants/tenant-name.ts';
import { json, readBody } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';

export const tenantRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/tenant',
    access: access.signedIn('the name of the caller\'s own company'),
    handle: async ({ principal }) => json(200, (await tenantProfile(principal.tenant)) satisfies Tenant),
  },
  {
    method: 'PATCH',
    path: '/api/tenant',
    access: access.administer,
    handle: async (request) => json(200, (await renameTenant(request.principal, readBody(request.event, PatchTenantBody))) satisfies Tenant),
  },
];
