/**
 * How an export reaches the client. Lambda behind the HTTP API answers one buffered body of at
 * most 6 MB, so a CSV up to the inline limit is the response itself; a larger one is streamed
 * to the files bucket (`exports/<tenant>/<id>/<name>.csv`, a multipart upload of 5 MiB parts,
 * so the function never holds the whole file) and the client gets a presigned GET of it.
 */
import { ulid } from 'ulid';
import { FILES_BUCKET } from '../../infra/app-resources.ts';
import type { ExportLink } from '../contracts/exports.ts';
import { presignedDownload, PRESIGNED_SECONDS, writeObject } from '../files/files-bucket.ts';

/**
 * Room is left below Lambda's 6 MB for headers and the envelope. Counted as the result carries the
 * CSV: inside a JSON string, where a `"` or a line break takes two bytes, so a CSV full of quotes
 * (each doubled by CSV quoting too) switches to the link at half the size of a plain one.
 */
export const INLINE_EXPORT_BYTES = 5 * 1024 * 1024;
/** Lowers the inline limit (tests: a small export then goes through the bucket). */
const INLINE_LIMIT_VARIABLE = 'EXPORT_INLINE_BYTES';

export type ExportDelivery = { kind: 'inline'; body: string } | ({ kind: 'link' } & ExportLink);

export async function deliverExport(tenant: string, fileName: string, chunks: AsyncIterable<string>): Promise<ExportDelivery> {
  const limit = Number(process.env[INLINE_LIMIT_VARIABLE] ?? INLINE_EXPORT_BYTES);
  const iterator = chunks[Symbol.asyncIterator]();
  const head: string[] = [];
  let bytes = 0;
  let escaped = 0;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    head.push(next.value);
    bytes += Buffer.byteLength(next.value);
    escaped += Buffer.byteLength(JSON.stringify(next.value)) - 2;
    if (escaped > limit) return { kind: 'link', ...(await toBucket(tenant, fileName, head, iterator, bytes)) };
  }
  return { kind: 'inline', body: head.join('') };
}

/** The chunks read so far, then the rest as it is produced, into one object; a link to it. */
async function toBucket(tenant: string, fileName: string, head: string[], rest: AsyncIterator<string>, headBytes: number): Promise<ExportLink> {
  const key = `${FILES_BUCKET.prefixes.exports}${tenant}/${ulid()}/${fileName}`;
  let bytes = headBytes;
  await writeObject(
    key,
    (async function* () {
      yield* head;
      for (let next = await rest.next(); !next.done; next = await rest.next()) {
        bytes += Buffer.byteLength(next.value);
        yield next.value;
      }
    })(),
    'text/csv; charset=utf-8',
  );
  return { url: await presignedDownload(key, fileName), expiresAt: new Date(Date.now() + PRESIGNED_SECONDS * 1000).toISOString(), bytes, fileName };
}
