/**
 * A snapshot's records are cut into chunks under the item limit (functions/views/stored-snapshot.ts
 * `chunksOf`), every record once, in order, without encoding the largest many times over.
 */
import { expect, it } from 'vitest';
import { chunksOf, MAX_CHUNK_BYTES, type ChunkCodec } from './stored-snapshot.ts';

/** JSON as it is (no gzip: its bytes are the records'), counting the bytes it encoded. */
function countingCodec() {
  const codec = {
    encoded: 0,
    perChunk: 2_000,
    encode: (items: string[]) => {
      const data = Buffer.from(JSON.stringify(items));
      codec.encoded += data.byteLength;
      return data;
    },
    decode: (data: Uint8Array) => JSON.parse(Buffer.from(data).toString('utf8')) as string[],
  } satisfies ChunkCodec<string> & { encoded: number };
  return codec;
}

it('encodes a type of a few large records among many small ones a few times at most, not once per halving', () => {
  // 20 records of ~340 KB first (a type's records in id order), then 1,010 small ones.
  const records = [...Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(340_000, 'x')), ...Array.from({ length: 1_010 }, (_, i) => `small ${i}`)];
  const codec = countingCodec();
  const chunks = chunksOf(records, codec);
  expect(chunks.flatMap((chunk) => codec.decode(chunk))).toEqual(records);
  expect(Math.max(...chunks.map((chunk) => chunk.byteLength))).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
  const bytes = Buffer.byteLength(JSON.stringify(records));
  // Halving encoded the large ones at every level down to one record a chunk: 11 times over.
  expect(codec.encoded).toBeLessThan(5 * bytes);
});

it('keeps records that fit in one chunk together', () => {
  const records = Array.from({ length: 1_500 }, (_, i) => `record ${i}`);
  const codec = countingCodec();
  expect(chunksOf(records, codec)).toHaveLength(1);
  expect(codec.encoded).toBe(Buffer.byteLength(JSON.stringify(records)));
});
