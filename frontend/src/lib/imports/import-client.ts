/**
 * A CSV file's way into the API. A file up to the gateway's body limit is checked (dry run) as
 * the request body: an answer at once. The import itself goes through the files bucket for any
 * size (`POST /api/imports/uploads`, a presigned PUT, then `POST /api/imports?upload=`): it runs
 * after the answer and can be resumed, and the job is polled for the progress bar. A larger file
 * takes the bucket for its dry run too.
 */
import Papa from 'papaparse';
import { headerOf, headText } from '$contracts/csv-file.ts';
import { ImportJob, ImportUpload } from '$contracts/imports.ts';
import { ApiError, type ApiClient } from '../api/api-client.ts';

/** The gateway refuses request bodies over 1 MiB (API Gateway allows 10 MB, Lambda 6 MB). */
export const DIRECT_LIMIT = 1024 * 1024;
/** How often a running job is asked for its progress. */
export const POLL_MS = 400;

export type Mapping = Record<string, string | null>;

export class ImportFile {
  #upload: Promise<string> | undefined;

  constructor(
    private readonly api: ApiClient,
    /** The record type, plural: `contacts`. */
    private readonly plural: string,
    readonly file: File,
    /** What PUTs the file to the bucket's presigned URL (no API token goes there). */
    private readonly put: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** The header row, read from the start of the file as the server reads it (for the mapping while no dry run answered). */
  async header(): Promise<string[]> {
    const head = headText(new Uint8Array(await this.file.slice(0, 64 * 1024).arrayBuffer()));
    return 'refused' in head ? [] : headerOf(head.text).filter(Boolean);
  }

  /** Everything an import would do, but writing nothing: counts, first errors, the mapping. */
  async dryRun(mapping: Mapping, onProgress?: (job: ImportJob) => void): Promise<ImportJob> {
    if (this.file.size <= DIRECT_LIMIT) {
      // As bytes: a text body would reach the server decoded as UTF-8, and a Latin-1 file broken.
      return this.api.request('POST', this.path({ dryRun: 'true', mapping }), ImportJob, this.api.rawBody(this.file, 'application/octet-stream'));
    }
    const job = await this.api.request('POST', this.path({ upload: await this.uploaded(), dryRun: 'true', mapping }), ImportJob);
    return this.finished(job, onProgress);
  }

  /** Starts the import; `onProgress` sees the job after every batch; answers the finished job. */
  async run(mapping: Mapping, onProgress: (job: ImportJob) => void, signal?: AbortSignal): Promise<ImportJob> {
    const job = await this.api.request('POST', this.path({ upload: await this.uploaded(), mapping }), ImportJob);
    return this.finished(job, onProgress, signal);
  }

  private path(query: { upload?: string; dryRun?: string; mapping: Mapping }): string {
    const params = new URLSearchParams({ type: this.plural });
    if (query.upload) params.set('upload', query.upload);
    if (query.dryRun) params.set('dryRun', query.dryRun);
    if (Object.keys(query.mapping).length > 0) params.set('mapping', JSON.stringify(query.mapping));
    return `/api/imports?${params}`;
  }

  /** The file in the bucket, uploaded once however often it is checked and imported. */
  private uploaded(): Promise<string> {
    this.#upload ??= this.upload().catch((err) => {
      this.#upload = undefined;
      throw err;
    });
    return this.#upload;
  }

  private async upload(): Promise<string> {
    const target = await this.api.request('POST', '/api/imports/uploads', ImportUpload, { type: this.plural, fileName: this.file.name || 'import.csv', size: this.file.size });
    let response: Response;
    try {
      response = await this.put(target.url, { method: target.method, headers: target.headers, body: this.file });
    } catch {
      throw new ApiError(0, 'NetworkError', 'Could not upload the file. Check your connection and try again.');
    }
    if (!response.ok) throw new ApiError(response.status, 'UploadFailed', `The file could not be uploaded (HTTP ${response.status}).`);
    return target.upload;
  }

  private async finished(job: ImportJob, onProgress?: (job: ImportJob) => void, signal?: AbortSignal): Promise<ImportJob> {
    let current = job;
    onProgress?.(current);
    while (current.status === 'running') {
      if (signal?.aborted) return current;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      current = await this.api.request('GET', `/api/imports/${encodeURIComponent(job.id)}`, ImportJob);
      onProgress?.(current);
    }
    return current;
  }
}

/** The row errors of an import as a CSV file a person can open next to theirs. */
export const errorReport = (errors: ImportJob['errors']): Blob =>
  new Blob([Papa.unparse({ fields: ['Line', 'Reason'], data: errors.map((e) => [e.line, e.reason]) })], { type: 'text/csv;charset=utf-8' });

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
