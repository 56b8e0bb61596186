/**
 * The `aws-chunked` content encoding: how the AWS SDK streams a body whose length or checksum it
 * cannot know up front (`x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`, the SDK's
 * default for a stream body). The body is chunks `<hex size>[;chunk-signature=...]\r\n<bytes>\r\n`,
 * a zero-size chunk, then trailing headers (e.g. `x-amz-checksum-crc32:...`) and an empty line.
 * This yields the object's bytes; trailers are handed to `onTrailer`. Chunk signatures (the
 * signed streaming variant, which the SDK does not use by default) are read past, not checked.
 */
import { S3Error } from './s3-error.ts';

const incomplete = () => new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly');

export async function* decodeAwsChunked(body: AsyncIterable<Buffer>, onTrailer: (name: string, value: string) => void = () => {}): AsyncGenerator<Buffer> {
  let buffer: Buffer = Buffer.alloc(0);
  const source = body[Symbol.asyncIterator]();
  /** Reads more into the buffer; false at the end of the body. */
  const more = async () => {
    const next = await source.next();
    if (next.done) return false;
    buffer = buffer.length ? Buffer.concat([buffer, next.value]) : next.value;
    return true;
  };
  const line = async (): Promise<string> => {
    let end: number;
    while ((end = buffer.indexOf('\r\n')) < 0) {
      if (buffer.length > 64 * 1024 || !(await more())) throw incomplete();
    }
    const text = buffer.subarray(0, end).toString('latin1');
    buffer = buffer.subarray(end + 2);
    return text;
  };

  for (;;) {
    const header = await line();
    const size = Number.parseInt(header.split(';')[0], 16);
    if (!Number.isInteger(size) || size < 0) throw new S3Error(400, 'InvalidChunkSizeError', `Invalid chunk header: ${header.slice(0, 80)}`);
    if (size === 0) break;
    let left = size;
    while (left > 0) {
      if (buffer.length === 0 && !(await more())) throw incomplete();
      const piece = buffer.subarray(0, left);
      buffer = buffer.subarray(piece.length);
      left -= piece.length;
      yield piece;
    }
    if ((await line()) !== '') throw new S3Error(400, 'InvalidChunkSizeError', 'A chunk is longer than its size');
  }
  for (let trailer = await line(); trailer !== ''; trailer = await line()) {
    const at = trailer.indexOf(':');
    if (at > 0) onTrailer(trailer.slice(0, at).trim().toLowerCase(), trailer.slice(at + 1).trim());
  }
}
