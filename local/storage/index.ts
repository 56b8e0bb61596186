/**
 * The local S3: an object store on its own port, speaking the subset of the S3 REST API that
 * Sheetflow uses (see s3-api.ts), objects as files under `dataDir` (object-files.ts), every
 * request checked for a valid Signature V4 (../signature-v4.ts). Functions reach it through
 * `@aws-sdk/client-s3` with `AWS_ENDPOINT_URL_S3` and path-style addressing, as they reach S3.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ObjectFiles } from './object-files.ts';
import { s3Handler } from './s3-api.ts';
import type { Credentials } from '../signature-v4.ts';

export interface ObjectStoreOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** The one key pair requests must be signed with (the embedded cloud's AWS_ACCESS_KEY_ID / SECRET). */
  credentials: Credentials;
  /** How often lifecycle rules are applied (default: hourly; S3 itself takes up to a day). */
  sweepIntervalMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ObjectStore {
  /** http://host:port — what AWS_ENDPOINT_URL_S3 is set to. */
  endpoint: string;
  /** Creates the bucket if it does not exist. */
  ensureBucket(name: string): void;
  /**
   * Gives the bucket a lifecycle rule, as in AWS: objects under `prefixes` expire `days` after
   * they were written, unfinished multipart uploads after a day. Applied now and every hour.
   */
  expireObjects(bucket: string, rule: { prefixes: readonly string[]; days: number }): void;
  /** Applies the lifecycle rules now, as of `now`; how many objects went. */
  sweep(now?: number): Promise<number>;
  close(): Promise<void>;
}

export async function startObjectStore(options: ObjectStoreOptions): Promise<ObjectStore> {
  const files = new ObjectFiles(options.dataDir);
  const server = createServer(s3Handler(files, options.credentials));
  // Uploads of large files take a while; Node's default request timeout (5 min) would cut them.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const rules = new Map<string, { prefixes: readonly string[]; days: number }>();
  const sweep = async (now = Date.now()) => {
    let deleted = 0;
    for (const [bucket, rule] of rules) {
      deleted += await files.expire(bucket, { prefixes: rule.prefixes, objectsBefore: now - rule.days * DAY_MS, uploadsBefore: now - DAY_MS });
    }
    return deleted;
  };
  const sweepQuietly = () => void sweep().catch((err) => console.error('[storage] lifecycle sweep failed:', err));
  const sweeper = setInterval(sweepQuietly, options.sweepIntervalMs ?? 60 * 60 * 1000);
  sweeper.unref();
  return {
    endpoint: `http://${address}:${port}`,
    ensureBucket: (name) => files.ensureBucket(name),
    expireObjects: (bucket, rule) => {
      rules.set(bucket, rule);
      sweepQuietly();
    },
    sweep,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
