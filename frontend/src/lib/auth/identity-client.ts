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
export function respondWithNewPassword(auth: AuthConfig, email: string, session: string, newPassword: string, fetchFn: typeof fetch = fetch) {
  return callCognito(
    auth,
    'RespondToAuthChallenge',
    { ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: auth.clientId, Session: session, ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword } },
    fetchFn,
  );
}

/** After an administrator's reset: the code from the e-mail and a new password (Cognito's ConfirmForgotPassword). */
export async function confirmPasswordReset(auth: AuthConfig, email: string, code: string, newPassword: string, fetchFn: typeof fetch = fetch): Promise<void> {
  let response: Response;
  try {
    response = await fetchFn(auth.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ConfirmForgotPassword' },
      body: JSON.stringify({ ClientId: auth.clientId, Username: email, ConfirmationCode: code, Password: newPassword }),
    });
  } catch {
    throw new SignInError('NetworkError', 'Cannot reach the sign-in service. Check your connection and try again.');
  }
  if (!response.ok) throw signInError(response.status, await response.json().catch(() => ({})));
}

export function refreshTokens(auth: AuthConfig, refreshToken: string, fetchFn: typeof fetch = fetch) {
  return initiateAuth(auth, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken }, fetchFn);
}

function initiateAuth(
  auth: AuthConfig,
  flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH',
  parameters: Record<string, string>,
  fetchFn: typeof fetch,
): Promise<AuthTokens> {
  return callCognito(auth, 'InitiateAuth', { AuthFlow: flow, ClientId: auth.clientId, AuthParameters: parameters }, fetchFn);
}

async function callCognito(auth: AuthConfig, operation: 'InitiateAuth' | 'RespondToAuthChallenge', payload: unknown, fetchFn: typeof fetch): Promise<AuthTokens> {
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
  const serverMessage = (body as { message?: unknown })?.message;
  // Cognito's lockout after repeated failures: unknown names are locked alike, so saying so reveals nothing.
  if (code === 'NotAuthorizedException' && serverMessage === 'Password attempts exceeded') return new SignInError(code, 'Too many attempts. Wait a minute, then try again.');
  switch (code) {
    case 'NotAuthorizedException':
    case 'UserNotFoundException':
      // Never say which of the two was wrong.
      return new SignInError(code, 'Incorrect email or password.');
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
      return new SignInError(code, typeof serverMessage === 'string' ? serverMessage : 'Enter your email and password.');
    default:
      return new SignInError(
        code,
        status >= 500 ? 'The sign-in service is unavailable. Try again shortly.' : `Sign-in failed (${code}).`,
      );
  }
}
