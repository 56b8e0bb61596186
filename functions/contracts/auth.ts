import { z } from 'zod';
import { Role } from './roles.ts';

/**
 * What the SPA fetches from /config.json to find the API and the identity provider. In AWS the
 * provider is a Cognito user pool; locally it is local/identity, which answers the same
 * InitiateAuth call, so the SPA has one sign-in path for both clouds.
 */
/**
 * What the user pool asks of a password (Cognito's PasswordPolicyType, as the pool is built):
 * the sign-in page says it before a new password is chosen, rather than after a refusal.
 */
export const PasswordPolicy = z.object({
  minLength: z.number().int().min(6).max(99),
  requireLowercase: z.boolean(),
  requireUppercase: z.boolean(),
  requireDigits: z.boolean(),
  requireSymbols: z.boolean(),
});
export type PasswordPolicy = z.infer<typeof PasswordPolicy>;

export const ClientConfig = z.object({
  apiUrl: z.string(),
  auth: z.object({
    /** POST target for AWSCognitoIdentityProviderService.InitiateAuth. */
    endpoint: z.string(),
    clientId: z.string(),
    passwordPolicy: PasswordPolicy,
  }),
});
export type ClientConfig = z.infer<typeof ClientConfig>;

/** Claims the API relies on, taken from the verified ID token. */
export const TokenClaims = z.object({
  sub: z.string(),
  email: z.string().optional(),
  'custom:tenant': z.string().min(1),
  'cognito:groups': z.union([z.array(z.string()), z.string()]).optional(),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

/**
 * GET /api/me: who the caller is (from the verified token), their role with its permissions per
 * record type, and their teams, so the UI can hide what the role cannot do.
 */
export const Me = z.object({
  sub: z.string(),
  email: z.string().optional(),
  tenant: z.string(),
  groups: z.array(z.string()),
  role: Role.nullable(),
  teams: z.array(z.string()),
});
export type Me = z.infer<typeof Me>;
