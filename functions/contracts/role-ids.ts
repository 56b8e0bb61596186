/**
 * The ids of the five built-in roles: the one list of them. They are also the identity
 * provider's user groups (infra/app-resources.ts USER_GROUPS), so a user created outside the
 * app still has a role from their token. Pure data, so infra/ and local/ import it cheaply;
 * what each role may do is roles/built-in-roles.ts.
 */
export const BUILT_IN_ROLE_IDS = ['administrator', 'sales-manager', 'sales-representative', 'service-agent', 'marketing'] as const;
export type BuiltInRoleId = (typeof BUILT_IN_ROLE_IDS)[number];
