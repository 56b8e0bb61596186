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
});
export type RecordMeta = z.infer<typeof RecordMeta>;

/** A change of single fields, conditional on the version the client last saw. */
export const patchBody = <F extends z.ZodRawShape>(fields: z.ZodObject<F>) =>
  z.strictObject({
    version: z.number().int().positive(),
    fields: fields.partial().strict().refine((f) => Object.keys(f).length > 0, 'must change at least one field'),
  });

export const ListResponse = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });
