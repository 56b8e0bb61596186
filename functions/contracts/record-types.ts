/**
 * The record types, in the order the app lists them: the one list of them. Each is described
 * as data beside its schema (company.ts, contact.ts, ...). The server adds what it computes of
 * a type's records (records/record-types.ts), the UI its labels and default columns by type
 * name (frontend lib/grid/record-types.ts), and roles name the types by `name` (roles.ts).
 */
import { companyType } from './company.ts';
import { contactType } from './contact.ts';
import { leadType } from './lead.ts';
import { dealType } from './deal.ts';
import { productType } from './product.ts';
import { activityType } from './activity.ts';

export const RECORD_TYPE_INFOS = [companyType, contactType, leadType, dealType, productType, activityType] as const;

/** Every type's singular name (`company`): what roles and the API's bodies name a type by. */
export const RECORD_TYPE_NAMES: readonly string[] = RECORD_TYPE_INFOS.map((type) => type.name);
