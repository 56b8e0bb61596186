/**
 * CSV export: what `GET .../export.csv` answers when the file is larger than one response may
 * carry (functions/exports/export-delivery.ts). Smaller exports are the CSV itself (text/csv);
 * this one is JSON: download `url` (a presigned GET of the files bucket) before `expiresAt`.
 */
import { z } from 'zod';
import { ViewFields } from './views.ts';

export const ExportLink = z.object({
  url: z.string(),
  expiresAt: z.string(),
  /** The file's size in bytes. */
  bytes: z.number().int(),
  fileName: z.string(),
});
export type ExportLink = z.infer<typeof ExportLink>;

/**
 * The body of `POST /api/views/{type}/export.csv`: the view as the grid shows it, saved or not,
 * as for its rows (`POST /api/views/{type}/rows`, without `ids`), and the quick search.
 */
export const UnsavedViewExportBody = ViewFields.partial({ name: true }).extend({
  search: z.string().max(200).optional(),
});
export type UnsavedViewExportBody = z.infer<typeof UnsavedViewExportBody>;
