/**
 * Grid views of a record type: which columns, which rows (filters), in which order, grouped by
 * what; per user or shared with the tenant. `GET /api/views/{type}/{id}/rows` answers every row
 * of the view in one compact payload (rows as arrays, in the order of `columns`).
 */
import { z } from 'zod';
import { Name } from './text.ts';
import { RecordId } from './values.ts';

const FieldName = z.string().min(1).max(100);

/** Rows per response: 20,000 rows of a few columns stay well under Lambda's 6 MB. */
export const MAX_VIEW_ROWS_PER_RESPONSE = 20_000;

export const FILTER_OPS = ['eq', 'neq', 'contains', 'startsWith', 'gt', 'gte', 'lt', 'lte', 'empty', 'notEmpty', 'in'] as const;

/**
 * Values of an `in` filter at most: a report's drill names up to this many deals by id
 * (contracts/analytics.ts); 5,000 ids are ~145 KB, inside a body's 256 KiB and an item's 400 KB.
 */
export const MAX_IN_VALUES = 5_000;

export const ViewFilter = z
  .strictObject({
    field: FieldName,
    op: z.enum(FILTER_OPS),
    /** Compared with the field's value; `in` takes an array; `empty`/`notEmpty` take none. */
    value: z.union([z.string().max(1000), z.number(), z.boolean(), z.array(z.union([z.string().max(1000), z.number()])).max(MAX_IN_VALUES)]).optional(),
  })
  .refine((f) => (f.op === 'empty' || f.op === 'notEmpty' ? f.value === undefined : f.value !== undefined), { message: 'needs a value for this op (and none for empty/notEmpty)', path: ['value'] })
  .refine((f) => (f.op === 'in') === Array.isArray(f.value) || f.value === undefined, { message: 'is a list exactly for `in`', path: ['value'] });
export type ViewFilter = z.infer<typeof ViewFilter>;

export const ViewSort = z.strictObject({ field: FieldName, direction: z.enum(['asc', 'desc']).optional() });
export type ViewSort = z.infer<typeof ViewSort>;

/**
 * The order of a type's rows where no view says one: the grid opening a type without a saved
 * view, and a type's export (`GET /api/{plural}/export.csv`). By name (then id, as every order).
 */
export const DEFAULT_SORT: readonly ViewSort[] = [{ field: 'name' }];

export const ViewFields = z.strictObject({
  name: Name(100),
  /** Visible to everyone in the tenant (only the owner changes it), or only to its owner. */
  shared: z.boolean().optional(),
  columns: z.array(FieldName).min(1).max(100),
  /** All must hold (AND). */
  filters: z.array(ViewFilter).max(20).optional(),
  sort: z.array(ViewSort).max(5).optional(),
  groupBy: FieldName.optional(),
  /** How the grid lays the columns out: widths in CSS pixels, and the columns pinned at the left. */
  widths: z.record(FieldName, z.number().int().min(40).max(2000)).optional(),
  pinned: z.array(FieldName).max(100).optional(),
});
export type ViewFields = z.infer<typeof ViewFields>;

export const PatchViewBody = z.strictObject({ version: z.number().int().positive(), fields: ViewFields.partial().strict() });

export const View = ViewFields.extend({
  id: RecordId,
  /** The record type's key, e.g. `COMPANY`. */
  recordType: z.string(),
  owner: z.string(),
  version: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type View = z.infer<typeof View>;
export const ViewList = z.object({ items: z.array(View) });
export type ViewList = z.infer<typeof ViewList>;

/**
 * Every row of a view. `rows[i]` is `[id, version, ...values in the order of columns]`; with
 * `groupBy`, rows are ordered by group first and `groups` counts each group's rows in that order.
 */
export const ViewRows = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  /** Rows of the whole view; `rows` holds those from `offset` on, at most `limit` of them. */
  total: z.number().int(),
  offset: z.number().int(),
  /**
   * The view's first 1,000 groups (views/view-rows.ts MAX_GROUPS), each value at most 1 KiB of
   * JSON: a longer text is cut to its start, a longer list to its first values, and `cut` says so.
   */
  groups: z.array(z.object({ value: z.unknown(), count: z.number().int(), cut: z.literal(true).optional() })).optional(),
  /** More groups than `groups` lists: the rows after those it counts belong to groups not listed. */
  moreGroups: z.literal(true).optional(),
  /**
   * Present (with status 202, no rows, `total` 0) while the type's records are being prepared
   * for views in the background (its first read ever, or after a large import): how many have
   * been read so far. Ask again in a moment.
   */
  building: z.object({ records: z.number().int(), startedAt: z.string() }).optional(),
});
export type ViewRows = z.infer<typeof ViewRows>;

/** Ids asked for in a query (`?ids=a,b,c`): an API Gateway request line holds at most 10 KB. */
export const MAX_VIEW_ROW_IDS_IN_QUERY = 300;
/** Ids asked for in the body of an unsaved view's rows. */
export const MAX_VIEW_ROW_IDS_IN_BODY = 1_000;

/**
 * A slice of the rows: a Lambda response is at most 6 MB, so a large view is fetched in slices
 * (each sorted the same way; `groups` always count the whole view). Or, with `ids`, just the
 * rows of those records (`ViewRowsOfIds`), e.g. those the change feed named.
 */
export const ViewRowsQuery = z
  .strictObject({
    offset: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_VIEW_ROWS_PER_RESPONSE).optional(),
    ids: z
      .string()
      .transform((ids) => ids.split(','))
      .pipe(z.array(RecordId).min(1).max(MAX_VIEW_ROW_IDS_IN_QUERY))
      .optional(),
  })
  .refine((q) => q.ids === undefined || (q.offset === undefined && q.limit === undefined), { message: 'goes with neither offset nor limit', path: ['ids'] });

/** The body of an unsaved view's rows: the view (`name` optional), and optionally the ids of the rows wanted. */
export const UnsavedViewRowsBody = ViewFields.partial({ name: true }).extend({
  ids: z.array(RecordId).min(1).max(MAX_VIEW_ROW_IDS_IN_BODY).optional(),
});

/**
 * The rows of the records asked for by id, in view order, each with its place in the whole view;
 * `removed` the ids asked for that are not rows of the view: trashed, filtered out, or unknown.
 */
export const ViewRowsOfIds = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  /** `positions[i]` is the 0-based place of `rows[i]` in the whole view. */
  positions: z.array(z.number().int()),
  /** Rows of the whole view. */
  total: z.number().int(),
  removed: z.array(z.string()),
  /** Rows of the view the answer had no room for (at most 4 MiB of rows): ask for these ids again. */
  later: z.array(z.string()).optional(),
});
export type ViewRowsOfIds = z.infer<typeof ViewRowsOfIds>;
