/** How long deleted things stay restorable before the table's TTL removes them. */
export const TRASH_DAYS = 30;

export const purgeAfter = (deletedAt: Date) => new Date(deletedAt.getTime() + TRASH_DAYS * 24 * 60 * 60 * 1000);
