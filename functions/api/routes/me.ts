import type { Me } from '../../contracts/auth.ts';
import { json } from '../http.ts';
import type { Route } from '../router.ts';

/** GET /api/me: the caller as the verified token describes them. */
export const meRoute: Route = {
  method: 'GET',
  path: '/api/me',
  handle: async ({ caller }) => json(200, { sub: caller.sub, email: caller.email, tenant: caller.tenant, groups: caller.groups } satisfies Me),
};
