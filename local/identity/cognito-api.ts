/**
 * The part of Cognito's JSON API that signing in needs: InitiateAuth with USER_PASSWORD_AUTH and
 * REFRESH_TOKEN_AUTH, with Cognito's success and error shapes (`__type`, `message`), so the SPA
 * (or any AWS SDK) signs in the same way against either cloud.
 */
import { randomUUID } from 'node:crypto';
import type { PoolKeys } from './pool-keys.ts';
import type { UserStore } from './users.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';
import { issueRefreshToken, issueTokens, openRefreshToken, type AuthenticationResult } from './tokens.ts';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

export interface CognitoReply {
  status: number;
  body: Record<string, unknown>;
}

const fail = (type: string, message: string, status = 400): CognitoReply => ({ status, body: { __type: type, message } });

export async function answerCognitoCall(
  pool: { keys: PoolKeys; users: UserStore; throttle: SignInThrottle },
  target: string | undefined,
  rawBody: string,
  issuer: string,
): Promise<CognitoReply> {
  if (target !== `${TARGET_PREFIX}InitiateAuth`) {
    return fail('UnknownOperationException', `${target ?? '(no X-Amz-Target)'} is not an operation this user pool answers`);
  }
  let request: { AuthFlow?: unknown; ClientId?: unknown; AuthParameters?: Record<string, unknown> };
  try {
    request = JSON.parse(rawBody);
    if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new Error('not an object');
  } catch {
    return fail('SerializationException', 'The request body is not a JSON object.');
  }
  if (typeof request.ClientId !== 'string') return fail('InvalidParameterException', 'Missing required parameter ClientId');
  if (request.ClientId !== pool.keys.clientId) return fail('ResourceNotFoundException', `User pool client ${request.ClientId} does not exist.`);
  const params = typeof request.AuthParameters === 'object' && request.AuthParameters !== null ? request.AuthParameters : {};

  if (request.AuthFlow === 'USER_PASSWORD_AUTH') {
    const { USERNAME, PASSWORD } = params;
    if (typeof USERNAME !== 'string') return fail('InvalidParameterException', 'Missing required parameter USERNAME');
    if (typeof PASSWORD !== 'string') return fail('InvalidParameterException', 'Missing required parameter PASSWORD');
    if (pool.throttle.isLocked(USERNAME)) return fail('NotAuthorizedException', 'Password attempts exceeded');
    const user = await pool.users.authenticate(USERNAME, PASSWORD);
    // Like a pool that prevents user-existence errors: an unknown user is a wrong password.
    if (!user) {
      pool.throttle.failed(USERNAME);
      return fail('NotAuthorizedException', 'Incorrect username or password.');
    }
    pool.throttle.succeeded(USERNAME);
    const originJti = randomUUID();
    const result: AuthenticationResult = {
      ...(await issueTokens(pool.keys, issuer, user, originJti)),
      RefreshToken: await issueRefreshToken(pool.keys, user, originJti),
    };
    return { status: 200, body: { AuthenticationResult: result, ChallengeParameters: {} } };
  }

  if (request.AuthFlow === 'REFRESH_TOKEN_AUTH' || request.AuthFlow === 'REFRESH_TOKEN') {
    const token = params.REFRESH_TOKEN;
    if (typeof token !== 'string') return fail('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN');
    const opened = await openRefreshToken(pool.keys, token);
    // The user is read again, so a changed group or tenant shows in the new tokens.
    const user = opened && pool.users.findBySub(opened.sub);
    if (!opened || !user) return fail('NotAuthorizedException', 'Invalid Refresh Token');
    return { status: 200, body: { AuthenticationResult: await issueTokens(pool.keys, issuer, user, opened.originJti), ChallengeParameters: {} } };
  }

  if (request.AuthFlow === undefined) return fail('InvalidParameterException', 'Missing required parameter AuthFlow');
  return fail('InvalidParameterException', `${String(request.AuthFlow)} is not an AuthFlow this client supports (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH)`);
}
