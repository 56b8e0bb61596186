/**
 * local/storage through the real AWS SDK (@aws-sdk/client-s3, lib-storage, s3-request-presigner)
 * and plain fetch: objects round-trip byte for byte, ranges, multipart, presigned URLs that work
 * and presigned URLs that S3 would refuse (tampered, expired, unsigned, wrong key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startObjectStore, type ObjectStore } from '../../local/storage/index.ts';
import { decodeAwsChunked } from '../../local/storage/aws-chunked.ts';

const credentials = { accessKeyId: 'test-key', secretAccessKey: 'test-secret' };
const BUCKET = 'files';
let dir: string;
let store: ObjectStore;
let s3: S3Client;

const clientWith = (creds = credentials) => new S3Client({ endpoint: store.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: creds, maxAttempts: 1 });
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const bytesOf = async (body: unknown) => Buffer.from(await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sheetflow-storage-'));
  store = await startObjectStore({ dataDir: dir, port: 0, credentials });
  store.ensureBucket(BUCKET);
  s3 = clientWith();
});

afterAll(async () => {
  s3?.destroy();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('objects through the SDK', () => {
  it('puts, heads, gets, ranges and deletes an object', async () => {
    const data = randomBytes(300_000);
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a/b c.bin', Body: data, ContentType: 'application/x-test' }));
    expect(put.ETag).toBe(`"${md5(data)}"`);

    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'a/b c.bin' }));
    expect(head.ContentLength).toBe(data.length);
    expect(head.ContentType).toBe('application/x-test');

    const whole = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a/b c.bin' }));
    expect((await bytesOf(whole.Body)).equals(data)).toBe(true);

    const middle = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a/b c.bin', Range: 'bytes=1000-1999' }));
    expect(middle.ContentRange).toBe(`bytes 1000-1999/${data.length}`);
    expect((await bytesOf(middle.Body)).equals(data.subarray(1000, 2000))).toBe(true);
    const tail = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a/b c.bin', Range: 'bytes=-10' }));
    expect((await bytesOf(tail.Body)).equals(data.subarray(-10))).toBe(true);
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a/b c.bin', Range: `bytes=${data.length}-` }))).rejects.toMatchObject({ name: 'InvalidRange' });

    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'a/b c.bin' }));
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a/b c.bin' }))).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('takes a stream body (aws-chunked with a trailing checksum) as the bytes sent', async () => {
    const data = randomBytes(200_000);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'stream.bin', Body: Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]), ContentLength: data.length }));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'stream.bin' }));
    expect((await bytesOf(got.Body)).equals(data)).toBe(true);
  });

  it('joins a multipart upload (lib-storage, 5 MiB parts) into one object with a multipart ETag', async () => {
    const data = randomBytes(11 * 1024 * 1024 + 123);
    const result = await new Upload({ client: s3, params: { Bucket: BUCKET, Key: 'big.bin', Body: Readable.from([data]) }, partSize: 5 * 1024 * 1024, queueSize: 2 }).done();
    expect(result.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big.bin' }));
    expect(got.ContentLength).toBe(data.length);
    expect(md5(await bytesOf(got.Body))).toBe(md5(data));
  });

  it('refuses parts under 5 MiB but the last, and forgets an aborted upload', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'small-parts.bin' }));
    const parts = [];
    for (const PartNumber of [1, 2]) {
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'small-parts.bin', UploadId, PartNumber, Body: randomBytes(1000) }));
      parts.push({ PartNumber, ETag });
    }
    await expect(s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'small-parts.bin', UploadId, MultipartUpload: { Parts: parts } }))).rejects.toMatchObject({ name: 'EntityTooSmall' });
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'small-parts.bin', UploadId }));
    await expect(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'small-parts.bin', UploadId, PartNumber: 3, Body: 'x' }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'small-parts.bin' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('refuses requests signed with another secret and buckets that do not exist', async () => {
    const stranger = clientWith({ accessKeyId: 'test-key', secretAccessKey: 'guessed' });
    await expect(stranger.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'x', Body: 'x' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    const unknown = clientWith({ accessKeyId: 'someone-else', secretAccessKey: 'test-secret' });
    await expect(unknown.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'x' }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    stranger.destroy();
    unknown.destroy();
  });
});

describe('lifecycle', () => {
  it('expires objects under the rule\'s prefixes once they are old enough, and unfinished uploads after a day', async () => {
    store.ensureBucket('lifecycle');
    store.expireObjects('lifecycle', { prefixes: ['imports/', 'exports/'], days: 7 });
    for (const key of ['imports/a.csv', 'exports/b.csv', 'kept/c.csv']) await s3.send(new PutObjectCommand({ Bucket: 'lifecycle', Key: key, Body: key }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'lifecycle', Key: 'exports/unfinished.csv' }));

    expect(await store.sweep(Date.now() + 6 * 24 * 3600 * 1000)).toBe(0);
    expect(await store.sweep(Date.now() + 8 * 24 * 3600 * 1000)).toBe(2);
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'lifecycle', Key: 'imports/a.csv' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'lifecycle', Key: 'exports/b.csv' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'lifecycle', Key: 'kept/c.csv' }))).ContentLength).toBe(10);
    await expect(s3.send(new UploadPartCommand({ Bucket: 'lifecycle', Key: 'exports/unfinished.csv', UploadId, PartNumber: 1, Body: 'x' }))).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });
});

describe('aws-chunked bodies', () => {
  const decode = async (pieces: string[]) => {
    const trailers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    for await (const chunk of decodeAwsChunked(Readable.from(pieces.map((p) => Buffer.from(p))), (name, value) => (trailers[name] = value))) chunks.push(chunk);
    return { body: Buffer.concat(chunks).toString(), trailers };
  };

  it('yields the bytes of the chunks, however the body is split, and hands over the trailers', async () => {
    const wire = '5;chunk-signature=ab12\r\nhello\r\n7\r\n, world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n';
    expect(await decode([wire])).toEqual({ body: 'hello, world', trailers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
    expect(await decode(wire.split(''))).toEqual({ body: 'hello, world', trailers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
  });

  it('refuses a body cut short or a chunk longer than its size', async () => {
    await expect(decode(['5\r\nhel'])).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(decode(['2\r\nhello\r\n0\r\n\r\n'])).rejects.toMatchObject({ code: 'InvalidChunkSizeError' });
  });
});

describe('presigned URLs with plain fetch', () => {
  const errorCode = async (response: Response) => /<Code>(\w+)<\/Code>/.exec(await response.text())?.[1];

  it('uploads through a presigned PUT and downloads through a presigned GET', async () => {
    const data = randomBytes(2 * 1024 * 1024 + 7);
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: BUCKET, Key: 'imports/one.csv', ContentType: 'text/csv' }), { expiresIn: 60 });
    const put = await fetch(putUrl, { method: 'PUT', body: data, headers: { 'content-type': 'text/csv' } });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe(`"${md5(data)}"`);

    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'imports/one.csv', ResponseContentDisposition: 'attachment; filename="one.csv"' }), { expiresIn: 60 });
    const got = await fetch(getUrl);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="one.csv"');
    expect(Buffer.from(await got.arrayBuffer()).equals(data)).toBe(true);

    const ranged = await fetch(getUrl, { headers: { range: 'bytes=0-9' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(data.subarray(0, 10))).toBe(true);
  });

  it('refuses a tampered URL: another key, another signature, a longer expiry', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'private/a.txt', Body: 'secret a' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'private/b.txt', Body: 'secret b' }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'private/a.txt' }), { expiresIn: 60 });
    expect(await (await fetch(url)).text()).toBe('secret a');

    const otherKey = url.replace('private/a.txt', 'private/b.txt');
    const moved = await fetch(otherKey);
    expect(moved.status).toBe(403);
    expect(await errorCode(moved)).toBe('SignatureDoesNotMatch');

    const signature = new URL(url).searchParams.get('X-Amz-Signature')!;
    const flipped = url.replace(signature, signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')));
    expect(await errorCode(await fetch(flipped))).toBe('SignatureDoesNotMatch');

    const longer = url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600');
    expect((await fetch(longer)).status).toBe(403);

    // A presigned GET does not allow a PUT to the same key.
    const overwrite = await fetch(url, { method: 'PUT', body: 'overwritten' });
    expect(overwrite.status).toBe(403);
    expect(await (await fetch(url)).text()).toBe('secret a');
  });

  it('refuses an expired URL and an unsigned request with 403 AccessDenied', async () => {
    const signedLongAgo = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'private/a.txt' }), { expiresIn: 60, signingDate: new Date(Date.now() - 61_000) });
    const expired = await fetch(signedLongAgo);
    expect(expired.status).toBe(403);
    const body = await expired.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('Request has expired');

    const bare = await fetch(`${store.endpoint}/${BUCKET}/private/a.txt`);
    expect(bare.status).toBe(403);
    expect(await errorCode(bare)).toBe('AccessDenied');
  });

  it('answers a CORS preflight so the SPA can PUT from its own origin', async () => {
    const preflight = await fetch(`${store.endpoint}/${BUCKET}/imports/x.csv`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
  });
});
