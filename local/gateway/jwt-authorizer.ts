/**
 * What API Gateway's JWT authorizer checks before a function runs (its documented evaluation,
 * "Control access to HTTP APIs with JWT authorizers"): a bearer token whose header names a key
 * (`kid`) of the issuer's JWKS (fetched over HTTP, as AWS does) that signed it; `iss` the
 * configured issuer; `aud`, or `client_id` only when there is no `aud`, the configured audience;
 * `exp` after now (so a token without one is refused: it would never expire); `nbf` and `iat`
 * before now.
 */
import { createRemoteJWKSet, jwtVerify, errors, type JWTPayload, type JWTVerifyGetKey } from 'jose';

export type Authorization =
  | { ok: true; claims: Record<string, string>; scopes: string[] | null }
  | { ok: false; reason: string };

export function createJwtAuthorizer({ issuer, audience }: { issuer: string; audience: string }) {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  // jose would pick the JWKS's only key for a header without kid; API Gateway refuses it.
  const keyNamedByKid: JWTVerifyGetKey = (header, token) => {
    if (!header.kid) throw new NoKid();
    return jwks(header, token);
  };
  return async (authorizationHeader: string | undefined): Promise<Authorization> => {
    const token = authorizationHeader?.replace(/^Bearer\s+/i, '').trim();
    if (!token) return { ok: false, reason: 'the request has no bearer token' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keyNamedByKid, { issuer, algorithms: ['RS256'], requiredClaims: ['exp'] }));
    } catch (err) {
      return { ok: false, reason: describe(err) };
    }
    // jose checks iat only against a maximum age; API Gateway wants it in the past.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000) return { ok: false, reason: "the token's iat is in the future" };
    const audiences = payload.aud === undefined ? [payload.client_id] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(audience)) return { ok: false, reason: 'the token is for another audience' };
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : null;
    return { ok: true, claims: flattenClaims(payload), scopes };
  };
}

class NoKid extends Error {}

function describe(err: unknown): string {
  if (err instanceof NoKid) return 'the token has no kid in its header';
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'iss') return 'the token is from another issuer';
  if (err instanceof errors.JWTClaimValidationFailed && err.reason === 'missing') return `the token has no ${err.claim} claim`;
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
