/**
 * Cognito's administrative user calls (AdminCreateUser, groups, disable/enable, password
 * resets) as the API Lambda makes them through @aws-sdk/client-cognito-identity-provider. In
 * AWS these need IAM credentials; here a request must be SigV4-signed with the one key pair
 * the pool is given (the embedded cloud's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, which the
 * functions' SDK signs with), body included, so neither a browser holding only a user's token
 * nor a client with other keys can call them.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { USER_GROUPS, TENANT_ATTRIBUTE, type UserGroup } from '../../infra/app-resources.ts';
import { SignatureError, jsonApiRefusal, sha256Hex, verifySignature, type Credentials, type ReceivedRequest, type Refusal } from '../signature-v4.ts';
import { invitation } from '../../functions/users/invitation-text.ts';
import type { PoolTriggers } from './cognito-api.ts';
import type { Outbox } from './outbox.ts';
import { UserPoolError, type User, type UserStore } from './users.ts';

export interface AdminPool {
  users: UserStore;
  userPoolId: string;
  outbox: Outbox;
  triggers: PoolTriggers;
}

/**
 * Why an admin call is refused, or undefined when it is signed by `credentials` (no pool
 * credentials: every admin call is refused). The body is part of what is signed: a changed body
 * is a signature that does not match.
 */
export function refusedAdminCall(credentials: Credentials | undefined, request: ReceivedRequest | undefined, rawBody: string): Refusal | undefined {
  if (!request || !credentials) return jsonApiRefusal(new SignatureError('Missing', 'no credentials'));
  try {
    verifySignature(request, credentials, { service: 'cognito-idp', payloadHash: sha256Hex(rawBody), uriEscapePath: true });
    return undefined;
  } catch (err) {
    if (!(err instanceof SignatureError)) throw err;
    return jsonApiRefusal(err);
  }
}

type Request = Record<string, unknown>;
type Reply = Record<string, unknown>;

/** `issuer`: the pool's URL as the caller reached it; the app's sign-in page is served beside it. */
export const ADMIN_OPERATIONS: Record<string, (pool: AdminPool, request: Request, issuer: string) => Promise<Reply>> = {
  AdminCreateUser: async (pool, request, issuer) => {
    // As Cognito: RESEND mails an invited user a new temporary password (and restarts its validity).
    if (request.MessageAction === 'RESEND') {
      const invited = userOf(pool, request);
      if (invited.status !== 'FORCE_CHANGE_PASSWORD') throw new UserPoolError('UnsupportedUserStateException', `Resend not possible. ${invited.sub} status is not FORCE_CHANGE_PASSWORD.`);
      const password = temporaryPassword();
      const mail = await invitationMail(pool, Object.fromEntries(attributesOf(invited).map((a) => [a.Name, a.Value])), invited.sub, issuer);
      const user = await pool.users.setPassword(invited.sub, password, 'FORCE_CHANGE_PASSWORD');
      sendInvitation(pool, user, password, mail);
      return { User: userReply(user) };
    }
    const attributes = attributeMap(request.UserAttributes);
    const email = attributes.email ?? String(request.Username ?? '');
    const tenant = attributes[`custom:${TENANT_ATTRIBUTE}`];
    if (!tenant) throw new UserPoolError('InvalidParameterException', `custom:${TENANT_ATTRIBUTE} is required`);
    const password = typeof request.TemporaryPassword === 'string' ? request.TemporaryPassword : temporaryPassword();
    // Written before the user is created: a failing trigger fails the call and leaves no user behind.
    const mail = request.MessageAction === 'SUPPRESS' ? undefined : await invitationMail(pool, { ...attributes, email }, email, issuer);
    const user = await pool.users.create({ email, password, tenant, name: attributes.name, status: 'FORCE_CHANGE_PASSWORD' });
    if (mail) sendInvitation(pool, user, password, mail);
    return { User: userReply(user) };
  },
  AdminGetUser: async (pool, request) => {
    const user = userOf(pool, request);
    return { Username: user.sub, UserAttributes: attributesOf(user), Enabled: user.enabled !== false, UserStatus: user.status ?? 'CONFIRMED', UserCreateDate: seconds(user.createdAt) };
  },
  AdminAddUserToGroup: async (pool, request) => {
    const group = groupOf(request);
    await pool.users.update(userOf(pool, request).sub, (user) => void (user.groups.includes(group) || user.groups.push(group)));
    return {};
  },
  AdminRemoveUserFromGroup: async (pool, request) => {
    const group = groupOf(request);
    await pool.users.update(userOf(pool, request).sub, (user) => void (user.groups = user.groups.filter((g) => g !== group)));
    return {};
  },
  AdminListGroupsForUser: async (pool, request) => ({ Groups: userOf(pool, request).groups.map((GroupName) => ({ GroupName, UserPoolId: pool.userPoolId })) }),
  AdminDisableUser: async (pool, request) => {
    await pool.users.update(userOf(pool, request).sub, (user) => void (user.enabled = false));
    return {};
  },
  AdminEnableUser: async (pool, request) => {
    await pool.users.update(userOf(pool, request).sub, (user) => void (user.enabled = true));
    return {};
  },
  AdminResetUserPassword: async (pool, request) => {
    await mailResetCode(pool, userOf(pool, request), { requireReset: true });
    return {};
  },
  AdminSetUserPassword: async (pool, request) => {
    if (typeof request.Password !== 'string') throw new UserPoolError('InvalidParameterException', 'Missing required parameter Password');
    await pool.users.setPassword(userOf(pool, request).sub, request.Password, request.Permanent === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD');
    return {};
  },
};

/** Cognito's placeholders in a custom message, for the user name and the temporary password. */
const PLACEHOLDERS = { username: '{username}', password: '{####}' };

interface InvitationMail {
  subject: string;
  /** With the placeholders, which the pool fills in as it sends it. */
  body: string;
  /** The app's sign-in page beside the pool, for a program to pick up. */
  signInUrl: string;
}

/**
 * The invitation as Cognito writes it: the pool's custom message trigger's (the same handler as
 * the Lambda in AWS, functions/users/invitation-message.ts: it names the tenant's company), or,
 * without one or when it leaves the message be, the pool's own template (infra/constructs/auth.ts).
 * As in Cognito, a failing trigger fails the call (UserLambdaValidationException).
 */
async function invitationMail(pool: AdminPool, userAttributes: Record<string, string>, userName: string, issuer: string): Promise<InvitationMail> {
  const signInUrl = new URL('/signin', issuer).href;
  const template = invitation({ ...PLACEHOLDERS, signInUrl });
  const trigger = pool.triggers.customMessage;
  if (!trigger) return { subject: template.subject, body: template.html, signInUrl };
  const event = {
    version: '1',
    triggerSource: 'CustomMessage_AdminCreateUser',
    region: pool.userPoolId.split('_')[0],
    userPoolId: pool.userPoolId,
    userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' },
    request: { userAttributes, codeParameter: PLACEHOLDERS.password, linkParameter: '{##Click Here##}', usernameParameter: PLACEHOLDERS.username },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
  let response: { emailSubject?: string | null; emailMessage?: string | null };
  try {
    response = ((await trigger(event)) as typeof event).response;
  } catch (err) {
    console.error('[identity] custom message trigger failed:', err);
    throw new UserPoolError('UserLambdaValidationException', 'CustomMessage failed with error the trigger failed.');
  }
  // Cognito mails its template when the message lacks a placeholder: the user could not sign in with it.
  const body = response.emailMessage;
  if (!body || !body.includes(PLACEHOLDERS.username) || !body.includes(PLACEHOLDERS.password)) return { subject: template.subject, body: template.html, signInUrl };
  return { subject: response.emailSubject || template.subject, body, signInUrl };
}

/** The invitation with the user's name and temporary password filled in; its `data` carries them for a program. */
function sendInvitation(pool: AdminPool, user: User, password: string, mail: InvitationMail): void {
  const body = mail.body.replaceAll(PLACEHOLDERS.username, user.email).replaceAll(PLACEHOLDERS.password, password);
  pool.outbox.send(user.email, mail.subject, body, { temporaryPassword: password, signInUrl: mail.signInUrl, tenant: user.tenant });
}

/**
 * A password reset code by mail: after an administrator's reset (the user must use it: RESET_REQUIRED),
 * or asked for by the user (ForgotPassword: the old password still signs in until the code sets a new one).
 */
export async function mailResetCode(pool: Pick<AdminPool, 'users' | 'outbox'>, user: User, { requireReset }: { requireReset: boolean }): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await pool.users.startReset(user.sub, code, { requireReset });
  const why = requireReset ? 'Your Sheetflow password was reset.' : 'You asked to choose a new Sheetflow password.';
  pool.outbox.send(user.email, 'Your password reset code', `${why} Your code is ${code}.`, { code });
}

function userReply(user: User): Reply {
  return { Username: user.sub, Attributes: attributesOf(user), Enabled: user.enabled !== false, UserStatus: user.status, UserCreateDate: seconds(user.createdAt), UserLastModifiedDate: seconds(user.createdAt) };
}

/** The user named by `Username` in the pool named by `UserPoolId`. */
function userOf(pool: AdminPool, request: Request): User {
  if (request.UserPoolId !== pool.userPoolId) throw new UserPoolError('ResourceNotFoundException', `User pool ${String(request.UserPoolId)} does not exist.`);
  const user = typeof request.Username === 'string' ? pool.users.findByUsername(request.Username) : undefined;
  if (!user) throw new UserPoolError('UserNotFoundException', 'User does not exist.');
  return user;
}

function groupOf(request: Request): UserGroup {
  const group = request.GroupName as UserGroup;
  if (!USER_GROUPS.includes(group)) throw new UserPoolError('ResourceNotFoundException', 'Group not found.');
  return group;
}

function attributeMap(list: unknown): Record<string, string> {
  if (!Array.isArray(list)) return {};
  return Object.fromEntries(list.filter((a) => typeof a?.Name === 'string').map((a) => [a.Name, String(a.Value ?? '')]));
}

export function attributesOf(user: User): Array<{ Name: string; Value: string }> {
  return [
    { Name: 'sub', Value: user.sub },
    { Name: 'email', Value: user.email },
    { Name: 'email_verified', Value: 'true' },
    { Name: `custom:${TENANT_ATTRIBUTE}`, Value: user.tenant },
    ...(user.name ? [{ Name: 'name', Value: user.name }] : []),
  ];
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** Meets the AWS pool's policy (12+, upper, lower, digit, symbol), as Cognito's generated ones do. */
const temporaryPassword = () => `${randomBytes(9).toString('base64url')}aA1!`;
