import { Company, CompanyList, type CompanyFields } from '$contracts/company.ts';
import type { ApiClient } from './api-client.ts';

export function companiesApi(api: ApiClient) {
  return {
    /** Every company of the tenant, page after page. */
    async listAll(): Promise<Company[]> {
      const companies: Company[] = [];
      let cursor: string | undefined;
      do {
        const query = cursor ? `?limit=1000&cursor=${encodeURIComponent(cursor)}` : '?limit=1000';
        const page = await api.request('GET', `/api/companies${query}`, CompanyList);
        companies.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return companies;
    },
    create: (fields: CompanyFields) => api.request('POST', '/api/companies', Company, fields),
    /** Changes fields only if the company is still at `version`; else ApiError 409 with `current`. */
    update: (id: string, version: number, fields: Partial<CompanyFields>) =>
      api.request('PATCH', `/api/companies/${encodeURIComponent(id)}`, Company, { version, fields }),
  };
}
