import { describe, expect, it } from 'vitest';
import { userFromIdToken } from './token-claims.ts';

const jwt = (payload: object) =>
  ['{"alg":"RS256"}', JSON.stringify(payload)].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.sig';

describe('userFromIdToken', () => {
  it('reads email, tenant and groups, including non-ASCII text', () => {
    const user = userFromIdToken(jwt({ sub: 'u1', email: 'zoë@example.com', 'custom:tenant': 'acme', 'cognito:groups': ['admin'] }));
    expect(user).toEqual({ email: 'zoë@example.com', tenant: 'acme', groups: ['admin'] });
  });

  it('accepts a single group as a string and falls back to sub for a user without email', () => {
    expect(userFromIdToken(jwt({ sub: 'u2', 'custom:tenant': 't', 'cognito:groups': 'sales' }))).toEqual({
      email: 'u2',
      tenant: 't',
      groups: ['sales'],
    });
  });

  it('refuses a token without a tenant', () => {
    expect(() => userFromIdToken(jwt({ sub: 'u3' }))).toThrow();
    expect(() => userFromIdToken('not-a-jwt')).toThrow();
  });
});
