/**
 * How a user is shown where a value holds their id (owner, assignee, `user` fields), and how a
 * text names a user again: one module for the grid (frontend lib/pickers/display-names) and the
 * server (CSV export and import, the quick search), so a name copied from a cell, exported or
 * searched for means the same user everywhere.
 */
import type { User } from './users.ts';

/** Fields whose value is a user's `sub`, besides custom fields of type `user`. */
export const USER_FIELDS: ReadonlySet<string> = new Set(['assignee', 'owner', 'createdBy', 'updatedBy']);

/** A name as names are compared: no accents, case or runs of spaces. */
export const foldName = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase().replace(/\s+/g, ' ');

/** `Ann Lee <ann@example.com>`: how a name shared by two users is told apart, both ways. */
const NAME_WITH_EMAIL = /^(.*)<([^<>\s]+@[^<>\s]+)>\s*$/;

type Named = Pick<User, 'sub' | 'email' | 'name'>;

/** Each user's label: their name, else e-mail; a name two users share gets the e-mail beside it. */
export function userLabels(users: readonly Named[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const user of users) if (user.name) count.set(foldName(user.name), (count.get(foldName(user.name)) ?? 0) + 1);
  return new Map(users.map((user) => [user.sub, !user.name ? user.email : (count.get(foldName(user.name)) ?? 0) > 1 ? `${user.name} <${user.email}>` : user.name]));
}

/** The user a text names, or why it names none (or several). */
export type UserNamed<U> = { user: U } | { refused: string };

/**
 * The active user a text names: their id, e-mail, name, or label (`Name <e-mail>`); exactly one,
 * else refused with the reason. `labels` are userLabels(users).
 */
export function userNamed<U extends Named & Pick<User, 'active'>>(users: readonly U[], labels: ReadonlyMap<string, string>, text: string): UserNamed<U> {
  const labelOf = (user: U) => labels.get(user.sub) ?? user.email;
  const exact = users.find((user) => user.sub === text);
  if (exact) return exact.active ? { user: exact } : { refused: `${labelOf(exact)} is deactivated` };
  const withEmail = NAME_WITH_EMAIL.exec(text);
  const wanted = foldName(withEmail ? withEmail[2] : text);
  const matches = users.filter((user) => foldName(user.email) === wanted || (!withEmail && (foldName(user.name ?? '') === wanted || foldName(labelOf(user)) === wanted)));
  const active = matches.filter((user) => user.active);
  if (active.length === 1) return { user: active[0] };
  if (active.length > 1) return { refused: `${active.length} users are named "${text}": type their e-mail` };
  if (matches.length) return { refused: `${labelOf(matches[0])} is deactivated` };
  return { refused: `no user of this workspace is named "${text}" or has that e-mail` };
}
