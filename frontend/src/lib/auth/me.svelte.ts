/**
 * The signed-in user as `GET /api/me` describes them (role and its permissions), read once per
 * user and shared by every page: the shell's nav, the grid, the card and the board ask
 * `permissions.ts` about it. Read again when another user signs in in this tab.
 */
import { Me } from '$contracts/auth.ts';
import type { ApiClient } from '../api/api-client.ts';
import { session } from './session.svelte.ts';

// The token's tenant and e-mail name the user (it has no sub for display); a new one asks again.
const signedInAs = () => (session.user ? `${session.user.tenant}/${session.user.email}` : '');

class CurrentUser {
  /** Undefined until the answer: permissions.ts then allows nothing (the safe default). */
  me = $state.raw<Me | undefined>();
  #loading: { who: string; answer: Promise<Me | undefined> } | null = null;

  /** The caller's Me, asked for at most once per signed-in user (a failure is asked again). */
  load(api: ApiClient): Promise<Me | undefined> {
    const who = signedInAs();
    if (!who) return Promise.resolve((this.me = undefined));
    if (this.#loading?.who === who) return this.#loading.answer;
    if (this.me) this.me = undefined;
    const answer = api.request('GET', '/api/me', Me).then(
      (me) => (signedInAs() === who ? (this.me = me) : undefined),
      (err) => {
        this.#loading = null;
        throw err;
      },
    );
    this.#loading = { who, answer };
    return answer;
  }
}

export const currentUser = new CurrentUser();
