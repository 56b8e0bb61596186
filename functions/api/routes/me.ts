import type { Me } from '../../contracts/auth.ts';
import { json } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';

/** GET /api/me: the caller as the verified token describes them, with the role and teams the directory gives them. */
export const meRoute: Route = {
  method: 'GET',
  path: '/api/me',
  access: access.signedIn('the caller themself'),
  handle: async ({ caller, principal }) =>
    json(200, { sub: caller.sub, email: caller.email, tenant: caller.tenant, groups: caller.groups, role: principal.role ?? null, teams: principal.teams } satisfies Me),
};
