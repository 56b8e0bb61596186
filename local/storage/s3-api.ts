/**
 * The S3 REST API, path-style (`/<bucket>/<key>`), for the operations Sheetflow uses:
 * PutObject, GetObject (with `Range`, and `response-content-*` overrides as a presigned download
 * uses them), HeadObject, DeleteObject, and multipart upload (Create, UploadPart, Complete,
 * Abort). Every request but a CORS preflight must carry a valid Signature V4 (header or query);
 * anything else is refused as S3 refuses it, with its XML error.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeAwsChunked } from './aws-chunked.ts';
import type { ObjectFiles } from './object-files.ts';
import { S3Error, s3SignatureError, xmlText } from './s3-error.ts';
import { SignatureError, verifySignature, type Credentials, type ReceivedRequest, type VerifiedRequest } from '../signature-v4.ts';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function s3Handler(files: ObjectFiles, credentials: Credentials) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
    const [rawPath, rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    res.setHeader('x-amz-request-id', requestId);
    // Presigned URLs are used from the SPA's origin; the bucket's CORS rule in AWS allows it.
    if (req.headers.origin) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-expose-headers', 'ETag, Content-Length, Content-Range, x-amz-request-id');
    }
    try {
      if (req.method === 'OPTIONS') return preflight(req, res);
      const { payloadHash } = verifiedAsS3({ method: req.method ?? 'GET', rawPath, rawQuery, headers: req.headers }, credentials);
      const [bucket, ...rest] = rawPath.slice(1).split('/');
      const key = decodeURIComponent(rest.join('/'));
      if (!files.hasBucket(bucket)) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
      if (!key) throw new S3Error(501, 'NotImplemented', 'Bucket operations are not implemented here');
      const query = new URLSearchParams(rawQuery);
      const body = () => requestBody(req, payloadHash);
      const expectedSha256 = /^[0-9a-f]{64}$/.test(payloadHash) ? payloadHash : undefined;
      const contentType = req.headers['content-type'] ?? 'binary/octet-stream';
      const uploadId = query.get('uploadId');

      switch (req.method) {
        case 'PUT': {
          if (req.headers['x-amz-copy-source']) throw new S3Error(501, 'NotImplemented', 'CopyObject is not implemented here');
          if (uploadId !== null) {
            const partNumber = Number(query.get('partNumber'));
            if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) throw new S3Error(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
            return send(res, 200, { etag: await files.putPart(bucket, key, uploadId, partNumber, body()) });
          }
          const object = await files.put(bucket, key, body(), contentType, expectedSha256);
          return send(res, 200, { etag: object.etag });
        }
        case 'POST': {
          if (query.has('uploads')) {
            const id = await files.createUpload(bucket, key, contentType);
            return xml(res, 200, `<InitiateMultipartUploadResult xmlns="${XMLNS}"><Bucket>${bucket}</Bucket><Key>${xmlText(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
          }
          if (uploadId !== null) {
            const object = await files.completeUpload(bucket, key, uploadId, completedParts(await text(body())));
            return xml(res, 200, `<CompleteMultipartUploadResult xmlns="${XMLNS}"><Location>/${bucket}/${xmlText(key)}</Location><Bucket>${bucket}</Bucket><Key>${xmlText(key)}</Key><ETag>${xmlText(object.etag)}</ETag></CompleteMultipartUploadResult>`);
          }
          throw new S3Error(501, 'NotImplemented', 'This POST is not implemented here');
        }
        case 'DELETE':
          if (uploadId !== null) await files.abortUpload(bucket, key, uploadId);
          else await files.delete(bucket, key);
          return send(res, 204, {});
        case 'GET':
        case 'HEAD':
          return await getObject(files, bucket, key, req, res, query);
        default:
          throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      }
    } catch (err) {
      const error = err instanceof S3Error ? err : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (!(err instanceof S3Error)) console.error('[storage]', err);
      if (res.headersSent) return void res.destroy();
      res.statusCode = error.status;
      // HEAD answers carry no body, as S3's do not.
      if (req.method === 'HEAD') return void res.end();
      res.setHeader('content-type', 'application/xml');
      res.end(error.toXml(rawPath, requestId));
      req.resume();
    }
  };
}

async function getObject(files: ObjectFiles, bucket: string, key: string, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const header = req.headers.range;
  const range = header ? (size: number) => byteRange(header, size) : undefined;
  const { object, start, end, body } = await files.read(bucket, key, range);
  res.statusCode = header ? 206 : 200;
  res.setHeader('content-type', query.get('response-content-type') ?? object.contentType);
  const disposition = query.get('response-content-disposition');
  if (disposition) res.setHeader('content-disposition', disposition);
  res.setHeader('content-length', String(end - start + 1));
  if (header) res.setHeader('content-range', `bytes ${start}-${end}/${object.size}`);
  res.setHeader('accept-ranges', 'bytes');
  res.setHeader('etag', object.etag);
  res.setHeader('last-modified', object.lastModified);
  if (req.method === 'HEAD' || end < start) {
    body.destroy();
    return void res.end();
  }
  body.pipe(res);
  await new Promise<void>((resolve) => res.once('close', resolve));
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n`; past the end is cut to it, wholly past it is 416. */
function byteRange(header: string, size: number): { start: number; end: number } {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const invalid = new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: header, ActualObjectSize: String(size) });
  if (!match || (match[1] === '' && match[2] === '')) throw invalid;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || end < start) throw invalid;
  return { start, end };
}

function requestBody(req: IncomingMessage, payloadHash: string): AsyncIterable<Buffer> {
  const chunked = payloadHash.startsWith('STREAMING-') || /aws-chunked/.test(req.headers['content-encoding'] ?? '');
  return chunked ? decodeAwsChunked(req) : req;
}

function completedParts(body: string): Array<{ partNumber: number; etag: string }> {
  const parts = [...body.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, part]) => ({
    partNumber: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(part)?.[1]),
    etag: (/<ETag>([\s\S]*?)<\/ETag>/.exec(part)?.[1] ?? '').replace(/&quot;|&#34;|"/g, ''),
  }));
  if (parts.some((part) => !Number.isInteger(part.partNumber) || !part.etag)) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  return parts;
}

async function text(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function preflight(req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 200;
  res.setHeader('access-control-allow-methods', 'GET, PUT, HEAD');
  res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('access-control-max-age', '3000');
  res.end();
}

function send(res: ServerResponse, status: number, headers: Record<string, string>): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end();
}

function xml(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/xml');
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

/** S3 signs the path as sent and names the payload's hash in a header (or `UNSIGNED-PAYLOAD`). */
function verifiedAsS3(request: ReceivedRequest, credentials: Credentials): VerifiedRequest {
  try {
    return verifySignature(request, credentials, { service: 's3' });
  } catch (err) {
    throw err instanceof SignatureError ? s3SignatureError(err) : err;
  }
}
