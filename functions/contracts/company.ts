import { z } from 'zod';
import { RecordMeta, patchBody, ListResponse } from './record.ts';

/** The fields of a company a user may set. The walking skeleton's record; issue 4 widens it. */
export const CompanyFields = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(200),
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'must be a domain like example.com')
    .nullable()
    .optional(),
  industry: z.string().trim().max(100).nullable().optional(),
});
export type CompanyFields = z.infer<typeof CompanyFields>;

export const Company = RecordMeta.extend(CompanyFields.shape);
export type Company = z.infer<typeof Company>;

export const CreateCompanyBody = CompanyFields;
export const PatchCompanyBody = patchBody(CompanyFields);
export type PatchCompanyBody = z.infer<typeof PatchCompanyBody>;
export const CompanyList = ListResponse(Company);
