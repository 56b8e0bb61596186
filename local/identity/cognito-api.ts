/**
 * The part of Cognito's JSON API that Sheetflow uses, with Cognito's success and error shapes
 * (`__type`, `message`), so the SPA and the functions (any AWS SDK) work the same against either
 * cloud:
 *   - sign-in: InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH), RespondToAuthChallenge
 *     (NEW_PASSWORD_REQUIRED, for an invited user's temporary password), ForgotPassword and
 *     ConfirmForgotPassword (a code by mail; also after an administrator's reset);
 *   - administration (admin-api.ts), which must come SigV4-signed.
 * After every password sign-in the post-authentication trigger runs, as Cognito runs its Lambda.
 */
import { randomUUID } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { PoolKeys } from './pool-keys.ts';
import { assertPasswordPolicy, UserPoolError, type User, type UserStore } from './users.ts';
import type { AttemptLockout } from './attempt-lockout.ts';
import { issueRefreshToken, issueTokens, openRefreshToken, type AuthenticationResult } from './tokens.ts';
import { ADMIN_OPERATIONS, attributesOf, mailResetCode, refusedAdminCall } from './admin-api.ts';
import type { Outbox } from './outbox.ts';
import type { Credentials, ReceivedRequest } from '../signature-v4.ts';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

export interface CognitoReply {
  status: number;
  body: Record<string, unknown>;
}

/** What the HTTP request said besides its body. */
export interface CallContext {
  /** The request as received (method, raw path and query, headers): admin calls must be SigV4-signed. */
  request?: ReceivedRequest;
  sourceIp?: string;
}

/** A Cognito Lambda trigger: the Lambda's handler, given Cognito's event. */
export type LambdaTrigger = (event: Record<string, unknown>) => Promise<unknown>;

/** The pool's Lambda triggers: after a sign-in, and before a message is mailed (the invitation). */
export interface PoolTriggers {
  postAuthentication?: LambdaTrigger;
  customMessage?: LambdaTrigger;
}

export interface Pool {
  keys: PoolKeys;
  users: UserStore;
  /** Failed attempts per user name (passwords) and per user (reset codes), as Cognito locks them out. */
  lockouts: { signIn: AttemptLockout; resetCode: AttemptLockout };
  outbox: Outbox;
  userPoolId: string;
  /** The key pair admin calls must be signed with (IAM credentials in AWS); none: admin calls are refused. */
  credentials?: Credentials;
  triggers: PoolTriggers;
}

const fail = (type: string, message: string, status = 400): CognitoReply => ({ status, body: { __type: type, message } });
const CHALLENGE_SECONDS = 180;

export async function answerCognitoCall(pool: Pool, target: string | undefined, rawBody: string, issuer: string, context: CallContext = {}): Promise<CognitoReply> {
  const operation = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const admin = operation && Object.hasOwn(ADMIN_OPERATIONS, operation) ? ADMIN_OPERATIONS[operation] : undefined;
  // As AWS: the signature first, before anything of the body is read.
  const refused = admin && refusedAdminCall(pool.credentials, context.request, rawBody);
  if (refused) return fail(refused.type, refused.message, refused.status);
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(rawBody);
    if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new Error('not an object');
  } catch {
    return fail('SerializationException', 'The request body is not a JSON object.');
  }
  try {
    if (admin) return { status: 200, body: await admin(pool, request, issuer) };
    if (operation === 'InitiateAuth') return await initiateAuth(pool, request, issuer, context);
    if (operation === 'RespondToAuthChallenge') return await respondToChallenge(pool, request, issuer, context);
    if (operation === 'ForgotPassword') return await forgotPassword(pool, request);
    if (operation === 'ConfirmForgotPassword') return await confirmForgotPassword(pool, request);
  } catch (err) {
    if (err instanceof UserPoolError) return fail(err.type, err.message);
    throw err;
  }
  return fail('UnknownOperationException', `${target ?? '(no X-Amz-Target)'} is not an operation this user pool answers`);
}

function clientError(pool: Pool, request: Record<string, unknown>): CognitoReply | undefined {
  if (typeof request.ClientId !== 'string') return fail('InvalidParameterException', 'Missing required parameter ClientId');
  if (request.ClientId !== pool.keys.clientId) return fail('ResourceNotFoundException', `User pool client ${request.ClientId} does not exist.`);
  return undefined;
}

async function initiateAuth(pool: Pool, request: Record<string, unknown>, issuer: string, context: CallContext): Promise<CognitoReply> {
  const refused = clientError(pool, request);
  if (refused) return refused;
  const params = (typeof request.AuthParameters === 'object' && request.AuthParameters !== null ? request.AuthParameters : {}) as Record<string, unknown>;

  if (request.AuthFlow === 'USER_PASSWORD_AUTH') {
    const { USERNAME, PASSWORD } = params;
    if (typeof USERNAME !== 'string') return fail('InvalidParameterException', 'Missing required parameter USERNAME');
    if (typeof PASSWORD !== 'string') return fail('InvalidParameterException', 'Missing required parameter PASSWORD');
    // Counted before the hash: guesses sent at once cannot all be checked. As Cognito, the right
    // password is refused too while the name is locked (its lockouts are short and grow).
    if (!pool.lockouts.signIn.admit(USERNAME)) return fail('NotAuthorizedException', 'Password attempts exceeded');
    const user = await pool.users.authenticate(USERNAME, PASSWORD);
    // Like a pool that prevents user-existence errors: an unknown user is a wrong password.
    if (!user) return fail('NotAuthorizedException', 'Incorrect username or password.');
    pool.lockouts.signIn.succeeded(USERNAME);
    if (user.enabled === false) return fail('NotAuthorizedException', 'User is disabled.');
    if (user.status === 'RESET_REQUIRED') return fail('PasswordResetRequiredException', 'Password reset required for the user');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      return {
        status: 200,
        body: {
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: await sealSession(pool, user),
          ChallengeParameters: { USER_ID_FOR_SRP: user.sub, requiredAttributes: '[]', userAttributes: JSON.stringify({ email: user.email }) },
        },
      };
    }
    return signedIn(pool, user, issuer, context);
  }

  if (request.AuthFlow === 'REFRESH_TOKEN_AUTH' || request.AuthFlow === 'REFRESH_TOKEN') {
    const token = params.REFRESH_TOKEN;
    if (typeof token !== 'string') return fail('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN');
    const opened = await openRefreshToken(pool.keys, token);
    // The user is read again, so a changed group or tenant shows in the new tokens, and a disabled user gets none.
    const user = opened && pool.users.findBySub(opened.sub);
    if (!opened || !user) return fail('NotAuthorizedException', 'Invalid Refresh Token');
    if (user.enabled === false) return fail('NotAuthorizedException', 'User is disabled.');
    return { status: 200, body: { AuthenticationResult: await issueTokens(pool.keys, issuer, user, opened.originJti), ChallengeParameters: {} } };
  }

  if (request.AuthFlow === undefined) return fail('InvalidParameterException', 'Missing required parameter AuthFlow');
  return fail('InvalidParameterException', `${String(request.AuthFlow)} is not an AuthFlow this client supports (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH)`);
}

async function respondToChallenge(pool: Pool, request: Record<string, unknown>, issuer: string, context: CallContext): Promise<CognitoReply> {
  const refused = clientError(pool, request);
  if (refused) return refused;
  if (request.ChallengeName !== 'NEW_PASSWORD_REQUIRED') return fail('InvalidParameterException', `${String(request.ChallengeName)} is not a challenge this pool sets`);
  const responses = (request.ChallengeResponses ?? {}) as Record<string, unknown>;
  const sub = typeof request.Session === 'string' ? await openSession(pool, request.Session) : undefined;
  const user = sub && pool.users.findBySub(sub);
  if (!user || user.status !== 'FORCE_CHANGE_PASSWORD') return fail('NotAuthorizedException', 'Invalid session for the user, session is expired.');
  if (typeof responses.NEW_PASSWORD !== 'string') return fail('InvalidParameterException', 'Missing required parameter NEW_PASSWORD');
  if (user.enabled === false) return fail('NotAuthorizedException', 'User is disabled.');
  return signedIn(pool, await pool.users.setPassword(user.sub, responses.NEW_PASSWORD, 'CONFIRMED'), issuer, context);
}

/**
 * A user who forgot their password asks for a code by mail (ConfirmForgotPassword then sets a
 * new one). As a pool that prevents user-existence errors, an unknown user is answered as if a
 * code went out; as Cognito, an invited user who has not chosen a password yet cannot reset it.
 */
async function forgotPassword(pool: Pool, request: Record<string, unknown>): Promise<CognitoReply> {
  const refused = clientError(pool, request);
  if (refused) return refused;
  if (typeof request.Username !== 'string') return fail('InvalidParameterException', 'Missing required parameter Username');
  const user = pool.users.find(request.Username);
  const delivered = (email: string) => ({ status: 200, body: { CodeDeliveryDetails: { Destination: maskedEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' } } });
  if (!user) return delivered(request.Username);
  if (user.enabled === false) return fail('NotAuthorizedException', 'User is disabled.');
  if (user.status === 'FORCE_CHANGE_PASSWORD') return fail('NotAuthorizedException', 'User password cannot be reset in the current state.');
  await mailResetCode(pool, user, { requireReset: false });
  return delivered(user.email);
}

/** As Cognito shows where a code went: `j***@e***`. */
const maskedEmail = (email: string) => `${email.slice(0, 1)}***@${email.split('@')[1]?.slice(0, 1) ?? ''}***`;

async function confirmForgotPassword(pool: Pool, request: Record<string, unknown>): Promise<CognitoReply> {
  const refused = clientError(pool, request);
  if (refused) return refused;
  const { Username, ConfirmationCode, Password } = request;
  if (typeof Username !== 'string' || typeof ConfirmationCode !== 'string' || typeof Password !== 'string') {
    return fail('InvalidParameterException', 'Username, ConfirmationCode and Password are required');
  }
  // A password the policy refuses costs no attempt at the code.
  assertPasswordPolicy(Password);
  // Per user, not per spelling of the name: the e-mail and the sub name the same code.
  const attempts = pool.users.findByUsername(Username)?.sub ?? Username;
  if (!pool.lockouts.resetCode.admit(attempts)) return fail('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
  await pool.users.confirmReset(Username, ConfirmationCode, Password);
  pool.lockouts.resetCode.succeeded(attempts);
  return { status: 200, body: {} };
}

/** Tokens for a user who has just proven who they are, after the post-authentication trigger has run. */
async function signedIn(pool: Pool, user: User, issuer: string, context: CallContext): Promise<CognitoReply> {
  const trigger = pool.triggers.postAuthentication;
  if (trigger) {
    try {
      await trigger(postAuthenticationEvent(pool, user, context));
    } catch (err) {
      // As Cognito: a failing trigger fails the sign-in.
      console.error('[identity] post-authentication trigger failed:', err);
      return fail('UnexpectedLambdaException', 'PostAuthentication failed with error: the trigger failed.');
    }
  }
  const originJti = randomUUID();
  const result: AuthenticationResult = {
    ...(await issueTokens(pool.keys, issuer, user, originJti)),
    RefreshToken: await issueRefreshToken(pool.keys, user, originJti),
  };
  return { status: 200, body: { AuthenticationResult: result, ChallengeParameters: {} } };
}

/**
 * Cognito's PostAuthentication_Authentication event. Cognito's has no client address; this
 * pool passes the one it saw as clientMetadata.sourceIp (in AWS a client may send its own).
 */
function postAuthenticationEvent(pool: Pool, user: User, context: CallContext): Record<string, unknown> {
  return {
    version: '1',
    triggerSource: 'PostAuthentication_Authentication',
    region: pool.userPoolId.split('_')[0],
    userPoolId: pool.userPoolId,
    userName: user.sub,
    callerContext: { awsSdkVersion: 'local', clientId: pool.keys.clientId },
    request: {
      userAttributes: Object.fromEntries(attributesOf(user).map((a) => [a.Name, a.Value])),
      newDeviceUsed: false,
      clientMetadata: context.sourceIp ? { sourceIp: context.sourceIp } : {},
    },
    response: {},
  };
}

function sealSession(pool: Pool, user: User): Promise<string> {
  return new EncryptJWT({ sub: user.sub, purpose: 'NEW_PASSWORD_REQUIRED' })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(`${CHALLENGE_SECONDS}s`)
    .encrypt(pool.keys.refreshKey);
}

async function openSession(pool: Pool, session: string): Promise<string | undefined> {
  try {
    const { payload } = await jwtDecrypt(session, pool.keys.refreshKey);
    return payload.purpose === 'NEW_PASSWORD_REQUIRED' && typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
