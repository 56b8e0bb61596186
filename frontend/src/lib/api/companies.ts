import { Company, companyType, type CompanyFields } from '$contracts/company.ts';
import type { ApiClient } from './api-client.ts';
import { recordsApi } from './records.ts';

export function companiesApi(api: ApiClient) {
  const records = recordsApi(api, companyType, Company);
  return {
    /** Every company of the tenant, page after page. */
    listAll: records.listAll,
    create: (fields: CompanyFields) => records.create(fields),
    /** Changes fields only if the company is still at `version`; else ApiError 409 with `current`. */
    update: (id: string, version: number, fields: Partial<CompanyFields>) => records.update(id, version, fields),
  };
}
