// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from './session.svelte.ts';

const passwordPolicy = { minLength: 8, requireLowercase: false, requireUppercase: false, requireDigits: false, requireSymbols: false };
const config = { apiUrl: '', auth: { endpoint: 'https://idp.example.com/', clientId: 'client-1', passwordPolicy } };
const jwt = (email: string) =>
  ['{"alg":"RS256"}', JSON.stringify({ sub: 's', email, 'custom:tenant': 'acme' })]
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.') + '.sig';

/** The identity provider at the network boundary: answers InitiateAuth by flow. */
function identityProvider(answers: { USER_PASSWORD_AUTH?: () => Response; REFRESH_TOKEN_AUTH?: () => Response }) {
  const flows: string[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const { AuthFlow } = JSON.parse(String(init.body));
    flows.push(AuthFlow);
    const answer = answers[AuthFlow as keyof typeof answers];
    if (!answer) throw new Error(`unexpected ${AuthFlow}`);
    return answer();
  });
  return flows;
}

const tokens = (email: string, expiresIn: number, refresh?: string) =>
  new Response(
    JSON.stringify({
      AuthenticationResult: { IdToken: jwt(email), AccessToken: 'a', ExpiresIn: expiresIn, ...(refresh ? { RefreshToken: refresh } : {}) },
    }),
  );

beforeEach(() => session.signOut());
afterEach(() => vi.unstubAllGlobals());

describe('session', () => {
  it('signs in, keeps the tokens in sessionStorage and knows the user', async () => {
    identityProvider({ USER_PASSWORD_AUTH: () => tokens('ada@example.com', 3600, 'r1') });
    await session.signIn(config, 'ada@example.com', 'pw');
    expect(session.signedIn).toBe(true);
    expect(session.user).toEqual({ email: 'ada@example.com', tenant: 'acme', groups: [] });
    expect(JSON.parse(sessionStorage.getItem('sheetflow.session')!).refreshToken).toBe('r1');
    expect(await session.idToken(config)).toBe(jwt('ada@example.com'));
  });

  it('refreshes a token about to expire, once for callers asking together, keeping the refresh token', async () => {
    const flows = identityProvider({
      USER_PASSWORD_AUTH: () => tokens('ada@example.com', 30, 'r1'),
      REFRESH_TOKEN_AUTH: () => tokens('ada+fresh@example.com', 3600),
    });
    await session.signIn(config, 'ada@example.com', 'pw');

    const [first, second] = await Promise.all([session.idToken(config), session.idToken(config)]);

    expect(first).toBe(jwt('ada+fresh@example.com'));
    expect(second).toBe(first);
    expect(flows).toEqual(['USER_PASSWORD_AUTH', 'REFRESH_TOKEN_AUTH']);
    expect(JSON.parse(sessionStorage.getItem('sheetflow.session')!).refreshToken).toBe('r1');
  });

  it('ends the session when the refresh is refused', async () => {
    identityProvider({
      USER_PASSWORD_AUTH: () => tokens('ada@example.com', 3600, 'r1'),
      REFRESH_TOKEN_AUTH: () => new Response(JSON.stringify({ __type: 'NotAuthorizedException' }), { status: 400 }),
    });
    await session.signIn(config, 'ada@example.com', 'pw');

    expect(await session.idToken(config, { forceRefresh: true })).toBeNull();
    expect(session.signedIn).toBe(false);
    expect(sessionStorage.getItem('sheetflow.session')).toBeNull();
  });
});

describe('choosing the first password', () => {
  /** The pool at the network boundary, by X-Amz-Target; refuses the first password it is given. */
  function pool() {
    const calls: string[] = [];
    const sessions: string[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      const operation = String((init.headers as Record<string, string>)['X-Amz-Target']).split('.').pop()!;
      const body = JSON.parse(String(init.body));
      calls.push(operation);
      if (operation === 'InitiateAuth') {
        sessions.push(`session-${sessions.length + 1}`);
        return new Response(JSON.stringify({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: sessions.at(-1) }));
      }
      if (body.ChallengeResponses.NEW_PASSWORD === 'weak') return new Response(JSON.stringify({ __type: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' }), { status: 400 });
      expect(body.Session).toBe(sessions.at(-1));
      return tokens('new@example.com', 3600, 'r');
    });
    return calls;
  }

  it('answers the challenge it has; after a refusal, the temporary password asks for a fresh one', async () => {
    const calls = pool();
    await expect(session.choosePassword(config, 'new@example.com', 'temporary', 'weak', 'session-0')).rejects.toMatchObject({ code: 'InvalidPasswordException' });
    expect(calls).toEqual(['RespondToAuthChallenge']);
    await session.choosePassword(config, 'new@example.com', 'temporary', 'a good long one');
    expect(calls).toEqual(['RespondToAuthChallenge', 'InitiateAuth', 'RespondToAuthChallenge']);
    expect(session.user?.email).toBe('new@example.com');
  });
});
