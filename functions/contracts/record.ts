import { z } from 'zod';

/** What every stored record carries besides its own fields. */
export const RecordMeta = z.object({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID'),
  version: z.number().int().positive(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
  owner: z.string(),
  /** Set while the record is in the trash (see `GET /api/{type}/trash`). */
  deletedAt: z.iso.datetime().optional(),
  deletedBy: z.string().optional(),
  /** When a trashed record is removed for good (30 days after deletion). */
  purgeAt: z.iso.datetime().optional(),
});
export type RecordMeta = z.infer<typeof RecordMeta>;

/**
 * A record the caller may not see, where an answer must say which one it is (a lead's earlier
 * conversion): its id and nothing else. The UI shows it as *Hidden record*.
 */
export const HiddenRecord = z.strictObject({ id: RecordMeta.shape.id, hidden: z.literal(true) });
export type HiddenRecord = z.infer<typeof HiddenRecord>;

/** A change of single fields, conditional on the version the client last saw. */
export const patchBody = <F extends z.ZodRawShape>(fields: z.ZodObject<F>) =>
  z.strictObject({
    version: z.number().int().positive(),
    fields: fields.partial().strict().refine((f) => Object.keys(f).length > 0, 'must change at least one field'),
  });

export const ListResponse = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

/**
 * Query of a list route: page size and the `nextCursor` of the previous page: the id of the last
 * record it held, or a position past records the caller may not see (`<part of an id>~`, which
 * names none of them).
 */
export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().regex(/^(?:[0-9A-HJKMNP-TV-Z]{26}|[0-9A-HJKMNP-TV-Z]{1,26}~)$/, 'must be a nextCursor from a previous page').optional(),
});

/** A record type's own fields plus its custom fields (`cf_*`), whose schema is only known at run time. */
export const recordOf = <F extends z.ZodRawShape>(fields: z.ZodObject<F>) => RecordMeta.extend(fields.shape).catchall(z.unknown());
export type ListQuery = z.infer<typeof ListQuery>;

/** One change of a record, as GET /api/changes reports it. */
export const ChangeEntry = z.object({
  cursor: z.string(),
  type: z.string(),
  id: z.string(),
  change: z.enum(['created', 'updated', 'deleted']),
  version: z.number().int(),
  at: z.iso.datetime(),
  owner: z.string().optional(),
  previousOwner: z.string().optional(),
  /** Whom the record is assigned to (its type's assignee fields), who see it as its owner does. */
  assignees: z.array(z.string()).optional(),
  /** Whom the change took it away from: their grids drop it. */
  previousAssignees: z.array(z.string()).optional(),
  /** A process instance's entry (`type: 'INSTANCE'`): the record it works on. */
  subject: z.object({ type: z.string(), id: z.string() }).optional(),
});
export type ChangeEntry = z.infer<typeof ChangeEntry>;

/**
 * GET /api/changes?after=CURSOR: the tenant's changes after a cursor, oldest first, and the
 * cursor to poll with next. Without `after`: no items, and the cursor to start watching from.
 */
export const ChangesQuery = z.strictObject({
  after: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
/** `more`: the page was full, entries after `cursor` may be waiting: ask again at once, not a tick later. */
export const ChangesResponse = z.object({ items: z.array(ChangeEntry), cursor: z.string(), more: z.boolean() });
export type ChangesResponse = z.infer<typeof ChangesResponse>;

/** One change of a record: who made it, when, and each field's old and new value. */
export const HistoryEntry = z.object({
  version: z.number().int().positive(),
  action: z.enum(['created', 'updated', 'deleted', 'restored']),
  at: z.iso.datetime(),
  by: z.string(),
  changes: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;
/**
 * The records an answer about many refers to, each once, by id, as they are now: its results name
 * only a record's version. Bounded by bytes (api/records-once.ts): a record left out is read by id.
 */
export const RecordsById = z.record(z.string(), z.record(z.string(), z.unknown()));
export type RecordsById = z.infer<typeof RecordsById>;

/** A record's history, oldest first, in pages of at most 4 MiB: `nextCursor` (a version) asks for the changes after it. */
export const HistoryResponse = z.object({ items: z.array(HistoryEntry), nextCursor: z.string().optional() });
export const HistoryQuery = z.strictObject({ after: z.coerce.number().int().min(0).optional() });
export type HistoryResponse = z.infer<typeof HistoryResponse>;
