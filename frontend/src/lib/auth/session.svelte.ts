import type { ClientConfig } from '$contracts/auth.ts';
import { confirmPasswordReset, NewPasswordRequired, refreshTokens, respondWithNewPassword, signInWithPassword, type AuthTokens } from './identity-client.ts';
import { SESSION_STORAGE_KEY as STORAGE_KEY, storedSession, type StoredSession } from './stored-session.ts';
import { userFromIdToken, type SignedInUser } from './token-claims.ts';

// Refresh a little early so that a token never expires between the check and the request.
const REFRESH_MARGIN_MS = 60_000;

function load(): StoredSession | null {
  if (typeof sessionStorage === 'undefined') return null;
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    return stored?.idToken ? stored : null;
  } catch {
    return null;
  }
}

/** The signed-in user and their tokens, kept in sessionStorage across reloads. */
class Session {
  #stored = $state<StoredSession | null>(load());
  #refreshing: Promise<string | null> | null = null;

  user: SignedInUser | null = $derived.by(() => {
    if (!this.#stored) return null;
    try {
      return userFromIdToken(this.#stored.idToken);
    } catch {
      return null;
    }
  });

  get signedIn() {
    return this.user !== null;
  }

  async signIn(config: ClientConfig, email: string, password: string) {
    this.#store(await signInWithPassword(config.auth, email, password));
  }

  /** After Forgot password or an administrator's reset: sets the new password with the mailed code, then signs in with it. */
  async resetPassword(config: ClientConfig, email: string, code: string, newPassword: string) {
    await confirmPasswordReset(config.auth, email, code, newPassword);
    await this.signIn(config, email, newPassword);
  }

  /**
   * Finishes an invited user's first sign-in with the password they chose. `challenge` is the
   * session NewPasswordRequired gave; without one (a try after a refused password: Cognito takes
   * one answer per session, and it lasts 3 minutes) the temporary password asks for a new one.
   */
  async choosePassword(config: ClientConfig, email: string, temporaryPassword: string, newPassword: string, challenge?: string) {
    let session = challenge;
    if (!session) {
      try {
        return await this.signIn(config, email, temporaryPassword);
      } catch (err) {
        if (!(err instanceof NewPasswordRequired)) throw err;
        session = err.session;
      }
    }
    this.#store(await respondWithNewPassword(config.auth, email, session, newPassword));
  }

  signOut() {
    this.#stored = null;
    sessionStorage.removeItem(STORAGE_KEY);
  }

  /** A current ID token, refreshed when close to expiry; null when the session has ended. */
  async idToken(config: ClientConfig, { forceRefresh = false } = {}): Promise<string | null> {
    const stored = this.#stored;
    if (!stored) return null;
    if (!forceRefresh && stored.expiresAt - REFRESH_MARGIN_MS > Date.now()) return stored.idToken;
    this.#refreshing ??= this.#refresh(config, stored).finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  async #refresh(config: ClientConfig, stored: StoredSession): Promise<string | null> {
    if (!stored.refreshToken) {
      this.signOut();
      return null;
    }
    try {
      const tokens = await refreshTokens(config.auth, stored.refreshToken);
      this.#store({ ...tokens, refreshToken: tokens.refreshToken ?? stored.refreshToken });
      return tokens.idToken;
    } catch {
      this.signOut();
      return null;
    }
  }

  #store(tokens: AuthTokens) {
    const stored = storedSession(tokens);
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    this.#stored = stored;
  }
}

export const session = new Session();
