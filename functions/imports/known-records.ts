/**
 * What an import must not create again: records of the type that exist (by id, or by a
 * duplicate key such as an e-mail) and rows of this file already accepted.
 *
 * A type of up to PRELOAD_LIMIT records is read once at the start (gsi1, 1,000 a page) and
 * answered from memory: one sequential read instead of a query per row. A larger type is asked
 * per batch (a consistent Query per key on the lookup items, a BatchGetItem per 100 ids).
 * Either way a record created by someone else while the import runs can slip through as a
 * duplicate; that is what merging is for.
 *
 * Every live record of the tenant counts, whoever owns it: an import must not make a second copy
 * of a record its importer may not see. The job names such a record to none but a reader who
 * may see it (import-job.ts `jobAsSeenBy`).
 */
import { readRecordsUnscoped, listRecordsUnscoped } from '../records/repository.ts';
import type { Actor } from '../access/actor.ts';
import { duplicateKeys, type DuplicateKey } from '../records/duplicate-keys.ts';
import { idsWithKeys } from '../duplicates/find-duplicates.ts';
import type { RecordType } from '../records/keys.ts';

const PRELOAD_LIMIT = 200_000;
/** How a row found by its derived id (the same line and cells) is reported. */
export const SAME_ROW = 'the same row, imported before';

export interface Candidate {
  id: string;
  keys: DuplicateKey[];
}

const name = (key: DuplicateKey) => `${key.field}:${key.value}`;

export class KnownRecords {
  private readonly ids = new Set<string>();
  private readonly keys = new Map<string, string>();

  private constructor(
    private readonly actor: Actor,
    private readonly type: RecordType,
    /** Whether every record of the type is in memory. */
    private readonly complete: boolean,
  ) {}

  static async load(actor: Actor, type: RecordType, limit = PRELOAD_LIMIT): Promise<KnownRecords> {
    const loaded: Array<{ id: string; [field: string]: unknown }> = [];
    // A limit of 0 reads none: every batch asks the table, however few records there are.
    let complete = false;
    let after: string | undefined;
    while (!complete && loaded.length < limit) {
      const page = await listRecordsUnscoped(actor.tenant, type, { limit: 1000, after });
      loaded.push(...page.items);
      after = page.nextCursor;
      complete = !after;
    }
    const known = new KnownRecords(actor, type, complete);
    for (const record of complete ? loaded : []) known.add({ id: record.id, keys: duplicateKeys(type, record) });
    return known;
  }

  add(candidate: Candidate): void {
    this.ids.add(candidate.id);
    for (const key of candidate.keys) if (!this.keys.has(name(key))) this.keys.set(name(key), candidate.id);
  }

  /** For each candidate that exists already: the record it matched and how (`id`, or the key). */
  async existing(candidates: Candidate[]): Promise<Map<string, { id: string; match: string }>> {
    const found = new Map<string, { id: string; match: string }>();
    if (!this.complete) await this.lookUp(candidates, found);
    for (const candidate of candidates) {
      const match = found.get(candidate.id) ?? this.remembered(candidate);
      if (match) found.set(candidate.id, match);
    }
    return found;
  }

  /** The match among records known in memory (loaded, looked up, or added by this import). */
  remembered(candidate: Candidate): { id: string; match: string } | undefined {
    if (this.ids.has(candidate.id)) return { id: candidate.id, match: SAME_ROW };
    const key = candidate.keys.find((k) => this.keys.has(name(k)));
    return key ? { id: this.keys.get(name(key))!, match: `${key.field} ${key.value}` } : undefined;
  }

  private async lookUp(candidates: Candidate[], found: Map<string, { id: string; match: string }>): Promise<void> {
    const stored = await readRecordsUnscoped(this.actor.tenant, candidates.map((c) => ({ type: this.type, id: c.id })));
    for (const record of stored) found.set(record.id, { id: record.id, match: SAME_ROW });
    const byKey = await idsWithKeys(this.actor.tenant, this.type, candidates.flatMap((c) => c.keys));
    for (const [id, keys] of byKey) for (const key of keys) if (!this.keys.has(name(key))) this.keys.set(name(key), id);
  }
}
