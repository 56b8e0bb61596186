/** CSV import: the query of `POST /api/imports` and the import job a client polls (see functions/imports/). */
import { z } from 'zod';
import { ULID } from './values.ts';

/** `mapping` is JSON: header cell -> field key, or null to skip the column. */
export const ImportQuery = z.strictObject({
  /** The record type, plural as in its routes: `contacts`. */
  type: z.string().min(1).max(50),
  /** The id of an uploaded file to import (`POST /api/imports/uploads`); without it the body is the file. */
  upload: z.string().regex(ULID, 'must be an upload id').optional(),
  dryRun: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
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

export const ImportJob = z.object({
  id: z.string(),
  /** The record type's singular name. */
  type: z.string(),
  /** `running` until every row is counted (an import of an uploaded file runs after the answer). */
  status: z.enum(['running', 'done', 'failed']),
  dryRun: z.boolean(),
  /** Data rows read so far (the header is not counted). */
  rowsRead: z.number().int(),
  /** Rows imported (in a dry run: that would be). */
  ok: z.number().int(),
  /** Rows refused; the first ones are in `errors`. */
  bad: z.number().int(),
  /** Rows skipped because the record exists already (same e-mail, phone, domain, tax id, or the same row imported before). */
  duplicates: z.number().int(),
  /** The first bad rows: line in the file (the header is line 1) and why. */
  errors: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  /**
   * The first skipped duplicates and the record each matched: its `id` when the reader may see
   * it, else `hidden: true` and no id (the row is skipped all the same: a record the importer
   * may not see is not made twice).
   */
  duplicateRows: z.array(z.object({ line: z.number().int(), id: z.string().optional(), match: z.string(), hidden: z.literal(true).optional() })),
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
