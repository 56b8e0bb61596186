/**
 * Ids an import derives from what it creates, so that a run repeated, or a stretch retried after
 * a crash, finds what it created before instead of creating it again: a row's record from the
 * tenant, type, line and cells; a related record created for a name from the job and the name.
 */
import { createHash } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped id from `parts`; the first character stays within 0-7, as a ULID's must. Not in time order. */
export function derivedId(parts: unknown[]): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
  return Array.from({ length: 26 }, (_, i) => ALPHABET[i === 0 ? digest[0] % 8 : digest[i] % 32]).join('');
}
