import { describe, expect, it } from 'vitest';
import { createApiClient } from '../api/api-client.ts';
import { jsonResponse, scriptedFetch } from '../api/scripted-fetch.ts';
import { DIRECT_LIMIT, ImportFile } from './import-client.ts';

const UPLOAD = '01ARZ3NDEKTSV4RRFFQ69G5FAA';
const job = (fields: Record<string, unknown>) => ({
  id: UPLOAD,
  type: 'contact',
  status: 'done',
  dryRun: false,
  rowsRead: 0,
  ok: 0,
  bad: 0,
  duplicates: 0,
  errors: [],
  duplicateRows: [],
  ignoredColumns: [],
  startedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'u',
  ...fields,
});
const uploadTarget = { upload: UPLOAD, url: 'https://bucket.example/put', method: 'PUT', headers: { 'content-type': 'text/csv' }, expiresAt: '2026-01-01T01:00:00.000Z' };

function setup(...answers: Response[]) {
  const api = scriptedFetch(...answers);
  const bucket = scriptedFetch(new Response(null, { status: 200 }), new Response(null, { status: 200 }));
  return { client: createApiClient({ baseUrl: '', token: async () => 't', fetch: api.fetch }), calls: api.calls, bucket };
}

describe('ImportFile', () => {
  it('checks a small file as the request body, and imports it through one upload, polling the job', async () => {
    const { client, calls, bucket } = setup(
      jsonResponse(200, job({ dryRun: true, rowsRead: 2, ok: 2 })),
      jsonResponse(201, uploadTarget),
      jsonResponse(202, job({ status: 'running' })),
      jsonResponse(200, job({ status: 'running', rowsRead: 1 })),
      jsonResponse(200, job({ rowsRead: 2, ok: 2 })),
    );
    const file = new ImportFile(client, 'contacts', new File(['Name\nAda\nBob\n'], 'people.csv', { type: 'text/csv' }), bucket.fetch);
    expect(await file.header()).toEqual(['Name']);
    await file.dryRun({ Mail: null });
    expect(calls[0].url).toBe(`/api/imports?type=contacts&dryRun=true&mapping=${encodeURIComponent('{"Mail":null}')}`);
    expect(calls[0].init.body).toBeInstanceOf(File);

    const seen: number[] = [];
    const done = await file.run({}, (progress) => seen.push(progress.rowsRead));
    expect(done).toMatchObject({ status: 'done', ok: 2 });
    expect(seen).toEqual([0, 1, 2]);
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ type: 'contacts', fileName: 'people.csv', size: 13 });
    expect(bucket.calls).toHaveLength(1);
    expect(bucket.calls[0]).toMatchObject({ url: uploadTarget.url, init: { method: 'PUT', headers: { 'content-type': 'text/csv' } } });
    expect(calls[2].url).toBe(`/api/imports?type=contacts&upload=${UPLOAD}`);
    expect(calls.slice(3).map((c) => c.url)).toEqual([`/api/imports/${UPLOAD}`, `/api/imports/${UPLOAD}`]);
  });

  it('polls the dry run of a small file of many rows, which the server checks after its answer (202)', async () => {
    const { client, calls } = setup(jsonResponse(202, job({ dryRun: true, status: 'running' })), jsonResponse(200, job({ dryRun: true, rowsRead: 3, ok: 3 })));
    const file = new ImportFile(client, 'contacts', new File(['Name\nAda\nBob\nCy\n'], 'people.csv', { type: 'text/csv' }));
    const seen: string[] = [];
    expect(await file.dryRun({}, undefined, (progress) => seen.push(progress.status))).toMatchObject({ status: 'done', ok: 3 });
    expect(seen).toEqual(['running', 'done']);
    expect(calls.map((c) => c.url)).toEqual(['/api/imports?type=contacts&dryRun=true', `/api/imports/${UPLOAD}`]);
  });

  it('uploads a file over the body limit for its dry run too, once for both', async () => {
    const { client, calls, bucket } = setup(
      jsonResponse(201, uploadTarget),
      jsonResponse(202, job({ id: 'dry', dryRun: true, rowsRead: 5 })),
      jsonResponse(202, job({ rowsRead: 5, ok: 5 })),
    );
    const big = new File(['Name\n', 'x'.repeat(DIRECT_LIMIT)], 'big.csv', { type: 'text/csv' });
    const file = new ImportFile(client, 'contacts', big, bucket.fetch);
    expect(await file.dryRun({})).toMatchObject({ dryRun: true, rowsRead: 5 });
    expect(await file.run({}, () => undefined)).toMatchObject({ ok: 5 });
    expect(calls.map((c) => c.url)).toEqual(['/api/imports/uploads', `/api/imports?type=contacts&upload=${UPLOAD}&dryRun=true`, `/api/imports?type=contacts&upload=${UPLOAD}`]);
    expect(bucket.calls).toHaveLength(1);
  });
});
