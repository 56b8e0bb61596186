/**
 * Roles: what a user may do with each record type (create, read, update, delete, export,
 * import), which of its records they see (their own, their teams', all) and which fields they
 * may read but not change; `administer` adds users, teams, roles, custom fields and the audit
 * log. Five roles are built in; administrators add their own. Shared with the frontend, which
 * hides what a role cannot do (the server is the guard).
 */
import { z } from 'zod';
import { Name } from './text.ts';
import { RECORD_TYPE_NAMES } from './record-types.ts';
import { PROCESS_NAMES } from './processes.ts';

/** The types a role names (record-types.ts), for the roles editor. */
export { RECORD_TYPE_NAMES };

export const ACTIONS = ['create', 'read', 'update', 'delete', 'export', 'import'] as const;
export const Action = z.enum(ACTIONS);
export type Action = z.infer<typeof Action>;

export const SCOPES = ['own', 'team', 'all'] as const;
/** own: records the user owns; team: records owned by anyone in one of the user's teams; all: every record of the tenant. */
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;

const FieldKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a field key: at most 64 letters, digits or _, the first a letter');

export const TypeAccess = z.strictObject({
  actions: z.array(Action).max(ACTIONS.length).refine((list) => new Set(list).size === list.length, 'names an action twice'),
  scope: Scope,
  readOnlyFields: z.array(FieldKey).max(200).default([]),
});
export type TypeAccess = z.infer<typeof TypeAccess>;

const RecordTypeName = z.string().refine((name) => RECORD_TYPE_NAMES.includes(name), { message: `must be one of: ${RECORD_TYPE_NAMES.join(', ')}` });

/** Per record type (singular name); a type left out is one the role cannot touch at all. */
export const TypeAccessMap = z.record(RecordTypeName, TypeAccess);

/**
 * Which instances of a process a role sees: `own` (started by the user, or at a step offered to
 * them or one of their teams), `team` (the same for anyone sharing a team with them), `all`, or
 * `none`; always only those whose subject record the role sees too.
 */
export const INSTANCE_SCOPES = ['none', 'own', 'team', 'all'] as const;
export const InstanceScope = z.enum(INSTANCE_SCOPES);
export type InstanceScope = z.infer<typeof InstanceScope>;

/** Per process: whether the role may start it (on a record it may update), and which instances it sees. */
export const ProcessAccess = z.strictObject({ start: z.boolean(), see: InstanceScope });
export type ProcessAccess = z.infer<typeof ProcessAccess>;

/** Per process (its name); a process left out is one the role neither starts nor sees. */
export const ProcessAccessMap = z.partialRecord(z.enum(PROCESS_NAMES), ProcessAccess);
export type ProcessAccessMap = z.infer<typeof ProcessAccessMap>;

export const Role = z.object({
  /** A built-in role's id is its name (also its Cognito group); a custom role's is a ULID. */
  id: z.string(),
  name: z.string(),
  builtIn: z.boolean(),
  administer: z.boolean(),
  types: TypeAccessMap,
  /** Absent on a custom role stored before processes were part of roles: it neither starts nor sees any. */
  processes: ProcessAccessMap.optional(),
  version: z.number().int().optional(),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
export type Role = z.infer<typeof Role>;

const RoleName = Name(100);

export const CreateRoleBody = z.strictObject({
  name: RoleName,
  administer: z.boolean().default(false),
  types: TypeAccessMap,
  processes: ProcessAccessMap.default({}),
});
export type CreateRoleBody = z.infer<typeof CreateRoleBody>;

export const PatchRoleBody = z.strictObject({
  version: z.number().int().positive(),
  fields: z.strictObject({ name: RoleName, administer: z.boolean(), types: TypeAccessMap, processes: ProcessAccessMap }).partial(),
});
export type PatchRoleBody = z.infer<typeof PatchRoleBody>;

export const RoleList = z.object({ items: z.array(Role) });
export type RoleList = z.infer<typeof RoleList>;
