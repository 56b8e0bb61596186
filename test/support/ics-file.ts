/** iCalendar files for tests: VEVENTs from their lines, as calendar programs write them. */

/** An .ics file of these events, each given by its lines besides BEGIN/END, UID and DTSTAMP. */
export function icsText(events: string[][]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Sheetflow tests//EN'];
  events.forEach((event, i) => lines.push('BEGIN:VEVENT', `UID:event-${i}@sheetflow.test`, 'DTSTAMP:20260101T000000Z', ...event, 'END:VEVENT'));
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

export const icsFile = (events: string[][]): Uint8Array => new TextEncoder().encode(icsText(events));

/** A whole-day event on `date` (YYYYMMDD). */
export const dayOff = (date: string, name: string, ...more: string[]) => [`DTSTART;VALUE=DATE:${date}`, `SUMMARY:${name}`, ...more];
