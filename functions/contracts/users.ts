/** The tenant's users (directory), as administrators manage them: invite, role, teams, deactivate, reset password. */
import { z } from 'zod';
import { Email } from './values.ts';
import { Name } from './text.ts';

const RoleId = z.string().trim().min(1).max(64);
const TeamIds = z.array(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a team id')).max(50).refine((ids) => new Set(ids).size === ids.length, 'names a team twice');

export const User = z.object({
  sub: z.string(),
  email: z.string(),
  name: z.string().optional(),
  role: z.string().nullable(),
  teams: z.array(z.string()),
  active: z.boolean(),
  /** Invited and not signed in yet (Cognito's FORCE_CHANGE_PASSWORD): from the invitation until their first sign-in. */
  invited: z.boolean().optional(),
  createdAt: z.string(),
  lastSignInAt: z.string().optional(),
  version: z.number().int(),
});
export type User = z.infer<typeof User>;

export const InviteUserBody = z.strictObject({
  email: Email,
  name: Name(200).optional(),
  role: RoleId,
  teams: TeamIds.default([]),
});
export type InviteUserBody = z.infer<typeof InviteUserBody>;

export const PatchUserBody = z.strictObject({
  version: z.number().int().positive(),
  fields: z.strictObject({ name: Name(200), role: RoleId, teams: TeamIds, active: z.boolean() }).partial(),
});
export type PatchUserBody = z.infer<typeof PatchUserBody>;

export const UserList = z.object({ items: z.array(User) });
export type UserList = z.infer<typeof UserList>;

/** PATCH /api/{plural}/{id}/owner: hand the record (at the version seen) to another user of the tenant. */
export const ChangeOwnerBody = z.strictObject({
  version: z.number().int().positive(),
  owner: z.string().min(1).max(64),
});
export type ChangeOwnerBody = z.infer<typeof ChangeOwnerBody>;
