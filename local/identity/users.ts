/**
 * The pool's users in `<dataDir>/users.json`, replaced atomically on every change. Passwords are
 * kept only as scrypt hashes with a salt of their own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { USER_GROUPS, type UserGroup } from '../../infra/app-resources.ts';
import { writeFileAtomic } from '../atomic-file.ts';
import type { PasswordPolicy } from '../../functions/contracts/auth.ts';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

export interface User {
  sub: string;
  email: string;
  tenant: string;
  groups: UserGroup[];
  passwordHash: string;
  createdAt: string;
  name?: string;
  /** Cognito's Enabled: a disabled user cannot sign in or refresh (absent in older files: enabled). */
  enabled?: boolean;
  /** Cognito's UserStatus: an invited user must choose a password; a reset one must confirm a code. */
  status?: 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';
  /** The scrypt hash of the code a password reset mailed. */
  resetCodeHash?: string;
  /** When that code stops being accepted (Cognito: an hour after it was sent). */
  resetCodeExpiresAt?: string;
}

export interface NewUser {
  email: string;
  password: string;
  tenant: string;
  groups?: UserGroup[];
  name?: string;
  /** FORCE_CHANGE_PASSWORD: the password is a temporary one (an invitation). */
  status?: User['status'];
}

/** Named like Cognito's exceptions so the sign-in API can answer with the same `__type`. */
export class UserPoolError extends Error {
  constructor(
    readonly type: 'UsernameExistsException' | 'InvalidPasswordException' | 'InvalidParameterException' | 'UserNotFoundException' | 'ResourceNotFoundException' | 'CodeMismatchException' | 'ExpiredCodeException' | 'UnsupportedUserStateException' | 'UserLambdaValidationException',
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** Cognito's reset codes are valid for one hour. */
const RESET_CODE_MS = 60 * 60_000;

export class UserStore {
  private readonly file: string;
  private readonly users: Map<string, User>;

  /** `now`: the clock reset codes expire by (a test hook). */
  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.file = join(dataDir, 'users.json');
    const saved = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as { users: User[] }).users : [];
    this.users = new Map(saved.map((user) => [user.email, user]));
  }

  find(email: string): User | undefined {
    return this.users.get(normalizeEmail(email));
  }

  findBySub(sub: string): User | undefined {
    return [...this.users.values()].find((user) => user.sub === sub);
  }

  /** As Cognito's admin calls take a Username: the e-mail (an alias) or the sub (the user name). */
  findByUsername(username: string): User | undefined {
    return this.find(username) ?? this.findBySub(username);
  }

  /** Changes a user and saves; `change` may be async (a password to hash) and is applied to the latest state. */
  async update(username: string, change: (user: User) => void | Promise<void>): Promise<User> {
    const user = this.findByUsername(username);
    if (!user) throw new UserPoolError('UserNotFoundException', 'User does not exist.');
    await change(user);
    this.save();
    return user;
  }

  async setPassword(username: string, password: string, status: User['status']): Promise<User> {
    assertPasswordPolicy(password);
    const passwordHash = await hashPassword(password);
    return this.update(username, (user) => withPassword(user, passwordHash, status));
  }

  /** `requireReset`: the old password no longer signs in (an administrator's reset), rather than until the code is used (ForgotPassword). */
  async startReset(username: string, code: string, { requireReset = true } = {}): Promise<User> {
    const resetCodeHash = await hashPassword(code);
    const expiresAt = new Date(this.now() + RESET_CODE_MS).toISOString();
    return this.update(username, (user) => {
      if (requireReset) user.status = 'RESET_REQUIRED';
      user.resetCodeHash = resetCodeHash;
      user.resetCodeExpiresAt = expiresAt;
    });
  }

  /**
   * A new password for the mailed code. The code is checked before its age, so that only its
   * holder learns it has expired; an unknown user costs a hash like a known one. A code is used
   * once: of two confirmations racing with it, the one that finds it already spent is refused.
   */
  async confirmReset(username: string, code: string, password: string): Promise<User> {
    assertPasswordPolicy(password);
    const user = this.findByUsername(username);
    const codeHash = user?.resetCodeHash;
    const matches = await verifyPassword(code, codeHash ?? DUMMY_HASH);
    if (!user || !codeHash || !matches) throw codeMismatch();
    // A code from before codes had an expiry (no date) counts as expired.
    if (!(Date.parse(user.resetCodeExpiresAt ?? '') > this.now())) throw new UserPoolError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    const passwordHash = await hashPassword(password);
    return this.update(user.sub, (current) => {
      if (current.resetCodeHash !== codeHash) throw codeMismatch();
      withPassword(current, passwordHash, 'CONFIRMED');
    });
  }

  private save(): void {
    writeFileAtomic(this.file, JSON.stringify({ users: [...this.users.values()] }, null, 2));
  }

  async create(input: NewUser): Promise<User> {
    const email = normalizeEmail(input.email);
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UserPoolError('InvalidParameterException', 'Invalid email address format.');
    assertPasswordPolicy(input.password);
    const unknownGroup = input.groups?.find((group) => !USER_GROUPS.includes(group));
    if (unknownGroup) throw new UserPoolError('InvalidParameterException', `Group ${unknownGroup} does not exist.`);
    const passwordHash = await hashPassword(input.password);
    // Checked after the await: two creations of one e-mail may interleave there.
    if (this.users.has(email)) throw new UserPoolError('UsernameExistsException', 'An account with the given email already exists.');
    const user: User = { sub: randomUUID(), email, tenant: input.tenant, groups: input.groups ?? [], passwordHash, createdAt: new Date().toISOString(), name: input.name, enabled: true, status: input.status ?? 'CONFIRMED' };
    this.users.set(email, user);
    this.save();
    return user;
  }

  /** The user, if the password is theirs. An unknown e-mail costs as much time as a wrong password. */
  async authenticate(email: string, password: string): Promise<User | undefined> {
    const user = this.find(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return ok && user ? user : undefined;
  }
}

const codeMismatch = () => new UserPoolError('CodeMismatchException', 'Invalid verification code provided, please try again.');

/** A new password ends any reset: its code is spent. */
function withPassword(user: User, passwordHash: string, status: User['status']): void {
  user.passwordHash = passwordHash;
  user.status = status;
  delete user.resetCodeHash;
  delete user.resetCodeExpiresAt;
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** This pool's policy (only a length: tests and the demo choose short passwords); /config.json tells the SPA. */
export const PASSWORD_POLICY: PasswordPolicy = { minLength: 8, requireLowercase: false, requireUppercase: false, requireDigits: false, requireSymbols: false };

export function assertPasswordPolicy(password: string): void {
  if (password.length < PASSWORD_POLICY.minLength) throw new UserPoolError('InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(N), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

const DUMMY_HASH = `scrypt$${SCRYPT.N}$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(SCRYPT.keylen).toString('base64')}`;
