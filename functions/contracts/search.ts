import { z } from 'zod';

/** GET /api/search?q=&types=company,contact&limit= */
export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1, 'is required').max(200),
  /** Singular type names, comma-separated; all types when absent. */
  types: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).optional(),
});

export const SearchHit = z.object({
  /** Singular: `company`. */
  type: z.string(),
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  /** What matched: `name`, `email`, `phone` or `domain`, and the stored value. */
  match: z.object({ kind: z.enum(['name', 'email', 'phone', 'domain']), value: z.string() }),
  /** What tells records of one name apart in a picker: a company's domain, else the first e-mail. */
  detail: z.string().optional(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResponse = z.object({ items: z.array(SearchHit) });
export type SearchResponse = z.infer<typeof SearchResponse>;
