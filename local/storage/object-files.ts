/**
 * Objects as files under the data folder: `<bucket>/objects/<sha256 of key>.json` holds the
 * object's metadata and names its data file, written whole (temp file, then rename), so a reader
 * sees the old object or the new one, never half of one. A key never becomes a path, so no key
 * can reach outside the folder. Multipart uploads keep their parts under `<bucket>/uploads/<id>/`
 * until completed (concatenated into one object) or aborted.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { S3Error } from './s3-error.ts';

export interface StoredObject {
  key: string;
  size: number;
  /** Quoted, as S3 sends it: `"<md5>"`, or `"<md5 of part md5s>-<parts>"` after a multipart upload. */
  etag: string;
  contentType: string;
  lastModified: string;
  /** The data file's name in the bucket's objects folder. */
  data: string;
}

/** S3's smallest part, except the last one. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

const noSuchKey = (key: string) => new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
const noSuchUpload = (id: string) => new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: id });
const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** Writes the body to the file, feeding every chunk to the hashes; its size. Nothing is left on failure. */
async function writeHashing(file: string, body: AsyncIterable<Buffer>, hashes: Hash[]): Promise<number> {
  let size = 0;
  await pipeline(
    body,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        for (const hash of hashes) hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(file),
  ).catch(async (err) => {
    await rm(file, { force: true });
    throw err;
  });
  return size;
}

export class ObjectFiles {
  constructor(private readonly dir: string) {}

  ensureBucket(bucket: string): void {
    mkdirSync(join(this.dir, bucket, 'objects'), { recursive: true });
    mkdirSync(join(this.dir, bucket, 'uploads'), { recursive: true });
  }

  hasBucket(bucket: string): boolean {
    return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) && existsSync(join(this.dir, bucket, 'objects'));
  }

  async put(bucket: string, key: string, body: AsyncIterable<Buffer>, contentType: string, expectedSha256?: string): Promise<StoredObject> {
    const { data, size, md5 } = await this.write(bucket, key, body, expectedSha256);
    return this.publish(bucket, { key, size, etag: `"${md5}"`, contentType, lastModified: new Date().toUTCString(), data });
  }

  /** Writes a data file (not yet the object's): its name, size and MD5. */
  private async write(bucket: string, key: string, body: AsyncIterable<Buffer>, expectedSha256?: string): Promise<{ data: string; size: number; md5: string }> {
    const data = `${hashOf(key)}.${randomUUID()}`;
    const file = join(this.objects(bucket), data);
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    const size = await writeHashing(file, body, expectedSha256 ? [md5, sha256] : [md5]);
    if (expectedSha256 && sha256.digest('hex') !== expectedSha256) {
      await rm(file, { force: true });
      throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    return { data, size, md5: md5.digest('hex') };
  }

  async head(bucket: string, key: string): Promise<StoredObject> {
    try {
      return JSON.parse(await readFile(this.metaFile(bucket, key), 'utf8')) as StoredObject;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw noSuchKey(key);
      throw err;
    }
  }

  /** The object's bytes from `start` to `end` inclusive. */
  async read(bucket: string, key: string, range?: (size: number) => { start: number; end: number }): Promise<{ object: StoredObject; start: number; end: number; body: Readable }> {
    // A put may replace the object (and remove the data file) between reading the metadata and
    // opening the data: then read the metadata again.
    for (let attempt = 0; ; attempt++) {
      const object = await this.head(bucket, key);
      const { start, end } = range ? range(object.size) : { start: 0, end: object.size - 1 };
      const body = createReadStream(join(this.objects(bucket), object.data), { start, end: Math.max(end, start) });
      const opened = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
        body.once('open', () => resolve(undefined));
        body.once('error', resolve);
      });
      if (!opened) return { object, start, end, body };
      if (opened.code !== 'ENOENT' || attempt > 2) throw opened;
    }
  }

  async delete(bucket: string, key: string): Promise<void> {
    const object = await this.head(bucket, key).catch(() => undefined);
    if (!object) return;
    await rm(this.metaFile(bucket, key), { force: true });
    await rm(join(this.objects(bucket), object.data), { force: true });
  }

  async createUpload(bucket: string, key: string, contentType: string): Promise<string> {
    const id = randomUUID().replace(/-/g, '');
    mkdirSync(this.upload(bucket, id));
    await writeFile(join(this.upload(bucket, id), 'upload.json'), JSON.stringify({ key, contentType }));
    return id;
  }

  async putPart(bucket: string, key: string, id: string, partNumber: number, body: AsyncIterable<Buffer>): Promise<string> {
    await this.uploadOf(bucket, key, id);
    const md5 = createHash('md5');
    const file = join(this.upload(bucket, id), String(partNumber));
    const temp = `${file}.${randomUUID()}`;
    await writeHashing(temp, body, [md5]);
    const etag = `"${md5.digest('hex')}"`;
    await writeFile(`${file}.etag`, etag);
    await rename(temp, file);
    return etag;
  }

  /** Joins the parts named, in order, into the object; each but the last at least 5 MiB. */
  async completeUpload(bucket: string, key: string, id: string, parts: Array<{ partNumber: number; etag: string }>): Promise<StoredObject> {
    const upload = await this.uploadOf(bucket, key, id);
    if (parts.length === 0) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
    const md5s: Buffer[] = [];
    const files: string[] = [];
    for (const [i, part] of parts.entries()) {
      if (i > 0 && part.partNumber <= parts[i - 1].partNumber) throw new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
      const file = join(this.upload(bucket, id), String(part.partNumber));
      const etag = await readFile(`${file}.etag`, 'utf8').catch(() => undefined);
      if (!etag || etag !== `"${part.etag.replace(/"/g, '')}"`) throw new S3Error(400, 'InvalidPart', 'One or more of the specified parts could not be found.', { PartNumber: String(part.partNumber) });
      files.push(file);
      md5s.push(Buffer.from(etag.replace(/"/g, ''), 'hex'));
    }
    const body = async function* () {
      for (const [i, file] of files.entries()) {
        let bytes = 0;
        for await (const chunk of createReadStream(file)) {
          bytes += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        if (i < files.length - 1 && bytes < MIN_PART_BYTES) throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.');
      }
    };
    const { data, size } = await this.write(bucket, key, body());
    const etag = `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${parts.length}"`;
    const stored = await this.publish(bucket, { key, size, etag, contentType: upload.contentType, lastModified: new Date().toUTCString(), data });
    await rm(this.upload(bucket, id), { recursive: true, force: true });
    return stored;
  }

  /**
   * What a bucket's lifecycle rules do in AWS: deletes the objects under `prefixes` last modified
   * before `objectsBefore`, and multipart uploads begun before `uploadsBefore`. How many objects.
   */
  async expire(bucket: string, rule: { prefixes: readonly string[]; objectsBefore: number; uploadsBefore: number }): Promise<number> {
    let deleted = 0;
    for (const name of await readdir(this.objects(bucket))) {
      if (!name.endsWith('.json')) continue;
      const object = await readFile(join(this.objects(bucket), name), 'utf8').then((text) => JSON.parse(text) as StoredObject, () => undefined);
      if (!object || !rule.prefixes.some((prefix) => object.key.startsWith(prefix)) || Date.parse(object.lastModified) >= rule.objectsBefore) continue;
      await this.delete(bucket, object.key);
      deleted++;
    }
    for (const id of await readdir(join(this.dir, bucket, 'uploads'))) {
      const begun = await stat(join(this.upload(bucket, id), 'upload.json')).then((info) => info.mtimeMs, () => 0);
      if (begun < rule.uploadsBefore) await rm(this.upload(bucket, id), { recursive: true, force: true });
    }
    return deleted;
  }

  async abortUpload(bucket: string, key: string, id: string): Promise<void> {
    await this.uploadOf(bucket, key, id);
    await rm(this.upload(bucket, id), { recursive: true, force: true });
  }

  private async uploadOf(bucket: string, key: string, id: string): Promise<{ key: string; contentType: string }> {
    if (!/^[0-9a-f]{32}$/.test(id)) throw noSuchUpload(id);
    const upload = await readFile(join(this.upload(bucket, id), 'upload.json'), 'utf8').then((text) => JSON.parse(text) as { key: string; contentType: string }, () => undefined);
    if (!upload || upload.key !== key) throw noSuchUpload(id);
    return upload;
  }

  /** Makes the object the current one under its key, and removes the data it replaces. */
  private async publish(bucket: string, object: StoredObject): Promise<StoredObject> {
    const previous = await this.head(bucket, object.key).catch(() => undefined);
    const meta = this.metaFile(bucket, object.key);
    const temp = `${meta}.${randomUUID()}`;
    await writeFile(temp, JSON.stringify(object));
    await rename(temp, meta);
    if (previous && previous.data !== object.data) await unlink(join(this.objects(bucket), previous.data)).catch(() => undefined);
    return object;
  }

  private objects(bucket: string): string {
    return join(this.dir, bucket, 'objects');
  }

  private metaFile(bucket: string, key: string): string {
    return join(this.objects(bucket), `${hashOf(key)}.json`);
  }

  private upload(bucket: string, id: string): string {
    return join(this.dir, bucket, 'uploads', id);
  }
}
