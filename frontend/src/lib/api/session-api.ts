import { goto } from '$app/navigation';
import type { ClientConfig } from '$contracts/auth.ts';
import { session } from '../auth/session.svelte.ts';
import { createApiClient } from './api-client.ts';

/** The API client of the signed-in user: their token on every call, back to sign-in when it ends. */
export function sessionApi(config: ClientConfig) {
  return createApiClient({
    baseUrl: config.apiUrl,
    token: (options) => session.idToken(config, options),
    onSessionEnded: () => {
      session.signOut();
      void goto(`/signin?next=${encodeURIComponent(location.pathname)}`);
    },
  });
}
