import { TokenClaims } from '$contracts/auth.ts';

/** Who is signed in, as the UI shows it. */
export interface SignedInUser {
  email: string;
  tenant: string;
  groups: string[];
}

/**
 * Reads the ID token's payload for display only; the API verifies the signature on every call,
 * so nothing here is trusted for access decisions.
 */
export function userFromIdToken(idToken: string): SignedInUser {
  const payload = idToken.split('.')[1];
  if (!payload) throw new Error('The ID token is not a JWT.');
  const json = new TextDecoder().decode(
    Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
  );
  const claims = TokenClaims.parse(JSON.parse(json));
  const groups = claims['cognito:groups'];
  return {
    email: claims.email ?? claims.sub,
    tenant: claims['custom:tenant'],
    groups: Array.isArray(groups) ? groups : groups ? [groups] : [],
  };
}
