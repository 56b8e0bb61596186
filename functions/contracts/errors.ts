import { z } from 'zod';

/**
 * The JSON body of every 4xx/5xx the API answers. `issues` names each bad field by its path
 * (dot-joined, e.g. "fields.name") and the reason, so a client can put the message on the cell.
 */
export const ApiErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Each refused field: its path, the reason, and (for a scalar) the value sent. */
    issues: z.array(z.object({ path: z.string(), message: z.string(), value: z.unknown().optional() })).optional(),
    /** On a version conflict: the record as it is now. */
    current: z.unknown().optional(),
    /** Names the request in the server's logs; quote it when reporting a 500. */
    requestId: z.string().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
