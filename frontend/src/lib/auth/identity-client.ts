import type { ClientConfig } from '$contracts/auth.ts';

/**
 * The one sign-in call the SPA makes: Cognito's InitiateAuth (JSON 1.1 protocol). Real Cognito
 * answers it in AWS and local/identity answers it here, so there is no second code path.
 */
export interface AuthTokens {
  idToken: string;
  accessToken: string;
  /** Cognito does not return a new refresh token on refresh; the caller keeps the old one. */
  refreshToken?: string;
  expiresInSeconds: number;
}

/** A sign-in failure with a message fit to show the user. */
export class SignInError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** What the identity provider said, for the cases its type alone does not tell apart. */
    readonly serverMessage?: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/**
 * An invited user's first sign-in: the password was a temporary one and they must choose their
 * own (Cognito's NEW_PASSWORD_REQUIRED challenge); `session` goes back with it.
 */
export class NewPasswordRequired extends SignInError {
  constructor(readonly session: string) {
    super('NewPasswordRequired', 'Choose a password of your own to finish signing in.');
    this.name = 'NewPasswordRequired';
  }
}

type AuthConfig = ClientConfig['auth'];

export function signInWithPassword(auth: AuthConfig, email: string, password: string, fetchFn: typeof fetch = fetch) {
  return initiateAuth(auth, 'USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD: password }, fetchFn);
}

/** Answers NEW_PASSWORD_REQUIRED with the password the user chose: tokens, as a sign-in gives. */
export async function respondWithNewPassword(auth: AuthConfig, email: string, session: string, newPassword: string, fetchFn: typeof fetch = fetch) {
  const payload = { ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: auth.clientId, Session: session, ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword } };
  return tokensOf(await callCognito(auth, 'RespondToAuthChallenge', payload, fetchFn));
}

/**
 * Forgot password: the identity provider e-mails a code (Cognito's ForgotPassword), which
 * `confirmPasswordReset` takes with a new password. Answers where the code went (`j***@e***`);
 * an unknown e-mail is answered alike, so the page cannot tell who has an account.
 */
export async function forgotPassword(auth: AuthConfig, email: string, fetchFn: typeof fetch = fetch): Promise<string | undefined> {
  try {
    const body = await callCognito(auth, 'ForgotPassword', { ClientId: auth.clientId, Username: email }, fetchFn);
    const destination = body?.CodeDeliveryDetails?.Destination;
    return typeof destination === 'string' ? destination : undefined;
  } catch (err) {
    // Cognito's answer for an invited user who has not chosen a password yet.
    if (err instanceof SignInError && err.code === 'NotAuthorizedException' && /current state/.test(err.serverMessage ?? '')) {
      throw new SignInError(
        'InvitationNotAccepted',
        'You have not chosen a password yet: sign in with the temporary password from your invitation e-mail, or ask your administrator to send the invitation again.',
      );
    }
    throw err;
  }
}

/** The code from the e-mail (after Forgot password, or an administrator's reset) and a new password (Cognito's ConfirmForgotPassword). */
export async function confirmPasswordReset(auth: AuthConfig, email: string, code: string, newPassword: string, fetchFn: typeof fetch = fetch): Promise<void> {
  await callCognito(auth, 'ConfirmForgotPassword', { ClientId: auth.clientId, Username: email, ConfirmationCode: code, Password: newPassword }, fetchFn);
}

export function refreshTokens(auth: AuthConfig, refreshToken: string, fetchFn: typeof fetch = fetch) {
  return initiateAuth(auth, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken }, fetchFn);
}

async function initiateAuth(auth: AuthConfig, flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH', parameters: Record<string, string>, fetchFn: typeof fetch): Promise<AuthTokens> {
  return tokensOf(await callCognito(auth, 'InitiateAuth', { AuthFlow: flow, ClientId: auth.clientId, AuthParameters: parameters }, fetchFn));
}

type Operation = 'InitiateAuth' | 'RespondToAuthChallenge' | 'ForgotPassword' | 'ConfirmForgotPassword';

/** One call of Cognito's JSON 1.1 API: its answer, or a SignInError a person can act on. */
async function callCognito(auth: AuthConfig, operation: Operation, payload: unknown, fetchFn: typeof fetch): Promise<any> {
  let response: Response;
  try {
    response = await fetchFn(auth.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(payload),
    });
  } catch {
    throw new SignInError('NetworkError', 'Cannot reach the sign-in service. Check your connection and try again.');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw signInError(response.status, body);
  return body;
}

function tokensOf(body: any): AuthTokens {
  const result = body?.AuthenticationResult;
  if (!result?.IdToken) {
    // A challenge instead of tokens: an invited user's temporary password, or one not supported.
    if (body?.ChallengeName === 'NEW_PASSWORD_REQUIRED' && typeof body.Session === 'string') throw new NewPasswordRequired(body.Session);
    const challenge = typeof body?.ChallengeName === 'string' ? body.ChallengeName : 'an unknown step';
    throw new SignInError('ChallengeRequired', `This account needs ${challenge} to sign in, which Sheetflow does not support yet.`);
  }
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken,
    expiresInSeconds: Number(result.ExpiresIn) || 3600,
  };
}

/** Maps Cognito's error types to what a person can act on. */
export function signInError(status: number, body: unknown): SignInError {
  const raw = (body as { __type?: unknown })?.__type;
  // Some AWS services prefix the type with a namespace ("com.amazon...#Type").
  const code = typeof raw === 'string' ? raw.split('#').pop()! : `HTTP${status}`;
  const said = (body as { message?: unknown })?.message;
  const serverMessage = typeof said === 'string' ? said : undefined;
  // Cognito's lockout after repeated failures: unknown names are locked alike, so saying so reveals nothing.
  if (code === 'NotAuthorizedException' && serverMessage === 'Password attempts exceeded') return new SignInError(code, 'Too many attempts. Wait a minute, then try again.', serverMessage);
  switch (code) {
    case 'NotAuthorizedException':
      if (serverMessage && /temporary password has expired/i.test(serverMessage)) {
        return new SignInError(code, 'Your temporary password has expired. Ask your administrator to send the invitation again.', serverMessage);
      }
      // Never say which of the two was wrong.
      return new SignInError(code, 'Incorrect email or password.', serverMessage);
    case 'UserNotFoundException':
      return new SignInError(code, 'Incorrect email or password.');
    case 'InvalidPasswordException':
      // The page says which of the pool's rules the password misses; the pool may ask more (a password used before, one known to be leaked).
      return new SignInError(code, `That password is not accepted${serverMessage ? `: ${serverMessage.replace(/^Password did not conform with policy: /, '')}` : ''}.`, serverMessage);
    case 'UserNotConfirmedException':
      return new SignInError(code, 'This account is not confirmed yet. Ask your administrator.');
    case 'PasswordResetRequiredException':
      return new SignInError(code, 'Your password was reset. Enter the code from the e-mail and choose a new password.');
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
      return new SignInError(code, 'That code is not right (or has expired). Check the e-mail and try again.');
    case 'TooManyRequestsException':
    case 'LimitExceededException':
      return new SignInError(code, 'Too many attempts. Wait a minute, then try again.');
    case 'InvalidParameterException':
      return new SignInError(code, serverMessage ?? 'Enter your email and password.');
    default:
      return new SignInError(
        code,
        status >= 500 ? 'The sign-in service is unavailable. Try again shortly.' : `Sign-in failed (${code}).`,
      );
  }
}
