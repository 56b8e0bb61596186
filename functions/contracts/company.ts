import { z } from 'zod';
import { patchBody, ListResponse, recordOf } from './record.ts';
import { defineRecordType } from './record-type.ts';
import { Domain, Email, Phone, Tags } from './values.ts';
import { Name, Text } from './text.ts';

export const Address = z.strictObject({
  street: Text(200).optional(),
  city: Text(100).optional(),
  postalCode: Text(20).optional(),
  region: Text(100).optional(),
  /** ISO 3166-1 alpha-2. */
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'must be a two-letter country code like DE').optional(),
});

/** The fields of a company (a counterparty) a user may set; `null` clears one in a PATCH. */
export const CompanyFields = z.strictObject({
  name: Name(200),
  domain: Domain.nullable().optional(),
  taxId: Name(50).nullable().optional(),
  industry: Text(100).nullable().optional(),
  /** Number of employees. */
  size: z.number().int().min(0).max(10_000_000).nullable().optional(),
  address: Address.nullable().optional(),
  phones: z.array(Phone).max(20).nullable().optional(),
  emails: z.array(Email).max(20).nullable().optional(),
  tags: Tags.nullable().optional(),
});
export type CompanyFields = z.infer<typeof CompanyFields>;

export const companyType = defineRecordType({
  name: 'company',
  plural: 'companies',
  key: 'COMPANY',
  fields: CompanyFields,
  search: [
    { field: 'name', kind: 'name' },
    { field: 'domain', kind: 'domain' },
    { field: 'emails', kind: 'email' },
    { field: 'phones', kind: 'phone' },
  ],
  duplicates: [['domain'], ['taxId']],
  relations: [],
});

export const Company = recordOf(CompanyFields);
export type Company = z.infer<typeof Company>;

export const CreateCompanyBody = CompanyFields;
export const PatchCompanyBody = patchBody(CompanyFields);
export type PatchCompanyBody = z.infer<typeof PatchCompanyBody>;
export const CompanyList = ListResponse(Company);
