/**
 * The Export button's download: the view as the grid shows it, saved or not (its visible columns,
 * filters, order and quick search: `POST /api/views/{type}/export.csv`), or all of the type's
 * records without one. A file too large for one response comes as a link to the files bucket
 * instead (ExportLink), which the browser downloads the same way.
 */
import { UnsavedViewExportBody } from '$contracts/exports.ts';
import type { ApiClient } from '../api/api-client.ts';
import type { UiRecordType } from '../records/record-types.ts';
import { saveCsv } from './downloads.ts';

export async function exportCsv(api: ApiClient, type: UiRecordType, view?: UnsavedViewExportBody): Promise<void> {
  const response = view ? await api.respond('POST', `/api/views/${type.info.name}/export.csv`, UnsavedViewExportBody.parse(view)) : await api.respond('GET', `/api/${type.info.plural}/export.csv`);
  await saveCsv(response, `${type.info.plural}.csv`);
}
