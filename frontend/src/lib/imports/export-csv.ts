/**
 * The Export button's download: the current saved view (its columns, filters and order), or all
 * of the type's records when no view is saved. A file too large for one response comes as a
 * link to the files bucket instead (ExportLink), which the browser downloads the same way.
 */
import { ExportLink } from '$contracts/exports.ts';
import type { ApiClient } from '../api/api-client.ts';
import type { UiRecordType } from '../grid/record-types.ts';
import { download } from './import-client.ts';

export async function exportCsv(api: ApiClient, type: UiRecordType, viewId?: string): Promise<void> {
  const path = viewId ? `/api/views/${type.info.name}/${encodeURIComponent(viewId)}/export.csv` : `/api/${type.info.plural}/export.csv`;
  const response = await api.respond('GET', path);
  if (response.headers.get('content-type')?.includes('application/json')) {
    const link = ExportLink.parse(await response.json());
    download(link.url, link.fileName);
    return;
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${type.info.plural}.csv`;
  download(await response.blob(), name);
}
