/** The tenant's settings: read by anyone of the tenant (the import dialog shows the default country), changed by an administrator. */
import { PatchSettingsBody } from '../../contracts/settings.ts';
import { changeSettings, tenantSettings } from '../../settings/tenant-settings.ts';
import { json, readBody } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';

export const settingsRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/settings',
    access: access.signedIn("the tenant's settings (the default country of phone numbers), no secrets"),
    handle: async ({ principal }) => json(200, await tenantSettings(principal.tenant)),
  },
  {
    method: 'PATCH',
    path: '/api/settings',
    access: access.administer,
    handle: async (request) => json(200, await changeSettings(request.principal, readBody(request.event, PatchSettingsBody))),
  },
];
