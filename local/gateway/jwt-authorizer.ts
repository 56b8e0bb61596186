/**
 * What API Gateway's JWT authorizer checks before a function runs: a bearer token signed by a
 * key in the issuer's JWKS (fetched over HTTP, as AWS does), from the configured issuer, for
 * the configured audience (`aud`, or `client_id` of an access token), not expired.
 */
import { createRemoteJWKSet, jwtVerify, errors, type JWTPayload } from 'jose';

export type Authorization =
  | { ok: true; claims: Record<string, string>; scopes: string[] | null }
  | { ok: false; reason: string };

export function createJwtAuthorizer({ issuer, audience }: { issuer: string; audience: string }) {
  const keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  return async (authorizationHeader: string | undefined): Promise<Authorization> => {
    const token = authorizationHeader?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return { ok: false, reason: 'the request has no bearer token' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer, algorithms: ['RS256'] }));
    } catch (err) {
      return { ok: false, reason: describe(err) };
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(audience) && payload.client_id !== audience) {
      return { ok: false, reason: 'the token is for another audience' };
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : null;
    return { ok: true, claims: flattenClaims(payload), scopes };
  };
}

function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'iss') return 'the token is from another issuer';
  if (err instanceof errors.JWTClaimValidationFailed) return `the token's ${err.claim} claim is invalid`;
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
    return 'the token is not signed by the issuer';
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with RS256';
  return 'the token is malformed';
}

/** API Gateway hands claims to the function as strings: arrays become "[a b]". */
function flattenClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]),
  );
}
