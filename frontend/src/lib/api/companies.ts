import { Company, CompanyList, type CompanyFields } from '$contracts/company.ts';
import type { ApiClient } from './api-client.ts';

export function companiesApi(api: ApiClient) {
  return {
    list: () => api.request('GET', '/api/companies', CompanyList),
    create: (fields: CompanyFields) => api.request('POST', '/api/companies', Company, fields),
    /** Changes fields only if the company is still at `version`; else ApiError 409 with `current`. */
    update: (id: string, version: number, fields: Partial<CompanyFields>) =>
      api.request('PATCH', `/api/companies/${encodeURIComponent(id)}`, Company, { version, fields }),
  };
}
