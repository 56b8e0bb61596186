import { describe, expect, it } from 'vitest';
import { confirmPasswordReset, forgotPassword, refreshTokens, respondWithNewPassword, signInError, signInWithPassword, SignInError } from './identity-client.ts';

const passwordPolicy = { minLength: 8, requireLowercase: false, requireUppercase: false, requireDigits: false, requireSymbols: false };
const auth = { endpoint: 'https://idp.example.com/', clientId: 'client-1', passwordPolicy };

function recordingFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('signInWithPassword', () => {
  it("makes Cognito's InitiateAuth call and returns the tokens", async () => {
    const { fetch, calls } = recordingFetch(200, {
      AuthenticationResult: { IdToken: 'id', AccessToken: 'access', RefreshToken: 'refresh', ExpiresIn: 300 },
    });

    const tokens = await signInWithPassword(auth, 'ada@example.com', 'pw', fetch);

    expect(tokens).toEqual({ idToken: 'id', accessToken: 'access', refreshToken: 'refresh', expiresInSeconds: 300 });
    expect(calls[0].url).toBe(auth.endpoint);
    expect(calls[0].init.headers).toMatchObject({
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    });
    expect(JSON.parse(String(calls[0].init.body))).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'client-1',
      AuthParameters: { USERNAME: 'ada@example.com', PASSWORD: 'pw' },
    });
  });

  it('says a wrong password plainly', async () => {
    const { fetch } = recordingFetch(400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    const error = await signInWithPassword(auth, 'ada@example.com', 'bad', fetch).catch((e) => e);
    expect(error).toBeInstanceOf(SignInError);
    expect(error.code).toBe('NotAuthorizedException');
    expect(error.message).toBe('Incorrect email or password.');
  });

  it('refuses a challenge it cannot answer', async () => {
    const { fetch } = recordingFetch(200, { ChallengeName: 'SMS_MFA', Session: 's' });
    await expect(signInWithPassword(auth, 'a@b.c', 'pw', fetch)).rejects.toMatchObject({ code: 'ChallengeRequired' });
  });

  it('hands an invited user\'s NEW_PASSWORD_REQUIRED back with its session, and answers it with the password chosen', async () => {
    const { fetch } = recordingFetch(200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'sealed' });
    await expect(signInWithPassword(auth, 'a@b.c', 'temporary', fetch)).rejects.toMatchObject({ code: 'NewPasswordRequired', session: 'sealed' });
    const answered = recordingFetch(200, { AuthenticationResult: { IdToken: 'id', AccessToken: 'a', RefreshToken: 'r', ExpiresIn: 3600 } });
    expect((await respondWithNewPassword(auth, 'a@b.c', 'sealed', 'mine', answered.fetch)).idToken).toBe('id');
    expect(answered.calls[0].init.headers).toMatchObject({ 'X-Amz-Target': 'AWSCognitoIdentityProviderService.RespondToAuthChallenge' });
    expect(JSON.parse(String(answered.calls[0].init.body))).toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'sealed', ChallengeResponses: { USERNAME: 'a@b.c', NEW_PASSWORD: 'mine' } });
  });
});

describe('Forgot password', () => {
  it("asks Cognito's ForgotPassword for a code, and says where it went", async () => {
    const { fetch, calls } = recordingFetch(200, { CodeDeliveryDetails: { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' } });
    expect(await forgotPassword(auth, 'ada@example.com', fetch)).toBe('a***@e***');
    expect(calls[0].init.headers).toMatchObject({ 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ForgotPassword' });
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ ClientId: 'client-1', Username: 'ada@example.com' });
  });

  it('tells an invited user who has not chosen a password yet to use the invitation', async () => {
    const { fetch } = recordingFetch(400, { __type: 'NotAuthorizedException', message: 'User password cannot be reset in the current state.' });
    await expect(forgotPassword(auth, 'new@example.com', fetch)).rejects.toMatchObject({ code: 'InvitationNotAccepted', message: expect.stringMatching(/temporary password from your invitation/) });
  });

  it('sets the new password with the code by ConfirmForgotPassword; a wrong code is said plainly', async () => {
    const ok = recordingFetch(200, {});
    await confirmPasswordReset(auth, 'ada@example.com', '123456', 'a new one', ok.fetch);
    expect(ok.calls[0].init.headers).toMatchObject({ 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ConfirmForgotPassword' });
    expect(JSON.parse(String(ok.calls[0].init.body))).toEqual({ ClientId: 'client-1', Username: 'ada@example.com', ConfirmationCode: '123456', Password: 'a new one' });
    const wrong = recordingFetch(400, { __type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
    await expect(confirmPasswordReset(auth, 'ada@example.com', '000000', 'a new one', wrong.fetch)).rejects.toMatchObject({ code: 'CodeMismatchException' });
  });
});

describe('refreshTokens', () => {
  it('uses the refresh flow and leaves the refresh token to the caller when none comes back', async () => {
    const { fetch, calls } = recordingFetch(200, { AuthenticationResult: { IdToken: 'id2', AccessToken: 'a2', ExpiresIn: 3600 } });
    const tokens = await refreshTokens(auth, 'refresh', fetch);
    expect(tokens.refreshToken).toBeUndefined();
    expect(JSON.parse(String(calls[0].init.body))).toMatchObject({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: 'refresh' },
    });
  });
});

describe('signInError', () => {
  it('does not reveal whether the user exists', () => {
    expect(signInError(400, { __type: 'UserNotFoundException' }).message).toBe(signInError(400, { __type: 'NotAuthorizedException' }).message);
  });

  it('says when Cognito has locked the name out for a while', () => {
    expect(signInError(400, { __type: 'NotAuthorizedException', message: 'Password attempts exceeded' }).message).toMatch(/Too many attempts/);
  });

  it('reads namespaced error types', () => {
    expect(signInError(400, { __type: 'com.amazonaws.cognito#TooManyRequestsException' }).code).toBe('TooManyRequestsException');
  });

  it('keeps what the pool said of a refused password, and of an expired temporary one', () => {
    const refused = signInError(400, { __type: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have symbol characters' });
    expect(refused).toMatchObject({ code: 'InvalidPasswordException', message: 'That password is not accepted: Password must have symbol characters.' });
    expect(signInError(400, { __type: 'NotAuthorizedException', message: 'Temporary password has expired and must be reset by an administrator.' }).message).toMatch(/send the invitation again/);
  });

  it('explains an unavailable service', () => {
    expect(signInError(503, 'Service Unavailable').message).toMatch(/unavailable/);
  });
});
