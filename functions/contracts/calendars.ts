/**
 * Business calendars (`/api/calendars/...`): when a tenant, or one of its teams, works. Deadlines
 * of processes (a task's due time, a timer of N working days) are counted on them
 * (functions/calendars/working-time.ts).
 */
import { z } from 'zod';
import { Name } from './text.ts';
import { DATE_YEARS, IsoDate } from './values.ts';

/** The days of the week, Monday first (ISO 8601: Temporal's `dayOfWeek` 1 is Monday). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Shifts in one day (a split shift is two: 08:00-12:00 and 13:00-17:00). */
export const MAX_SHIFTS_PER_DAY = 4;
/** Holidays one calendar holds (entered and imported; a country's follow on their own). */
export const MAX_HOLIDAYS = 1000;
/** An .ics file: the API's body limit (a body is at most 256 KiB here; API Gateway takes 10 MB, Lambda 6 MB). */
export const MAX_ICS_BYTES = 256 * 1024;
/** Events one .ics file may hold (VEVENTs, before recurrences are expanded). */
export const MAX_ICS_EVENTS = 1000;
/** Years of an .ics import's window (from..until). */
export const MAX_IMPORT_YEARS = 20;

const TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
/** A wall-clock time of the calendar's zone, `HH:MM`, 00:00 to 24:00 (the end of the day). */
export const TimeOfDay = z.string().regex(TIME, 'must be a time like 09:00 (00:00 to 24:00)');
const isTime = (value: unknown): value is string => typeof value === 'string' && TIME.test(value);
/** Minutes after midnight of a `TimeOfDay`. */
export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** From `from` up to `to`, in the calendar's wall-clock time. */
export const Shift = z
  .strictObject({ from: TimeOfDay, to: TimeOfDay })
  .refine((shift) => !isTime(shift.from) || !isTime(shift.to) || minutesOf(shift.from) < minutesOf(shift.to), { message: 'must end after the shift starts', path: ['to'] });
export type Shift = z.infer<typeof Shift>;

const DayHours = z
  .array(Shift)
  .max(MAX_SHIFTS_PER_DAY)
  .superRefine((shifts, ctx) => {
    for (let i = 1; i < shifts.length; i++) {
      const [before, shift] = [shifts[i - 1], shifts[i]];
      // Shifts refused for themselves (a time that is no time) are named as such, not compared.
      if (!isTime(before?.to) || !isTime(shift?.from)) continue;
      if (minutesOf(shift.from) < minutesOf(before.to)) ctx.addIssue({ code: 'custom', path: [i, 'from'], message: 'must start once the shift before it has ended (shifts in order, not overlapping)', input: shift.from });
    }
  });

/** Working hours per weekday; a day without shifts is no working day. */
export const WeekHours = z
  .strictObject({ mon: DayHours, tue: DayHours, wed: DayHours, thu: DayHours, fri: DayHours, sat: DayHours, sun: DayHours })
  .refine((week) => WEEKDAYS.some((day) => (week[day]?.length ?? 0) > 0), 'must have working hours on at least one day of the week');
export type WeekHours = z.infer<typeof WeekHours>;

function isTimeZone(name: string): boolean {
  // Offsets (`+01:00`) are no zone: they know nothing of daylight saving.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A zone of the IANA database (`Europe/Berlin`), in its canonical spelling. */
export const TimeZone = z
  .string()
  .trim()
  // A name too long is that, and not said to be no zone as well.
  .max(64, { abort: true })
  .refine(isTimeZone, 'must be a time zone of the IANA database like Europe/Berlin')
  .transform((name) => new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone);

/** A day off, the whole day in the calendar's zone. */
export const Holiday = z.strictObject({ date: IsoDate, name: Name(100) });
export type Holiday = z.infer<typeof Holiday>;

export const Holidays = z
  .array(Holiday)
  .max(MAX_HOLIDAYS)
  .superRefine((holidays, ctx) => {
    const seen = new Map<string, number>();
    holidays.forEach((holiday, i) => {
      const first = seen.get(holiday.date);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `is a holiday already (at ${first})`, input: holiday.date });
      else seen.set(holiday.date, i);
    });
  });

const CountryCode = z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'must be a two-letter country code like DE or US');
const RegionCode = z.string().trim().toUpperCase().regex(/^[A-Z0-9]{1,10}$/, 'must be a region code like BY (see GET /api/calendars/countries)');

/** A country's (and region's) public holidays, every year, from the date-holidays library; null for none. */
export const PublicHolidays = z.strictObject({ country: CountryCode, region: RegionCode.optional() }).nullable();
export type PublicHolidays = z.infer<typeof PublicHolidays>;

/** What a calendar says: everything but its version. */
export const CalendarFields = z.strictObject({
  timeZone: TimeZone,
  hours: WeekHours,
  /** Entered or imported days off, in date order. */
  holidays: Holidays,
  publicHolidays: PublicHolidays,
});
export type CalendarFields = z.infer<typeof CalendarFields>;

/**
 * A calendar as the API answers it. `of` is `tenant` or a team's id; `source` says where its
 * contents come from: its own (`own`), the tenant's (`tenant`: a team without one of its own) or
 * the default (`default`: Mon-Fri 09:00-17:00 UTC, no holidays). `version` is that of its own
 * calendar: 0 while it has none.
 */
export const Calendar = CalendarFields.extend({
  of: z.string(),
  source: z.enum(['own', 'tenant', 'default']),
  version: z.number().int().min(0),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
export type Calendar = z.infer<typeof Calendar>;

export const PatchCalendarBody = z.strictObject({
  /** The version seen (0: it has none of its own yet; the change makes it one from what it showed). */
  version: z.number().int().min(0),
  fields: CalendarFields.partial().refine((fields) => Object.keys(fields).length > 0, 'must change at least one part of the calendar'),
});
export type PatchCalendarBody = z.infer<typeof PatchCalendarBody>;

const Year = z.coerce.number().int().min(DATE_YEARS.min).max(DATE_YEARS.max);

/** `POST /api/calendars/{id}/holidays?version=N[&from=YYYY&until=YYYY]`, the body an .ics file. */
export const HolidayImportQuery = z
  .strictObject({
    version: z.coerce.number().int().min(0),
    /** The years whose days the import takes (recurring events expanded into them); default: this year and the next five. */
    from: Year.optional(),
    until: Year.optional(),
  })
  .refine((query) => query.from === undefined || query.until === undefined || query.until >= query.from, { message: 'must not be before from', path: ['until'] })
  .refine((query) => query.from === undefined || query.until === undefined || query.until - query.from < MAX_IMPORT_YEARS, { message: `must be at most ${MAX_IMPORT_YEARS} years from from`, path: ['until'] });
export type HolidayImportQuery = z.infer<typeof HolidayImportQuery>;

export const HolidayImport = z.object({
  calendar: Calendar,
  /** Events read from the file. */
  events: z.number().int(),
  /** Days the calendar did not hold before. */
  added: z.number().int(),
  /** Days it held already (their names kept). */
  known: z.number().int(),
  /** Events with a time of day: not a whole day off, left out. */
  timed: z.number().int(),
  /** Days outside the import's years, left out. */
  outside: z.number().int(),
});
export type HolidayImport = z.infer<typeof HolidayImport>;

export const PublicHolidaysQuery = z.strictObject({ country: CountryCode, region: RegionCode.optional(), year: Year });
export type PublicHolidaysQuery = z.infer<typeof PublicHolidaysQuery>;

/** A country's holidays of a year, of every kind, for an administrator to pick from; `type: 'public'` are those a calendar's `publicHolidays` follows. */
export const PublicHolidayList = z.object({
  country: z.string(),
  region: z.string().optional(),
  year: z.number().int(),
  items: z.array(z.object({ date: z.string(), name: z.string(), type: z.string() })),
});
export type PublicHolidayList = z.infer<typeof PublicHolidayList>;

export const CountryList = z.object({
  items: z.array(z.object({ code: z.string(), name: z.string(), regions: z.array(z.object({ code: z.string(), name: z.string() })) })),
});
export type CountryList = z.infer<typeof CountryList>;

/** How long until something is due, in working time: the unit says which (a working day is not 24 working hours). */
export const WORKING_DURATION_MAX = { minutes: 365 * 24 * 60, hours: 365 * 24, days: 365 } as const;
export const WorkingDuration = z
  .strictObject({ amount: z.number().int().min(0), unit: z.enum(['minutes', 'hours', 'days']) })
  .refine((duration) => duration.amount <= WORKING_DURATION_MAX[duration.unit], { message: 'must be at most a year of working time (365 days, 8,760 hours)', path: ['amount'] });
export type WorkingDuration = z.infer<typeof WorkingDuration>;
