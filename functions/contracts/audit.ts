/** The audit log: administrative actions and sign-ins, who, what, when, from where. */
import { z } from 'zod';

export const AuditEntry = z.object({
  at: z.string(),
  /** The acting user's sub, and e-mail when known. */
  actor: z.string(),
  actorEmail: z.string().optional(),
  action: z.string(),
  /** What was acted on: `user:<sub>`, `team:<id>`, `role:<id>`, `field:<type>.<key>`. */
  target: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  /** The client's IP address as the gateway (or, for a sign-in, the identity provider) saw it. */
  sourceIp: z.string().optional(),
  cursor: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.strictObject({
  before: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const AuditList = z.object({ items: z.array(AuditEntry), nextCursor: z.string().optional() });
export type AuditList = z.infer<typeof AuditList>;
