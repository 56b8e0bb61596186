/**
 * How long deleted things stay restorable before the table's TTL removes them: records and
 * custom fields alike, so it sits below both (and where the frontend can read it too).
 */
export const TRASH_DAYS = 30;

export const purgeAfter = (deletedAt: Date) => new Date(deletedAt.getTime() + TRASH_DAYS * 24 * 60 * 60 * 1000);
