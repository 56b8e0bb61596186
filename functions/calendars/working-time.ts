/**
 * Arithmetic on a business calendar: when an amount of working time, or a number of working
 * days, after an instant falls due; how much working time lies between two instants; and when a
 * share of it has passed (a reminder at 75 %).
 *
 * Working time is the calendar's shifts on its working days, in its zone's wall-clock time, less
 * its holidays; it is measured as real elapsed time between instants, so a shift 01:00-05:00 on
 * the night the clocks go forward is 3 hours long, and one on the night they go back 5. A wall
 * time a change of the clocks skips is read as the same time after the change, one it repeats as
 * the first of the two (Temporal's `compatible`).
 *
 * A due time is always inside working time: after a shift's start, at the latest at its end
 * (8 working hours from Monday 09:00 are due Monday 17:00, not Tuesday 09:00). Units:
 * - working time (minutes, hours): counted along the shifts. 8 working hours from Friday 15:00
 *   (Mon-Fri 09:00-17:00) are due Monday 15:00.
 * - working days: N working days after an instant are due at the end of the working hours of the
 *   Nth working day after the day it falls on (a working day is a day with working time). So 1
 *   working day after Friday 15:00, or after Friday 08:00, or after Saturday noon, is due Monday
 *   17:00: "by the end of the next working day", whatever the hour it was set. An instant at the
 *   end of a day's last shift (24:00) belongs to that day, so that adding days twice is adding
 *   them once.
 * An amount of 0 is due at once (the instant itself, in working time or not).
 */
import { Temporal } from 'temporal-polyfill';
import { WEEKDAYS, type CalendarFields, type WorkingDuration } from '../contracts/calendars.ts';

/** Working time as instants (epoch milliseconds), start exclusive, end inclusive. */
type Interval = readonly [start: number, end: number];

const MINUTE = 60_000;

/**
 * How far a computation looks ahead. A calendar works on one weekday at least, and holds at most
 * 1,000 holidays (and a country's few a year), so a year of working days lies well within it.
 */
const HORIZON_DAYS = 40 * 366;

/**
 * No working time within the horizon. No calendar the contract accepts gets here (1,000 holidays
 * on a calendar of one working weekday last 19 years), so it is a fault, not a caller's error.
 */
export class NoWorkingTimeError extends Error {
  constructor(readonly from: Date) {
    super(`the calendar has no working time within ${HORIZON_DAYS / 366} years after ${from.toISOString()}`);
    this.name = 'NoWorkingTimeError';
  }
}

export type PublicHolidayDates = (year: number) => ReadonlySet<string>;
const NONE: PublicHolidayDates = () => new Set();

export class WorkingTime {
  private readonly entered: ReadonlySet<string>;
  private readonly days = new Map<string, Interval[]>();

  constructor(
    private readonly calendar: Pick<CalendarFields, 'timeZone' | 'hours' | 'holidays'>,
    /** The days off a country's calendar adds, per year (calendars/public-holidays.ts). */
    private readonly publicHolidays: PublicHolidayDates = NONE,
  ) {
    this.entered = new Set(calendar.holidays.map((holiday) => holiday.date));
  }

  /** When `duration` after `start` falls due: working minutes and hours along the shifts, working days as days. */
  after(start: Date, { amount, unit }: WorkingDuration): Date {
    return unit === 'days' ? this.addDays(start, amount) : this.addMinutes(start, unit === 'hours' ? amount * 60 : amount);
  }

  /** `minutes` of working time after `start`. */
  addMinutes(start: Date, minutes: number): Date {
    return new Date(this.addMilliseconds(start.getTime(), minutes * MINUTE));
  }

  /** The end of the working hours of the `days`th working day after the one `start` falls on. */
  addDays(start: Date, days: number): Date {
    if (days <= 0) return start;
    let date = this.dayOf(start.getTime());
    let count = 0;
    for (let i = 0; i < HORIZON_DAYS; i++) {
      date = date.add({ days: 1 });
      const intervals = this.intervalsOn(date);
      if (intervals.length > 0 && ++count === days) return new Date(intervals[intervals.length - 1][1]);
    }
    throw new NoWorkingTimeError(start);
  }

  /** Milliseconds of working time from `start` to `end` (0 when `end` is not after it). */
  between(start: Date, end: Date): number {
    const [from, to] = [start.getTime(), end.getTime()];
    let total = 0;
    const last = this.dateOf(to);
    for (let date = this.dateOf(from); Temporal.PlainDate.compare(date, last) <= 0; date = date.add({ days: 1 })) {
      for (const [s, e] of this.intervalsOn(date)) total += Math.max(0, Math.min(e, to) - Math.max(s, from));
    }
    return total;
  }

  /** The instant at which `share` (0 to 1) of the working time from `start` to `due` has passed: a reminder's. */
  shareElapsed(start: Date, due: Date, share: number): Date {
    return new Date(this.addMilliseconds(start.getTime(), Math.floor(this.between(start, due) * Math.min(1, Math.max(0, share)))));
  }

  /** In working time: after a shift's start, up to its end. */
  isWorking(instant: Date): boolean {
    const at = instant.getTime();
    const date = this.dateOf(at);
    return [date.subtract({ days: 1 }), date].some((day) => this.intervalsOn(day).some(([s, e]) => s < at && at <= e));
  }

  /** The working time of a day of the calendar's zone, in order. */
  intervalsOn(date: Temporal.PlainDate): Interval[] {
    const key = date.toString();
    let intervals = this.days.get(key);
    if (!intervals) {
      intervals = this.isHoliday(date) ? [] : this.shiftsOn(date);
      this.days.set(key, intervals);
    }
    return intervals;
  }

  private addMilliseconds(start: number, amount: number): number {
    if (amount <= 0) return start;
    let remaining = amount;
    let date = this.dateOf(start);
    for (let i = 0; i < HORIZON_DAYS; i++, date = date.add({ days: 1 })) {
      for (const [s, e] of this.intervalsOn(date)) {
        if (e <= start) continue;
        const from = Math.max(s, start);
        if (e - from >= remaining) return from + remaining;
        remaining -= e - from;
      }
    }
    throw new NoWorkingTimeError(new Date(start));
  }

  private isHoliday(date: Temporal.PlainDate): boolean {
    const key = date.toString();
    return this.entered.has(key) || this.publicHolidays(date.year).has(key);
  }

  private shiftsOn(date: Temporal.PlainDate): Interval[] {
    const intervals: Interval[] = [];
    let previousEnd = -Infinity;
    for (const shift of this.calendar.hours[WEEKDAYS[date.dayOfWeek - 1]]) {
      // A shift the clocks moved into its predecessor (02:00-02:30 on the night they go forward) starts where that one ends.
      const start = Math.max(this.instantAt(date, shift.from), previousEnd);
      const end = this.instantAt(date, shift.to);
      if (end > start) {
        intervals.push([start, end]);
        previousEnd = end;
      }
    }
    return intervals;
  }

  private instantAt(date: Temporal.PlainDate, time: string): number {
    const timeZone = this.calendar.timeZone;
    if (time === '24:00') return date.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
    return date.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from(time) }).epochMilliseconds;
  }

  private dateOf(at: number): Temporal.PlainDate {
    return Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(this.calendar.timeZone).toPlainDate();
  }

  /** The day an instant falls on; at the end of a day's last shift (24:00), that day rather than the next. */
  private dayOf(at: number): Temporal.PlainDate {
    const date = this.dateOf(at);
    const before = date.subtract({ days: 1 });
    return this.intervalsOn(before).some(([, e]) => e === at) ? before : date;
  }
}

/**
 * Whole seconds from `now` until `due`, rounded up so that a timer set with them never fires
 * early (a state machine's `Wait` or `TimeoutSeconds`); 0 when it is due already.
 */
export function wholeSecondsUntil(due: Date, now: Date): number {
  return Math.max(0, Math.ceil((due.getTime() - now.getTime()) / 1000));
}
