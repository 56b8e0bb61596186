/**
 * The global search's answer as the top bar shows it: hits grouped by record type (in the order
 * of the app's sections), each with what matched, and where a hit opens (its type's grid page
 * with its card, `?card=<id>`).
 */
import type { SearchHit } from '$contracts/search.ts';
import { UI_RECORD_TYPES, type UiRecordType } from '../records/record-types.ts';

export interface HitGroup {
  type: UiRecordType;
  /** Each hit with its place among all options (arrows move through every group). */
  hits: Array<{ hit: SearchHit; index: number }>;
}

/** The hits by type, types in the sections' order, hits in the server's (by name); a type the app does not show is left out. */
export function groupHits(hits: readonly SearchHit[]): HitGroup[] {
  let index = 0;
  return UI_RECORD_TYPES.flatMap((type) => {
    const mine = hits.filter((hit) => hit.type === type.info.name);
    return mine.length ? [{ type, hits: mine.map((hit) => ({ hit, index: index++ })) }] : [];
  });
}

const KINDS = { email: 'E-mail', phone: 'Phone', domain: 'Domain' } as const;

/**
 * What matched, under the name: the e-mail, phone or domain that starts with the query (a phone
 * as `phone` shows it), or for a match by name what tells records of one name apart.
 */
export function matchText(hit: SearchHit, phone: (value: string) => string = (value) => value): string {
  if (hit.match.kind === 'name') return hit.detail ?? '';
  return `${KINDS[hit.match.kind]} ${hit.match.kind === 'phone' ? phone(hit.match.value) : hit.match.value}`;
}

/**
 * Where a hit opens: its type's grid with the card of the record. On that grid already, the view
 * and its query stay as they are.
 */
export function hitUrl(hit: SearchHit, current: URL): URL | undefined {
  const type = UI_RECORD_TYPES.find((t) => t.info.name === hit.type);
  if (!type) return undefined;
  const path = `/${type.info.plural}`;
  const url = current.pathname === path ? new URL(current) : new URL(path, current);
  url.searchParams.set('card', hit.id);
  return url;
}
