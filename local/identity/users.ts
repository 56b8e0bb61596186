/**
 * The pool's users in `<dataDir>/users.json`, replaced atomically on every change. Passwords are
 * kept only as scrypt hashes with a salt of their own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { USER_GROUPS, type UserGroup } from '../../infra/app-resources.ts';
import { writeFileAtomic } from './atomic-file.ts';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

export interface User {
  sub: string;
  email: string;
  tenant: string;
  groups: UserGroup[];
  passwordHash: string;
  createdAt: string;
}

export interface NewUser {
  email: string;
  password: string;
  tenant: string;
  groups?: UserGroup[];
}

/** Named like Cognito's exceptions so the sign-in API can answer with the same `__type`. */
export class UserPoolError extends Error {
  constructor(readonly type: 'UsernameExistsException' | 'InvalidPasswordException' | 'InvalidParameterException', message: string) {
    super(message);
    this.name = type;
  }
}

export class UserStore {
  private readonly file: string;
  private readonly users: Map<string, User>;

  constructor(dataDir: string) {
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

  async create(input: NewUser): Promise<User> {
    const email = normalizeEmail(input.email);
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UserPoolError('InvalidParameterException', 'Invalid email address format.');
    if (input.password.length < 8) throw new UserPoolError('InvalidPasswordException', 'Password did not conform with policy: Password not long enough');
    const unknownGroup = input.groups?.find((group) => !USER_GROUPS.includes(group));
    if (unknownGroup) throw new UserPoolError('InvalidParameterException', `Group ${unknownGroup} does not exist.`);
    const passwordHash = await hashPassword(input.password);
    // Checked after the await: two creations of one e-mail may interleave there.
    if (this.users.has(email)) throw new UserPoolError('UsernameExistsException', 'An account with the given email already exists.');
    const user: User = { sub: randomUUID(), email, tenant: input.tenant, groups: input.groups ?? [], passwordHash, createdAt: new Date().toISOString() };
    this.users.set(email, user);
    writeFileAtomic(this.file, JSON.stringify({ users: [...this.users.values()] }, null, 2));
    return user;
  }

  /** The user, if the password is theirs. An unknown e-mail costs as much time as a wrong password. */
  async authenticate(email: string, password: string): Promise<User | undefined> {
    const user = this.find(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return ok && user ? user : undefined;
  }
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

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
