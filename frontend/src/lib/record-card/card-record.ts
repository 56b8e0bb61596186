/**
 * A record of any type as the card reads it: the metadata every record has, and whatever fields
 * its type and the tenant's custom fields give it (checked field by field when shown or saved).
 */
import { z } from 'zod';
import { recordOf } from '$contracts/record.ts';
import type { ApiClient } from '../api/api-client.ts';
import { recordsApi } from '../api/records.ts';
import type { UiRecordType } from '../records/record-types.ts';

export const CardRecord = recordOf(z.object({ name: z.string().optional() }));
export type CardRecord = z.infer<typeof CardRecord>;

export const cardRecordsApi = (api: ApiClient, type: UiRecordType) => recordsApi(api, type.info, CardRecord);
