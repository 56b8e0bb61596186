/**
 * A local identity provider that stands in for a Cognito user pool: users with passwords and
 * groups, tenant as a custom attribute, Cognito's InitiateAuth answered at `<issuer>` and the
 * signing keys published at `<issuer>/.well-known/jwks.json`. Everything lives in `dataDir`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { UserGroup } from '../../infra/app-resources.ts';
import { writeFileAtomic } from '../atomic-file.ts';
import { answerCognitoCall, type CallContext, type CognitoReply, type Pool, type PoolTriggers } from './cognito-api.ts';
import { Outbox } from './outbox.ts';
import { loadPoolKeys } from './pool-keys.ts';
import { PASSWORD_POLICY, UserStore, type NewUser, type User } from './users.ts';
import type { PasswordPolicy } from '../../functions/contracts/auth.ts';
import { AttemptLockout } from './attempt-lockout.ts';
import type { Credentials } from '../signature-v4.ts';

export { UserPoolError, type NewUser, type User } from './users.ts';
export type { Mail } from './outbox.ts';

export const DEMO_ADMIN = { email: 'admin@demo.sheetflow.local', tenant: 'demo', groups: ['administrator'] as UserGroup[] };

export interface IdentityProvider {
  /** The app client id tokens are issued for (their `aud`). */
  clientId: string;
  /** The issuer (`iss`) of tokens when the gateway is reached at `baseUrl`. */
  issuerFor(baseUrl: string): string;
  /** The public signing keys, as `<issuer>/.well-known/jwks.json` serves them. */
  jwks(): JSONWebKeySet;
  /** The pool's id, as Cognito's admin calls name it (USER_POOL_ID for the functions). */
  userPoolId: string;
  /** What the pool asks of a password (/config.json tells the SPA). */
  passwordPolicy: PasswordPolicy;
  /** Answers one Cognito API call (the value of X-Amz-Target and the raw JSON body). */
  answer(target: string | undefined, body: string, issuer: string, context?: CallContext): Promise<CognitoReply>;
  /** The Lambda triggers, once the functions are loaded (Cognito invokes them by ARN). */
  setTriggers(triggers: PoolTriggers): void;
  /** The mail the pool has "sent" (invitations, reset codes), oldest first. */
  outbox: Outbox;
  createUser(user: NewUser): Promise<User>;
  /** The demo tenant's administrator, created on the first start with a fresh password. */
  ensureDemoAdmin(): Promise<{ email: string; password?: string; tenant: string }>;
}

/**
 * `credentials`: the key pair Cognito's admin calls must be signed with (without, they are all
 * refused). `now`: the clock of lockouts and reset codes (a test hook; tokens keep real time).
 */
export async function createIdentityProvider({ dataDir, credentials, now = Date.now }: { dataDir: string; credentials?: Credentials; now?: () => number }): Promise<IdentityProvider> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keys = await loadPoolKeys(dataDir);
  const users = new UserStore(dataDir, now);
  const lockouts = { signIn: new AttemptLockout(now), resetCode: new AttemptLockout(now) };
  const outbox = new Outbox(dataDir);
  // Region, underscore, then an id of the pool's own, as Cognito's pool ids look.
  const pool: Pool = { keys, users, lockouts, outbox, userPoolId: `us-east-1_${keys.clientId.slice(0, 9)}`, credentials, triggers: {} };
  return {
    clientId: keys.clientId,
    userPoolId: pool.userPoolId,
    passwordPolicy: PASSWORD_POLICY,
    outbox,
    setTriggers: (triggers) => void (pool.triggers = triggers),
    issuerFor: (baseUrl) => `${baseUrl.replace(/\/$/, '')}/auth`,
    jwks: () => ({ keys: [keys.publicJwk] }),
    answer: (target, body, issuer, context) => answerCognitoCall(pool, target, body, issuer, context),
    createUser: (user) => users.create(user),
    ensureDemoAdmin: async () => {
      const existing = users.find(DEMO_ADMIN.email);
      if (existing) return { email: existing.email, tenant: existing.tenant };
      const password = randomBytes(15).toString('base64url');
      await users.create({ ...DEMO_ADMIN, password });
      writeFileAtomic(join(dataDir, 'demo-admin.txt'), `email: ${DEMO_ADMIN.email}\npassword: ${password}\ntenant: ${DEMO_ADMIN.tenant}\n`, 0o600);
      return { email: DEMO_ADMIN.email, password, tenant: DEMO_ADMIN.tenant };
    },
  };
}

/** Reads the demo administrator's credentials back from `<dataDir>/demo-admin.txt`. */
export function readDemoAdmin(dataDir: string): { email: string; password: string } | undefined {
  const file = join(dataDir, 'demo-admin.txt');
  if (!existsSync(file)) return undefined;
  const fields = Object.fromEntries(readFileSync(file, 'utf8').split('\n').map((line) => line.split(': ')));
  return { email: fields.email, password: fields.password };
}
