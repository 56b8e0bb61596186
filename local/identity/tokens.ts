/**
 * Tokens shaped like a Cognito user pool's: an RS256 ID token (what the API authorizes) and
 * access token, both for one hour, and a sealed (JWE) refresh token for thirty days that only
 * this pool can open and no authorizer accepts as a bearer token.
 */
import { randomUUID } from 'node:crypto';
import { EncryptJWT, SignJWT, jwtDecrypt } from 'jose';
import type { PoolKeys } from './pool-keys.ts';
import type { User } from './users.ts';

export const TOKEN_SECONDS = 60 * 60;
const REFRESH_SECONDS = 30 * 24 * 60 * 60;

export interface AuthenticationResult {
  IdToken: string;
  AccessToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

/** `originJti` ties tokens refreshed later to the sign-in they came from, as Cognito does. */
export async function issueTokens(keys: PoolKeys, issuer: string, user: User, originJti: string = randomUUID()) {
  const now = Math.floor(Date.now() / 1000);
  // Like Cognito, the groups claim is left out for a user in no group.
  const groups = user.groups.length ? { 'cognito:groups': user.groups } : {};
  const common = { sub: user.sub, origin_jti: originJti, event_id: randomUUID(), auth_time: now, ...groups };
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: keys.kid })
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + TOKEN_SECONDS)
      .setJti(randomUUID())
      .sign(keys.signingKey);
  const IdToken = await sign({
    ...common,
    aud: keys.clientId,
    token_use: 'id',
    email: user.email,
    email_verified: true,
    'cognito:username': user.sub,
    'custom:tenant': user.tenant,
  });
  const AccessToken = await sign({
    ...common,
    client_id: keys.clientId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    username: user.sub,
  });
  return { IdToken, AccessToken, ExpiresIn: TOKEN_SECONDS, TokenType: 'Bearer' as const };
}

export function issueRefreshToken(keys: PoolKeys, user: User, originJti: string): Promise<string> {
  return new EncryptJWT({ sub: user.sub, client_id: keys.clientId, origin_jti: originJti })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(`${REFRESH_SECONDS}s`)
    .encrypt(keys.refreshKey);
}

/** The subject and sign-in of a refresh token this pool sealed and that has not expired. */
export async function openRefreshToken(keys: PoolKeys, token: string): Promise<{ sub: string; originJti: string } | undefined> {
  try {
    const { payload } = await jwtDecrypt(token, keys.refreshKey);
    if (payload.client_id !== keys.clientId || typeof payload.sub !== 'string') return undefined;
    return { sub: payload.sub, originJti: String(payload.origin_jti) };
  } catch {
    return undefined;
  }
}
