/**
 * Who acts on the tenant's data: the caller of a request (access/permissions.ts makes their
 * Principal, an Actor) or the system itself (`systemActor`). Every read of records takes one and
 * keeps to its scope (record-scope.ts); every write names its writer in the history.
 */
import type { ScopeHolder } from './record-scope.ts';

/** Who writes: the verified subject of the caller's token, in their tenant. */
export interface Writer {
  tenant: string;
  sub: string;
}

/** Who acts: a writer, and what they may see. */
export interface Actor extends Writer, ScopeHolder {
  /**
   * The users whose records of a type (its key) the actor may see: records they own or are
   * assigned to (record-scope.ts); undefined: every record. Set from the caller's role
   * (access/permissions.ts); a record outside it does not exist for them. Required, so that no
   * actor sees everything by being made without it (`systemActor`).
   */
  visibleUsers: (type: string) => ReadonlySet<string> | undefined;
}

/**
 * The system acting on its own (a field purge, a test seeding data): sees every record of the
 * tenant. Never the actor of a request: a request acts as its caller's Principal.
 */
export function systemActor(tenant: string, sub = 'system'): Actor {
  return { tenant, sub, visibleUsers: () => undefined };
}

