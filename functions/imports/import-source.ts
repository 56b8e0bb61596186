/**
 * Where an import's file comes from. The domain reads a stream and knows nothing else: a file
 * uploaded to the files bucket is opened as the object's body (import-upload.ts#uploadSource),
 * once per stretch of its import; the API takes small files (up to the gateway's 1 MiB, and at
 * most body-import.ts#INLINE_ROWS rows) as the request body; tests and the benchmark hand in any
 * readable stream.
 */
import { Readable } from 'node:stream';

export interface ImportSource {
  /** The file's bytes (any encoding csv/csv-rows.ts reads), read once from the start. */
  open(): Readable;
}

export const streamSource = (open: () => Readable): ImportSource => ({ open });

export const textSource = (text: string): ImportSource => ({ open: () => Readable.from([text]) });

export const bytesSource = (bytes: Uint8Array): ImportSource => ({ open: () => Readable.from([bytes]) });
