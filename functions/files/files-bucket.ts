/**
 * The files bucket (FILES_BUCKET in infra/app-resources.ts): the hand-over place for what does
 * not fit an HTTP request or response. Browsers reach it only through presigned URLs, which this
 * module signs for one object, one method and a few minutes; the functions read and write it with
 * the S3 client, created once per Lambda container. Only the bucket's name comes from the
 * environment; the endpoint is the SDK's own (AWS_ENDPOINT_URL_S3 points it at local/storage on
 * one machine, which wants path-style addresses).
 */
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, NotFound, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ENV } from '../../infra/app-resources.ts';

export const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });

/** How long a presigned URL works: long enough to start a transfer, short enough not to be shared around. */
export const PRESIGNED_SECONDS = 15 * 60;

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string, options?: { cause?: unknown }) {
    super(`no file ${key}`, options);
    this.name = 'ObjectNotFoundError';
  }
}

export function bucketName(): string {
  const name = process.env[ENV.filesBucket];
  if (!name) throw new Error(`${ENV.filesBucket} is not set`);
  return name;
}

/**
 * A URL that PUTs one object: the content type is signed, so the upload must send the same
 * `content-type` header; nothing else is allowed with it.
 */
export function presignedUpload(key: string, contentType: string): Promise<string> {
  return getSignedUrl(s3, new PutObjectCommand({ Bucket: bucketName(), Key: key, ContentType: contentType }), { expiresIn: PRESIGNED_SECONDS, signableHeaders: new Set(['content-type']) });
}

/** A URL that GETs one object, downloaded under `fileName`. */
export function presignedDownload(key: string, fileName: string): Promise<string> {
  const disposition = `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"`;
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucketName(), Key: key, ResponseContentDisposition: disposition }), { expiresIn: PRESIGNED_SECONDS });
}

/** The object's size in bytes. */
export async function objectSize(key: string): Promise<number> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucketName(), Key: key }));
    return head.ContentLength ?? 0;
  } catch (err) {
    if (err instanceof NotFound || err instanceof NoSuchKey) throw new ObjectNotFoundError(key, { cause: err });
    throw err;
  }
}

/**
 * The object's bytes as a stream, from `start` (inclusive) to `end` (inclusive) when given:
 * the stream opens when first read, so a source can be handed around before it is used.
 */
export function objectStream(key: string, range?: { start: number; end?: number }): Readable {
  return Readable.from(
    (async function* () {
      try {
        const result = await s3.send(new GetObjectCommand({ Bucket: bucketName(), Key: key, Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined }));
        yield* result.Body as Readable;
      } catch (err) {
        if (err instanceof NoSuchKey) throw new ObjectNotFoundError(key, { cause: err });
        throw err;
      }
    })(),
    { objectMode: false },
  );
}

/**
 * Writes the chunks to the object as they come: a multipart upload of 5 MiB parts (one PutObject
 * when the whole is smaller), so a file of any size passes through a function's memory a part at
 * a time. The object appears only once complete; a failure aborts the upload.
 */
export async function writeObject(key: string, chunks: AsyncIterable<string | Buffer>, contentType: string): Promise<void> {
  const body = Readable.from(
    (async function* () {
      for await (const chunk of chunks) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    })(),
  );
  await new Upload({ client: s3, params: { Bucket: bucketName(), Key: key, Body: body, ContentType: contentType }, queueSize: 2, partSize: 5 * 1024 * 1024 }).done();
}
