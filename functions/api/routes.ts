/** Every route of the API Lambda. Tests enumerate this table, so a new route cannot be forgotten. */
import { CreateCompanyBody, PatchCompanyBody } from '../contracts/company.ts';
import type { Route } from './router.ts';
import { recordRoutes } from './routes/records.ts';
import { meRoute } from './routes/me.ts';
import { changesRoute } from './routes/changes.ts';

export const ROUTES: readonly Route[] = [
  meRoute,
  changesRoute,
  ...recordRoutes({ type: 'COMPANY', basePath: '/api/companies', createBody: CreateCompanyBody, patchBody: PatchCompanyBody }),
];
