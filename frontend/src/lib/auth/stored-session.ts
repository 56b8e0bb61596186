import type { AuthTokens } from './identity-client.ts';

/**
 * What a signed-in tab keeps in sessionStorage under `SESSION_STORAGE_KEY`. Plain TypeScript
 * (no runes): the browser tests start a tab signed in with the session a sign-in stores.
 */
export interface StoredSession {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

// sessionStorage: the session ends with the tab, and other tabs sign in on their own.
export const SESSION_STORAGE_KEY = 'sheetflow.session';

/** The session a sign-in (or a refresh) giving `tokens` at `now` stores. */
export function storedSession(tokens: AuthTokens, now = Date.now()): StoredSession {
  return { idToken: tokens.idToken, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: now + tokens.expiresInSeconds * 1000 };
}
