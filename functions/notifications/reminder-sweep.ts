/**
 * The `reminders` function: fires the task reminders that are due (reminders.ts). An EventBridge
 * schedule invokes it every minute in AWS; the embedded cloud invokes it on its clock. "Now" is the
 * event's `time` (the scheduled minute), so the local cloud's clock, which tests move, is the
 * time the sweep goes by.
 */
import { sweepReminders } from './reminders.ts';

export async function handler(event: { time?: string }): Promise<Record<string, number>> {
  const now = event.time ? new Date(event.time) : new Date();
  const counts = await sweepReminders(Number.isNaN(now.getTime()) ? new Date() : now);
  if (counts.sent + counts.answered + counts.moved > 0) console.log(JSON.stringify({ level: 'info', message: 'reminders swept', at: now.toISOString(), ...counts }));
  return counts;
}
