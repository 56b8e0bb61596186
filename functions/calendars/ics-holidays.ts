/**
 * Days off from an iCalendar file (RFC 5545, `.ics`: what Outlook, Google Calendar and public
 * holiday feeds export), read with ical.js. A whole-day event (`DTSTART;VALUE=DATE`) is a holiday
 * on each day it spans; a recurring one (`RRULE`, `RDATE`, less `EXDATE`) on each occurrence in
 * the import's years. An event with a time of day is no day off and is left out (counted).
 *
 * Bounded: the file is at most MAX_ICS_BYTES (the route checks), at most MAX_ICS_EVENTS events,
 * at most MAX_HOLIDAYS days in the years, and a recurrence is followed through at most
 * MAX_OCCURRENCES occurrences in all (~1.5 s of ical.js; a daily rule from 1900 is refused, not walked for ever).
 */
import ICAL from 'ical.js';
import { Holiday, MAX_HOLIDAYS, MAX_ICS_EVENTS } from '../contracts/calendars.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';

/** Occurrences followed in one file, those before the import's years included. */
const MAX_OCCURRENCES = 20_000;
/** The longest event taken day by day (a closure over the holidays). */
const MAX_EVENT_DAYS = 366;

export interface IcsHolidays {
  /** In date order, one per day (the first event naming a day names it). */
  holidays: Holiday[];
  events: number;
  /** Events with a time of day. */
  timed: number;
  /** Days of single events outside the years. */
  outside: number;
}

const refused = (message: string, cause?: unknown) => new FieldValidationError([{ path: 'body', message }], { cause });

function text(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw refused('is not UTF-8 text (iCalendar files are UTF-8)', err);
  }
}

function parse(source: string): ICAL.Component[] {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(source);
  } catch (err) {
    throw refused(`is no iCalendar file: ${(err as Error).message}`, err);
  }
  const roots = (Array.isArray(parsed) && typeof parsed[0] === 'string' ? [parsed] : (parsed as unknown[])) as unknown[];
  const calendars = roots.map((root) => new ICAL.Component(root as never)).filter((root) => root.name === 'vcalendar');
  if (calendars.length === 0) throw refused('is no iCalendar file: it holds no VCALENDAR');
  return calendars;
}

/** A holiday's name from an event's summary: one line of at most 100 characters, or `Holiday`. */
function nameOf(summary: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const line = (summary ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100);
  return Holiday.safeParse({ date: '2026-01-01', name: line }).success ? line : 'Holiday';
}

export function holidaysFromIcs(bytes: Uint8Array, years: { from: number; until: number }): IcsHolidays {
  const events = parse(text(bytes)).flatMap((calendar) => calendar.getAllSubcomponents('vevent'));
  if (events.length > MAX_ICS_EVENTS) throw refused(`holds ${events.length} events, at most ${MAX_ICS_EVENTS}`);
  const days = new Map<string, string>();
  let [timed, outside, occurrences] = [0, 0, 0];
  const take = (date: string, name: string) => {
    if (!days.has(date)) days.set(date, name);
    if (days.size > MAX_HOLIDAYS) throw refused(`holds more than ${MAX_HOLIDAYS} days off in the years ${years.from} to ${years.until}, the most a calendar holds`);
  };
  /** An event's days, into `days`. */
  function read(component: ICAL.Component, index: number): void {
    const event = new ICAL.Event(component);
    const start = event.startDate;
    if (!start) throw refused(`event ${index + 1} (${event.uid ?? 'no UID'}) has no start (DTSTART)`);
    if (!start.isDate) {
      timed++;
      return;
    }
    const name = nameOf(event.summary);
    const length = Math.min(MAX_EVENT_DAYS, Math.max(1, Math.round(event.duration.toSeconds() / 86_400)));
    const dayOf = (first: ICAL.Time, offset: number) => {
      const day = first.clone();
      day.adjust(offset, 0, 0, 0);
      return day;
    };
    if (!event.isRecurring()) {
      for (let offset = 0; offset < length; offset++) {
        const day = dayOf(start, offset);
        if (day.year < years.from || day.year > years.until) outside++;
        else take(day.toString(), name);
      }
      return;
    }
    const expansion = event.iterator();
    for (let occurrence = expansion.next(); occurrence && occurrence.year <= years.until; occurrence = expansion.next()) {
      if (++occurrences > MAX_OCCURRENCES) throw refused(`repeats its events more than ${MAX_OCCURRENCES} times before ${years.until + 1}`);
      for (let offset = 0; offset < length; offset++) {
        const day = dayOf(occurrence, offset);
        if (day.year >= years.from && day.year <= years.until) take(day.toString(), name);
      }
    }
  }
  events.forEach((component, index) => {
    try {
      read(component, index);
    } catch (err) {
      // ical.js reads a property (an RRULE, a DURATION) only when asked: what it cannot read is the file's fault.
      throw err instanceof FieldValidationError ? err : refused(`event ${index + 1} cannot be read: ${(err as Error).message}`, err);
    }
  });
  const holidays = [...days].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date));
  return { holidays, events: events.length, timed, outside };
}
