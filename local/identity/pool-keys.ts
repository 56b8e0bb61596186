/**
 * What makes this machine's user pool its own, kept in `<dataDir>/pool.json`: the app client
 * id, the RS256 key pair that signs tokens (published as JWKS) and the key that seals refresh
 * tokens. Created on the first start, then reused, so tokens survive a restart.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import { writeFileAtomic } from '../atomic-file.ts';

export interface PoolKeys {
  clientId: string;
  kid: string;
  signingKey: CryptoKey;
  publicJwk: JWK;
  /** 32 bytes for A256GCM (refresh tokens are sealed, as Cognito's are). */
  refreshKey: Uint8Array;
}

interface PoolFile {
  clientId: string;
  kid: string;
  privateJwk: JWK;
  refreshKey: string;
}

export async function loadPoolKeys(dataDir: string): Promise<PoolKeys> {
  const file = join(dataDir, 'pool.json');
  if (!existsSync(file)) writeFileAtomic(file, JSON.stringify(await newPoolFile(), null, 2));
  const pool = JSON.parse(readFileSync(file, 'utf8')) as PoolFile;
  const { d, p, q, dp, dq, qi, ...publicJwk } = pool.privateJwk;
  return {
    clientId: pool.clientId,
    kid: pool.kid,
    signingKey: (await importJWK(pool.privateJwk, 'RS256')) as CryptoKey,
    publicJwk: { ...publicJwk, kid: pool.kid, alg: 'RS256', use: 'sig' },
    refreshKey: Buffer.from(pool.refreshKey, 'base64'),
  };
}

async function newPoolFile(): Promise<PoolFile> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  // Cognito app client ids are 26 lowercase letters and digits.
  const clientId = Array.from(randomBytes(26), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
  return {
    clientId,
    kid: randomBytes(16).toString('base64url'),
    privateJwk: await exportJWK(privateKey),
    refreshKey: randomBytes(32).toString('base64'),
  };
}
