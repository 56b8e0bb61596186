/** What the trash list shows of a trashed record: who deleted it, when, and how long it stays. */
import type { TrashedRecord } from './trash-api.ts';

const DAY = 24 * 60 * 60 * 1000;

export interface TrashRow {
  id: string;
  version: number;
  name: string;
  deletedAt: Date | undefined;
  deletedBy: string;
  /** Whole days until the record is removed for good (0: today). */
  daysLeft: number | undefined;
}

/** Newest deletion first; `people` names a user by `sub` (the directory), else the sub is shown. */
export function trashRows(records: TrashedRecord[], people: Record<string, string>, now: Date): TrashRow[] {
  return records
    .map((record) => ({
      id: record.id,
      version: record.version,
      name: record.name || 'Unnamed',
      deletedAt: record.deletedAt ? new Date(record.deletedAt) : undefined,
      deletedBy: record.deletedBy ? (people[record.deletedBy] ?? record.deletedBy) : 'unknown',
      daysLeft: record.purgeAt ? Math.max(0, Math.ceil((Date.parse(record.purgeAt) - now.getTime()) / DAY)) : undefined,
    }))
    .sort((a, b) => (b.deletedAt?.getTime() ?? 0) - (a.deletedAt?.getTime() ?? 0));
}
