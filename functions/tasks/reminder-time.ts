/**
 * When a task's reminder falls: once `share` of the time from its offer to its due time has
 * passed (0.75: with a quarter of it left). None without a due time, for a share of 0 (none
 * wanted) or 1 (the due time itself, when the step escalates instead), or a due time not after
 * the offer.
 */
export function reminderTimeOf(offeredAt: string, due: string | null | undefined, share: number | undefined): string | null {
  if (!due || share === undefined || !(share > 0 && share < 1)) return null;
  const start = Date.parse(offeredAt);
  const end = Date.parse(due);
  if (!(end > start)) return null;
  return new Date(start + Math.round(share * (end - start))).toISOString();
}
