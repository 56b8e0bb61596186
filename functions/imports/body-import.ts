/**
 * A file sent as the request body (`POST /api/imports?type=...` without `upload`) is imported
 * before the answer only when it is small enough to be done well within the gateway's time
 * (30 s here, API Gateway's 29 s). A larger body would be answered 503 by the gateway while the
 * function went on writing, and a retry would find its own rows as duplicates: so it is kept in
 * the files bucket as an upload of the caller's tenant and imported by the csv-import workflow
 * after a 202, exactly as an uploaded file (import-upload.ts).
 *
 * The upload's id is derived from the tenant, the caller, the bytes, the query and the quarter
 * hour, and the job's id is the upload's: the same request sent twice (a retry, or two copies at
 * once) names one upload and one job, so the import runs once and the second copy is answered its
 * job. The quarter hour lets the same file be imported again on purpose later (an update import
 * over records changed since); a retry that straddles a quarter's end starts a second job, which
 * finds the first one's rows as duplicates (or, updating, writes the same values): harmless.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Actor } from '../access/actor.ts';
import type { ImportQuery } from '../contracts/imports.ts';
import { writeObject } from '../files/files-bucket.ts';
import { decodedText } from '../csv/csv-rows.ts';
import { derivedId } from './derived-id.ts';
import { uploadKey } from './import-upload.ts';

/**
 * Rows of a body imported before the answer; a body with more runs after it. Measured on
 * local/ (contacts, `Name,Email`): about 3.8 ms of CPU a row, so 1,200 rows take about 4.6 s,
 * under a sixth of the gateway's 30 s; a machine loaded three times over (12 ms a row, seen at
 * load 15 on 2 cores) still answers in about 15 s. Rows, not bytes, make an import slow: a
 * 1 MiB body of one wide row is read in milliseconds.
 */
export const INLINE_ROWS = 1_200;

/** How long the same request names the same job (a client's retries come within seconds to minutes). */
export const RETRY_WINDOW_MS = 15 * 60_000;

/**
 * Whether the body has more rows than INLINE_ROWS, counted as its line breaks after the header
 * (LF, CRLF or a lone CR). A line break within a quoted cell is counted too, so a file is never
 * taken for smaller than it is; the count stops as soon as it is past the limit.
 */
export function importsAfterAnswer(bytes: Uint8Array): boolean {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === 0x0a || (byte === 0x0d && bytes[i + 1] !== 0x0a)) {
      lines++;
      if (lines > INLINE_ROWS + 1) return true;
    }
  }
  const last = bytes[bytes.length - 1];
  if (bytes.length > 0 && last !== 0x0a && last !== 0x0d) lines++;
  return lines - 1 > INLINE_ROWS;
}

/** Keeps the body in the files bucket as an upload of the caller's tenant and answers its id, one per tenant, caller, body, query and RETRY_WINDOW_MS. */
export async function keepBodyAsUpload(actor: Actor, bytes: Uint8Array, query: ImportQuery, now = Date.now()): Promise<string> {
  const digest = createHash('sha256').update(bytes).digest('base64');
  const upload = derivedId(['body import', actor.tenant, actor.sub, digest, query, Math.floor(now / RETRY_WINDOW_MS)]);
  // Two copies of one request write the same bytes to the same key: either write leaves the file whole.
  await writeObject(uploadKey(actor.tenant, upload), Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), 'text/csv');
  return upload;
}

/**
 * Refuses a body that cannot be read as text (a workbook, a file that mixes encodings) as a
 * small body is refused, 400 before any job (FieldValidationError), not as a job that fails
 * after a 202. The whole body is at hand: reading 1 MiB as text takes milliseconds.
 */
export async function assertReadableText(bytes: Uint8Array): Promise<void> {
  const whole = (async function* () {
    yield bytes;
  })();
  for await (const text of decodedText(whole)) void text;
}
