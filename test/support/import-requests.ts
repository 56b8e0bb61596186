/** What the import tests share: sending a file's bytes as they are, by the request body or by upload, and waiting for its job. */
import { expect } from 'vitest';
import { ImportJob, ImportUpload } from '../../functions/contracts/imports.ts';
import type { ApiClient, ApiResponse } from './cloud.ts';

export type FileBytes = string | Buffer;

/**
 * `POST /api/imports?<query>` with the file as the body. As bytes (`application/octet-stream`),
 * as the import dialog sends a file: a body typed as text reaches the function already decoded
 * by the gateway (as UTF-8), which is no test of reading a file's encoding.
 */
export function postFile(client: ApiClient, query: string, file: FileBytes, contentType = 'application/octet-stream'): Promise<ApiResponse> {
  return client.request('POST', `/api/imports?${query}`, typeof file === 'string' ? file : new Uint8Array(file), { 'content-type': contentType });
}

/** Uploads the file to the files bucket (a presigned PUT) and answers its upload id. */
export async function uploadFile(client: ApiClient, plural: string, file: FileBytes): Promise<string> {
  const bytes = typeof file === 'string' ? Buffer.from(file) : file;
  const answer = await client.post('/api/imports/uploads', { type: plural, fileName: `${plural}.csv`, size: bytes.length });
  expect(answer.status, answer.text).toBe(201);
  const target = ImportUpload.parse(answer.json);
  const put = await fetch(target.url, { method: target.method, headers: target.headers, body: new Uint8Array(bytes) });
  expect(put.status, await put.text()).toBe(200);
  return target.upload;
}

/** The job once it is no longer running. */
export async function finishedJob(client: ApiClient, id: string): Promise<ImportJob> {
  let job: ImportJob | undefined;
  await expect
    .poll(async () => {
      job = ImportJob.parse((await client.get(`/api/imports/${id}`)).json);
      return job.status;
    }, { timeout: 60_000, interval: 200 })
    .not.toBe('running');
  return job!;
}

/** Imports the file through the files bucket and the csv-import workflow; the finished job. */
export async function importUploaded(client: ApiClient, query: string, file: FileBytes): Promise<ImportJob> {
  const plural = new URLSearchParams(query).get('type')!;
  const upload = await uploadFile(client, plural, file);
  const started = await client.request('POST', `/api/imports?${query}&upload=${upload}`);
  expect(started.status, started.text).toBe(202);
  return finishedJob(client, started.json.id);
}

/** Every live record of a type (all pages). */
export async function allRecords(client: ApiClient, plural: string): Promise<any[]> {
  const items: any[] = [];
  let cursor = '';
  do {
    const page = (await client.get(`/api/${plural}?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)).json;
    items.push(...page.items);
    cursor = page.nextCursor ?? '';
  } while (cursor);
  return items;
}
