/**
 * Exports larger than a response may carry: written to the files bucket and answered with a
 * presigned link (the inline limit is lowered through EXPORT_INLINE_BYTES so that a few hundred
 * records are enough). The file behind the link is byte for byte the CSV the API streams inline.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExportLink } from '../../functions/contracts/exports.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('big-exports');
  const lines = ['Name,Domain,Industry,Size'];
  for (let i = 1; i <= 800; i++) lines.push(`"Company ${i}, Ltd",c${i}.example.com,${i % 2 ? 'Retail' : 'Logistics'},${i}`);
  const imported = await user.request('POST', '/api/imports?type=companies', lines.join('\n'), { 'content-type': 'text/csv' });
  expect(imported.json).toMatchObject({ ok: 800 });
});
afterAll(() => cloud?.stop());
afterEach(() => {
  delete process.env.EXPORT_INLINE_BYTES;
});

/** The export as the API streams it inline, and the same export past a lowered inline limit. */
async function bothWays(path: string): Promise<{ inline: string; link: ExportLink }> {
  const inline = await user.get(path);
  expect(inline.status, inline.text).toBe(200);
  expect(inline.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  process.env.EXPORT_INLINE_BYTES = String(Math.floor(Buffer.byteLength(inline.text) / 3));
  const linked = await user.get(path);
  expect(linked.status, linked.text).toBe(200);
  expect(linked.headers.get('content-type')).toMatch(/^application\/json/);
  return { inline: inline.text, link: ExportLink.parse(linked.json) };
}

describe('an export past the inline limit', () => {
  it('is written to the bucket and answered with a presigned link to the same bytes', async () => {
    const { inline, link } = await bothWays('/api/companies/export.csv');
    expect(link).toMatchObject({ bytes: Buffer.byteLength(inline), fileName: 'companies.csv' });
    expect(new URL(link.url).searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(link.expiresAt)).toBeGreaterThan(Date.now());

    const download = await fetch(link.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="companies.csv"');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.equals(Buffer.from(inline))).toBe(true);
    expect(inline.split('\r\n').length).toBe(802); // header, 800 rows, the final line break

    // The link opens this object only, and only by GET.
    const signature = new URL(link.url).searchParams.get('X-Amz-Signature')!;
    expect((await fetch(link.url.replace(signature, '0'.repeat(64)))).status).toBe(403);
    expect((await fetch(link.url.replace('companies.csv', 'other.csv'))).status).toBe(403);
    expect((await fetch(link.url, { method: 'PUT', body: 'replaced' })).status).toBe(403);
  });

  it('works the same for a saved view: its columns, filter and order', async () => {
    const view = await user.post('/api/views/company', { name: 'Retail by size', columns: ['name', 'size'], filters: [{ field: 'industry', op: 'eq', value: 'Retail' }], sort: [{ field: 'size', direction: 'desc' }] });
    expect(view.status, view.text).toBe(201);
    const { inline, link } = await bothWays(`/api/views/company/${view.json.id}/export.csv`);
    const download = Buffer.from(await (await fetch(link.url)).arrayBuffer());
    expect(download.equals(Buffer.from(inline))).toBe(true);
    const rows = inline.trimEnd().split('\r\n');
    expect(rows).toHaveLength(401);
    expect(rows[1]).toMatch(/^[0-9A-Z]{26},1,"Company 799, Ltd",799$/);
  });

  it('streams a file of several parts through the bucket (a multipart upload) unchanged', async () => {
    const { writeObject, presignedDownload } = await import('../../functions/files/files-bucket.ts');
    const line = `${'x'.repeat(1023)}\n`;
    const chunks = async function* () {
      for (let i = 0; i < 11 * 1024; i++) yield `${String(i).padStart(8, '0')}${line.slice(8)}`;
    };
    const expected = createHash('sha256');
    for await (const chunk of chunks()) expected.update(chunk);
    await writeObject('exports/big-exports/parts/large.csv', chunks(), 'text/csv');
    const download = await fetch(await presignedDownload('exports/big-exports/parts/large.csv', 'large.csv'));
    const body = Buffer.from(await download.arrayBuffer());
    expect(body.length).toBe(11 * 1024 * 1024);
    expect(createHash('sha256').update(body).digest('hex')).toBe(expected.digest('hex'));
  });
});
