/**
 * Guessing passwords and reset codes against local/identity through the real Cognito client, on
 * a clock the test moves: as Cognito, five wrong answers are checked and then the user is locked
 * out (1 s, doubling), however many guesses arrive at once, and the right password is refused
 * too while the lockout lasts; reset codes expire after an hour and wrong ones are throttled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminResetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestCloud, type TestCloud } from '../support/cloud.ts';

const clock = { now: Date.parse('2026-03-02T09:00:00Z') };
let cloud: TestCloud;
let cognito: CognitoIdentityProviderClient;
let users = 0;

beforeAll(async () => {
  cloud = await startTestCloud({ identityClock: () => clock.now });
  // No retries: the SDK retries LimitExceededException as throttling, which would add attempts.
  cognito = new CognitoIdentityProviderClient({ endpoint: `${cloud.url}/auth`, region: 'us-east-1', maxAttempts: 1 });
});
afterAll(async () => {
  cognito?.destroy();
  await cloud?.stop();
});

async function newUser(): Promise<{ email: string; password: string; sub: string }> {
  const user = { email: `target${++users}@guessing.example`, password: 'the real password 1' };
  const { sub } = await cloud.identity.createUser({ ...user, tenant: 'guessing' });
  return { ...user, sub };
}

/** Signs in; the answer as `ok` or the error's name and message. */
const signIn = (email: string, password: string) =>
  cognito
    .send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: cloud.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }))
    .then(
      (reply) => (reply.AuthenticationResult?.IdToken ? 'ok' : 'no tokens'),
      (err: Error) => `${err.name}: ${err.message}`,
    );

const confirm = (email: string, code: string, password = 'a brand new password 2') =>
  cognito.send(new ConfirmForgotPasswordCommand({ ClientId: cloud.clientId, Username: email, ConfirmationCode: code, Password: password })).then(
    () => 'ok',
    (err: Error) => err.name,
  );

/** An administrator's reset, signed as the functions sign it; the mailed code. */
async function resetPassword(email: string): Promise<string> {
  const admin = new CognitoIdentityProviderClient({ endpoint: `${cloud.url}/auth`, region: 'us-east-1' });
  await admin.send(new AdminResetUserPasswordCommand({ UserPoolId: cloud.identity.userPoolId, Username: email }));
  admin.destroy();
  return cloud.identity.outbox.messages(email).at(-1)!.data.code;
}

const count = (answers: string[]) => Object.fromEntries([...new Set(answers)].map((answer) => [answer, answers.filter((a) => a === answer).length]));
const WRONG = 'NotAuthorizedException: Incorrect username or password.';
const LOCKED = 'NotAuthorizedException: Password attempts exceeded';

describe('password guessing', () => {
  it('checks five of 25 guesses sent at once and refuses the other twenty unchecked', async () => {
    const { email } = await newUser();
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => signIn(email, `guess number ${i}`)));
    expect(count(answers)).toEqual({ [WRONG]: 5, [LOCKED]: 20 });
  });

  it('refuses the right password during the lockout, as Cognito does, and takes it once the lockout ends', async () => {
    const { email, password } = await newUser();
    await Promise.all(Array.from({ length: 5 }, (_, i) => signIn(email, `guess ${i}`)));
    expect(await signIn(email, password)).toBe(LOCKED);
    clock.now += 999;
    expect(await signIn(email, password)).toBe(LOCKED);
    clock.now += 1;
    expect(await signIn(email, password)).toBe('ok');
    // The success ended the streak: five failures are free again.
    const again = await Promise.all(Array.from({ length: 6 }, (_, i) => signIn(email, `guess ${i}`)));
    expect(count(again)).toEqual({ [WRONG]: 5, [LOCKED]: 1 });
  });

  it('doubles the lockout after each further failure', async () => {
    const { email } = await newUser();
    await Promise.all(Array.from({ length: 5 }, (_, i) => signIn(email, `guess ${i}`)));
    for (const ms of [1_000, 2_000, 4_000, 8_000]) {
      clock.now += ms - 1;
      expect(await signIn(email, 'another guess')).toBe(LOCKED);
      clock.now += 1;
      expect(await signIn(email, 'another guess')).toBe(WRONG);
    }
  });

  it('answers an unknown user as a wrong password, lockout included', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => signIn('nobody@guessing.example', 'a guess at all')));
    expect(count(answers)).toEqual({ [WRONG]: 5, [LOCKED]: 3 });
  });
});

describe('reset codes', () => {
  it('refuses wrong codes with CodeMismatchException, five of them, then LimitExceededException even for the right one', async () => {
    const { email } = await newUser();
    const code = await resetPassword(email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const answers = await Promise.all(Array.from({ length: 25 }, () => confirm(email, wrong)));
    expect(count(answers)).toEqual({ CodeMismatchException: 5, LimitExceededException: 20 });
    expect(await confirm(email, code)).toBe('LimitExceededException');
    clock.now += 1_000;
    expect(await confirm(email, code)).toBe('ok');
    expect(await signIn(email, 'a brand new password 2')).toBe('ok');
    // Spent: the code sets no second password.
    expect(await confirm(email, code, 'yet another password 3')).toBe('CodeMismatchException');
  });

  it('counts guesses per user, whether they name the user by e-mail or by sub', async () => {
    const { email, sub } = await newUser();
    const code = await resetPassword(email);
    const wrong = code === '000000' ? '000001' : '000000';
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => confirm(i % 2 ? email : sub, wrong)));
    expect(count(answers)).toEqual({ CodeMismatchException: 5, LimitExceededException: 5 });
  });

  it('takes a code for an hour, then answers ExpiredCodeException and leaves the password reset', async () => {
    const first = await newUser();
    const fresh = await resetPassword(first.email);
    clock.now += 60 * 60_000 - 1;
    expect(await confirm(first.email, fresh)).toBe('ok');

    const second = await newUser();
    const stale = await resetPassword(second.email);
    clock.now += 60 * 60_000;
    expect(await confirm(second.email, stale)).toBe('ExpiredCodeException');
    expect(await signIn(second.email, second.password)).toBe('PasswordResetRequiredException: Password reset required for the user');
    expect(await signIn(second.email, 'a brand new password 2')).toBe(WRONG);
    // A new code works.
    expect(await confirm(second.email, await resetPassword(second.email))).toBe('ok');
  });
});
