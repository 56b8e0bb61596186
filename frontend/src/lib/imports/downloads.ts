/** Files the browser saves: a CSV the server answered (an export, an import's error file), or a link to one. */
import { ExportLink } from '$contracts/exports.ts';

/** Saves a CSV the server answered: the file itself, or the link to it when it was too large for an answer (also the import's error file). */
export async function saveCsv(response: Response, fallbackName: string): Promise<void> {
  if (response.headers.get('content-type')?.includes('application/json')) {
    const link = ExportLink.parse(await response.json());
    download(link.url, link.fileName);
    return;
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  download(await response.blob(), name);
}

/** Saves a file the browser has (a blob, or a link) under `name`. */
export function download(what: Blob | string, name: string) {
  const link = document.createElement('a');
  link.href = typeof what === 'string' ? what : URL.createObjectURL(what);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  if (typeof what !== 'string') setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
