/** The tenant's settings an administrator makes (`GET`/`PATCH /api/settings`). */
import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js';

/** A country by its ISO 3166-1 alpha-2 code, one whose phone numbers are known: `DE`, `US`. */
export const CountryCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code), 'must be a two-letter country code like DE or US');

export const TenantSettings = z.object({
  /**
   * The country of phone numbers written without a country code (`030 1234567`, `(415) 555-0134`)
   * in imported files, and by it how their numbers are written (`1.200,50` in DE); an import may
   * name another. None: such numbers are refused.
   */
  defaultCountry: CountryCode.nullable(),
  /** 0 until an administrator first saves them. */
  version: z.number().int().min(0),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
export type TenantSettings = z.infer<typeof TenantSettings>;

export const PatchSettingsBody = z.strictObject({
  /** The version the administrator saw (0 for settings never saved). */
  version: z.number().int().min(0),
  fields: z.strictObject({ defaultCountry: CountryCode.nullable().optional() }).refine((fields) => Object.keys(fields).length > 0, 'must change at least one setting'),
});
export type PatchSettingsBody = z.infer<typeof PatchSettingsBody>;
