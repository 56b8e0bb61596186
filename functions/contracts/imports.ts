/** CSV import: the query of `POST /api/imports` and the import job a client polls (see functions/imports/). */
import { z } from 'zod';
import { ULID } from './values.ts';
import { CountryCode } from './settings.ts';

/** A BCP 47 locale numbers are written in (`en`, `de-DE`), one Intl knows. */
export const NumberLocale = z
  .string()
  .trim()
  .max(35)
  .refine((tag) => {
    try {
      return Intl.NumberFormat.supportedLocalesOf([tag]).length === 1;
    } catch {
      return false;
    }
  }, 'must be a locale like en or de-DE');

/** The locale whose numbers a country writes: DE -> de-DE (1.234,5), US -> en-US (1,234.5); `en` without one. */
export function localeOfCountry(country: string | undefined): string {
  if (!country) return 'en';
  const locale = new Intl.Locale('und', { region: country }).maximize();
  return `${locale.language}-${locale.region}`;
}

/** How a locale writes 1234.5, for a person choosing it: `1.234,5`. */
export const numberExample = (locale: string) => new Intl.NumberFormat(locale, { minimumFractionDigits: 1 }).format(1234.5);

/**
 * How an import reads and writes, kept on its job so that every stretch of it does the same:
 * - `mode`: `create` (every row a new record; rows whose record exists are skipped as
 *   duplicates) or `update` (a row naming a record by its `Id` column, or by e-mail or domain,
 *   changes it, at the `Version` its file says; other rows are created);
 * - `country`: phone numbers without a country code are of this country (the tenant's default
 *   country when not given);
 * - `locale`: numbers are written so (`1.200,50` in `de`; the default country's locale, else `en`);
 * - `createMissing`: related records named that do not exist are created (a contact's company
 *   by its name); otherwise the link is left empty, and reported.
 */
export const ImportSettings = z.object({
  mode: z.enum(['create', 'update']),
  country: CountryCode.optional(),
  locale: NumberLocale,
  createMissing: z.boolean(),
});
export type ImportSettings = z.infer<typeof ImportSettings>;

/** `mapping` is JSON: header cell -> field key, or null to skip the column. */
export const ImportQuery = z.strictObject({
  /** The record type, plural as in its routes: `contacts`. */
  type: z.string().min(1).max(50),
  /** The id of an uploaded file to import (`POST /api/imports/uploads`); without it the body is the file. */
  upload: z.string().regex(ULID, 'must be an upload id').optional(),
  dryRun: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  mode: ImportSettings.shape.mode.optional(),
  country: CountryCode.optional(),
  locale: NumberLocale.optional(),
  createMissing: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  mapping: z
    .string()
    .max(10_000)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of column -> field key' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().min(1).max(200), z.string().min(1).max(100).nullable()))
    .optional(),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

/**
 * `POST /api/imports/uploads`: a CSV file about to be uploaded for import. `size` is what the
 * browser knows of the file; the import reads what was uploaded, of at most MAX_UPLOAD_BYTES.
 */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
export const ImportUploadBody = z.strictObject({
  /** The record type, plural as in its routes: `contacts`. */
  type: z.string().min(1).max(50),
  fileName: z.string().min(1).max(255),
  size: z.number().int().min(1).max(MAX_UPLOAD_BYTES),
});
export type ImportUploadBody = z.infer<typeof ImportUploadBody>;

/** Where to PUT the file: `url` with `method` and exactly these `headers`, before `expiresAt`. */
export const ImportUpload = z.object({
  upload: z.string(),
  url: z.string(),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.string(),
});
export type ImportUpload = z.infer<typeof ImportUpload>;

/** A row that was not imported as it was: refused (`imported: false`), or imported with cells left empty; each cell and why, in plain words. */
export const ImportRowError = z.object({
  line: z.number().int(),
  /** The cells' reasons in one sentence (the error file's Reason column). */
  reason: z.string(),
  /** Whether the row was written (its bad cells left empty, or in an update left as they were). Jobs before cell errors: absent, not imported. */
  imported: z.boolean().optional(),
  cells: z.array(z.object({ column: z.string(), reason: z.string() })).optional(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ImportJob = z.object({
  id: z.string(),
  /** The record type's singular name. */
  type: z.string(),
  /** `running` until every row is counted (an import of an uploaded file runs after the answer). */
  status: z.enum(['running', 'done', 'failed']),
  dryRun: z.boolean(),
  /** How it reads and writes (absent on jobs from before: create, no country, `en`). */
  settings: ImportSettings.optional(),
  /** Data rows read so far (the header is not counted). */
  rowsRead: z.number().int(),
  /** Rows imported (in a dry run: that would be): records created or changed, some perhaps with cells left empty (`partial`). */
  ok: z.number().int(),
  /** Of `ok`, rows with cells that could not be read, left empty (in an update: left as they were). */
  partial: z.number().int().optional(),
  /** Of `ok`, in an update: rows that changed a record (the others created one). */
  updated: z.number().int().optional(),
  /** In an update: rows naming a record whose values they already had (nothing written). */
  unchanged: z.number().int().optional(),
  /** In an update: rows whose record changed since the file's version of it; not written. */
  conflicts: z.number().int().optional(),
  /** Rows refused; the first ones are in `errors`. */
  bad: z.number().int(),
  /** Rows skipped because the record exists already (same e-mail, phone, domain, tax id, or the same row imported before). */
  duplicates: z.number().int(),
  /** The first rows not imported as they were (refused, in conflict, or with cells left empty): line in the file (the header is line 1) and why. */
  errors: z.array(ImportRowError),
  /**
   * The first skipped duplicates and the record each matched: its `id` when the reader may see
   * it, else `hidden: true` and no id (the row is skipped all the same: a record the importer
   * may not see is not made twice).
   */
  duplicateRows: z.array(z.object({ line: z.number().int(), id: z.string().optional(), match: z.string(), hidden: z.literal(true).optional() })),
  /** Related records named in the file that do not exist: per field, how many names and the first of them (created with `createMissing`). */
  missing: z.array(z.object({ field: z.string(), column: z.string(), type: z.string(), count: z.number().int(), names: z.array(z.string()) })).optional(),
  /** Records created for names in the file (`createMissing`), per related type. */
  createdRelated: z.record(z.string(), z.number().int()).optional(),
  /** Rows kept for the error file (`GET /api/imports/{id}/errors.csv`): the rows of `errors`, and more, up to a limit. */
  errorFileRows: z.number().int().optional(),
  ignoredColumns: z.array(z.string()),
  /** The file's header in order and the field each column goes to (null: not imported), so a dry run previews the mapping. */
  columns: z.array(z.object({ column: z.string(), field: z.string().nullable() })).optional(),
  /** The uploaded file read (`POST /api/imports/uploads`), when the import is of one. */
  upload: z.string().optional(),
  /** The mapping the import was started with: a resumed stretch reads the file the same way. */
  mapping: z.record(z.string(), z.string().nullable()).optional(),
  /** Every row up to this line of the file is counted: a resumed import goes on after it. */
  resumeAt: z.number().int().optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  failure: z.string().optional(),
});
export type ImportJob = z.infer<typeof ImportJob>;

/** `GET /api/imports/mappings/{type}`: what the caller mapped the columns of their files to before, header cell -> field (null: skipped), and how they read them. */
export const RememberedMapping = z.object({
  mapping: z.record(z.string(), z.string().nullable()),
  country: CountryCode.optional(),
  locale: NumberLocale.optional(),
});
export type RememberedMapping = z.infer<typeof RememberedMapping>;
