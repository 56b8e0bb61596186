/**
 * A CSV file's way into the API. A file up to the gateway's body limit is checked (dry run) as
 * the request body: an answer at once, or for a file of many rows a job that runs on (202), polled. The import itself goes through the files bucket for any
 * size (`POST /api/imports/uploads`, a presigned PUT, then `POST /api/imports?upload=`): it runs
 * after the answer and can be resumed, and the job is polled for the progress bar. A larger file
 * takes the bucket for its dry run too.
 */
import { headerOf, headText } from '$contracts/csv-file.ts';
import { ImportJob, ImportUpload, RememberedMapping, type ImportSettings } from '$contracts/imports.ts';
import { TenantSettings } from '$contracts/settings.ts';
import { ApiError, type ApiClient } from '../api/api-client.ts';
import { saveCsv } from './downloads.ts';

/** The gateway refuses request bodies over 1 MiB (API Gateway allows 10 MB, Lambda 6 MB). */
export const DIRECT_LIMIT = 1024 * 1024;
/** How often a running job is asked for its progress. */
export const POLL_MS = 400;

export type Mapping = Record<string, string | null>;

/** How the file is read and written (the import's settings, as the query sends them). */
export type ImportChoices = Pick<ImportSettings, 'mode' | 'createMissing'> & { country?: string; locale?: string };

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
  async dryRun(mapping: Mapping, choices?: ImportChoices, onProgress?: (job: ImportJob) => void): Promise<ImportJob> {
    if (this.file.size <= DIRECT_LIMIT) {
      // As bytes: a text body would reach the server decoded as UTF-8, and a Latin-1 file broken.
      // A body of many rows is checked after the answer (202, the job running): polled as an upload's.
      const job = await this.api.request('POST', this.path({ dryRun: 'true', mapping, choices }), ImportJob, this.api.rawBody(this.file, 'application/octet-stream'));
      return this.finished(job, onProgress);
    }
    const job = await this.api.request('POST', this.path({ upload: await this.uploaded(), dryRun: 'true', mapping, choices }), ImportJob);
    return this.finished(job, onProgress);
  }

  /** Starts the import; `onProgress` sees the job after every batch; answers the finished job. */
  async run(mapping: Mapping, onProgress: (job: ImportJob) => void, signal?: AbortSignal, choices?: ImportChoices): Promise<ImportJob> {
    const job = await this.api.request('POST', this.path({ upload: await this.uploaded(), mapping, choices }), ImportJob);
    return this.finished(job, onProgress, signal);
  }

  private path(query: { upload?: string; dryRun?: string; mapping: Mapping; choices?: ImportChoices }): string {
    const params = new URLSearchParams({ type: this.plural });
    if (query.upload) params.set('upload', query.upload);
    if (query.dryRun) params.set('dryRun', query.dryRun);
    if (Object.keys(query.mapping).length > 0) params.set('mapping', JSON.stringify(query.mapping));
    const { mode, country, locale, createMissing } = query.choices ?? {};
    if (mode && mode !== 'create') params.set('mode', mode);
    if (country) params.set('country', country);
    if (locale) params.set('locale', locale);
    if (createMissing) params.set('createMissing', 'true');
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

/** What the user chose for files of the type before (`GET /api/imports/mappings/{type}`), and the tenant's default country. */
export async function importDefaults(api: ApiClient, typeName: string): Promise<{ remembered: RememberedMapping; defaultCountry: string | null }> {
  const [remembered, settings] = await Promise.all([api.request('GET', `/api/imports/mappings/${typeName}`, RememberedMapping), api.request('GET', '/api/settings', TenantSettings)]);
  return { remembered, defaultCountry: settings.defaultCountry };
}

/** The import's error file: its rows not imported as they were, as in the file, with their record's Id and the Reason. */
export async function downloadErrorFile(api: ApiClient, job: ImportJob, plural: string): Promise<void> {
  await saveCsv(await api.respond('GET', `/api/imports/${encodeURIComponent(job.id)}/errors.csv`), `${plural}-import-errors.csv`);
}
