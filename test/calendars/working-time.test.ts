/**
 * Working-time arithmetic (functions/calendars/working-time.ts): properties over random calendars
 * (zones with and without daylight saving, split shifts, holidays) and examples a person can check
 * by hand: DST weeks in Berlin and New York, split shifts, holidays, a zone east of UTC across
 * midnight.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CalendarFields, WEEKDAYS, type Shift, type WeekHours } from '../../functions/contracts/calendars.ts';
import { WorkingTime, wholeSecondsUntil } from '../../functions/calendars/working-time.ts';
import { publicHolidayDates } from '../../functions/calendars/public-holidays.ts';
import { workingTimeFor } from '../../functions/calendars/calendars.ts';

const HOUR = 3_600_000;
const OFFICE: Shift[] = [{ from: '09:00', to: '17:00' }];
const weekdays = (shifts: Shift[]): WeekHours => ({ mon: shifts, tue: shifts, wed: shifts, thu: shifts, fri: shifts, sat: [], sun: [] });
const everyDay = (shifts: Shift[]): WeekHours => ({ mon: shifts, tue: shifts, wed: shifts, thu: shifts, fri: shifts, sat: shifts, sun: shifts });
const calendar = (timeZone: string, hours: WeekHours, holidays: string[] = [], publicHolidays: CalendarFields['publicHolidays'] = null) =>
  workingTimeFor(CalendarFields.parse({ timeZone, hours, holidays: holidays.map((date) => ({ date, name: 'Off' })), publicHolidays }));
const at = (iso: string) => new Date(iso);

// ---------------------------------------------------------------------------------------------
// An oracle of its own: an instant is in working time when the wall-clock time just before it,
// as Intl reads it in the zone, lies in a shift of that weekday, on a day that is no holiday. In
// the hour a night of clocks going back repeats, a shift goes on through the repeat (real time),
// so there the wall clock may read up to the change earlier than the shift's start.
const WEEKDAY_OF: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
function wallClock(instant: number, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short' })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  const seconds = Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  // The zone's offset: the wall clock read as UTC, less the instant (whole seconds).
  const offset = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / 1000 + seconds - Math.floor(instant / 1000);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday: WEEKDAY_OF[parts.weekday], seconds, offset };
}
const seconds = (time: string) => Number(time.slice(0, 2)) * 3600 + Number(time.slice(3)) * 60;
function inWorkingTime(fields: CalendarFields, instant: Date): boolean {
  const wall = wallClock(instant.getTime() - 1000, fields.timeZone);
  if (fields.holidays.some((holiday) => holiday.date === wall.date)) return false;
  const wentBack = Math.max(0, wallClock(instant.getTime() - 1000 - 3 * 3_600_000, fields.timeZone).offset - wall.offset);
  return fields.hours[WEEKDAYS[wall.weekday]].some((shift) => seconds(shift.from) - wentBack <= wall.seconds && wall.seconds < seconds(shift.to));
}

// Random calendars: zones with daylight saving (30 minutes on Lord Howe, at midnight in Santiago),
// east and west of UTC; up to 3 shifts a day on half-hour marks; holidays around the starts.
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Pacific/Auckland', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'Pacific/Chatham'];
const halfHour = (mark: number) => (mark === 48 ? '24:00' : `${String(Math.floor(mark / 2)).padStart(2, '0')}:${mark % 2 ? '30' : '00'}`);
const dayShifts = fc.uniqueArray(fc.integer({ min: 0, max: 48 }), { maxLength: 6 }).map((marks) => {
  const sorted = [...marks].sort((a, b) => a - b);
  const shifts: Shift[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) shifts.push({ from: halfHour(sorted[i]), to: halfHour(sorted[i + 1]) });
  return shifts;
});
const START = { min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) };
const holidayDate = fc.integer({ min: START.min, max: START.max + 60 * 24 * HOUR }).map((ms) => new Date(ms).toISOString().slice(0, 10));
const calendars = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    hours: fc.record(Object.fromEntries(WEEKDAYS.map((day) => [day, dayShifts])) as Record<(typeof WEEKDAYS)[number], typeof dayShifts>),
    holidays: fc.uniqueArray(holidayDate, { maxLength: 30 }).map((dates) => dates.map((date) => ({ date, name: 'Off' }))),
    publicHolidays: fc.constant(null),
  })
  .filter((fields) => WEEKDAYS.some((day) => fields.hours[day].length > 0))
  .map((fields) => CalendarFields.parse(fields));
const instants = fc.integer(START).map((ms) => new Date(ms));
const minutes = fc.integer({ min: 0, max: 20_000 });
const days = fc.integer({ min: 0, max: 40 });
const RUNS = { numRuns: 150 };

describe('properties over random calendars', () => {
  it('a due time is never before its start, and inside working time when the amount is more than 0', () => {
    fc.assert(
      fc.property(calendars, instants, minutes, days, (fields, start, m, d) => {
        const time = workingTimeFor(fields);
        for (const [amount, due] of [[m, time.addMinutes(start, m)], [d, time.addDays(start, d)]] as const) {
          expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
          if (amount === 0) expect(due).toEqual(start);
          else {
            expect(due.getTime()).toBeGreaterThan(start.getTime());
            expect(inWorkingTime(fields, due), `${due.toISOString()} in ${fields.timeZone}`).toBe(true);
            expect(time.isWorking(due)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('adding a and then b is adding a + b: working minutes, and working days', () => {
    fc.assert(
      fc.property(calendars, instants, minutes, minutes, days, days, (fields, start, a, b, c, d) => {
        const time = workingTimeFor(fields);
        expect(time.addMinutes(time.addMinutes(start, a), b)).toEqual(time.addMinutes(start, a + b));
        expect(time.addDays(time.addDays(start, c), d)).toEqual(time.addDays(start, c + d));
      }),
      RUNS,
    );
  });

  it('the working time between a start and its due time is the amount added', () => {
    fc.assert(
      fc.property(calendars, instants, minutes, (fields, start, m) => {
        const time = workingTimeFor(fields);
        expect(time.between(start, time.addMinutes(start, m))).toBe(m * 60_000);
      }),
      RUNS,
    );
  });

  it('a share of the working time has passed at shareElapsed, which lies between start and due', () => {
    fc.assert(
      fc.property(calendars, instants, fc.integer({ min: 1, max: 20_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (fields, start, m, share) => {
        const time = workingTimeFor(fields);
        const due = time.addMinutes(start, m);
        const reminder = time.shareElapsed(start, due, share);
        expect(reminder.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(reminder.getTime()).toBeLessThanOrEqual(due.getTime());
        expect(time.between(start, reminder)).toBe(Math.floor(m * 60_000 * share));
      }),
      RUNS,
    );
  });
});

describe('working hours and working days are different units', () => {
  const office = calendar('Europe/Berlin', weekdays(OFFICE));

  it('8 working hours set on Friday 15:00 fall due on Monday (15:00)', () => {
    expect(office.after(at('2026-06-05T15:00:00+02:00'), { amount: 8, unit: 'hours' })).toEqual(at('2026-06-08T15:00:00+02:00'));
  });

  it('1 working day after Friday 15:00 is due at the end of Monday\'s hours, and is not 24 working hours', () => {
    const friday = at('2026-06-05T15:00:00+02:00');
    expect(office.after(friday, { amount: 1, unit: 'days' })).toEqual(at('2026-06-08T17:00:00+02:00'));
    // 24 working hours are three office days: Friday's 2, Monday's to Wednesday's 8 each, 6 of Thursday's... 2 + 8 + 8 + 6.
    expect(office.after(friday, { amount: 24, unit: 'hours' })).toEqual(at('2026-06-10T15:00:00+02:00'));
    // Set before the day's hours, at a weekend, or after them: the next working day's end all the same.
    expect(office.addDays(at('2026-06-05T07:00:00+02:00'), 1)).toEqual(at('2026-06-08T17:00:00+02:00'));
    expect(office.addDays(at('2026-06-06T12:00:00+02:00'), 1)).toEqual(at('2026-06-08T17:00:00+02:00'));
    expect(office.addDays(at('2026-06-05T19:00:00+02:00'), 2)).toEqual(at('2026-06-09T17:00:00+02:00'));
  });

  it('8 working hours from the start of a day end with that day, not at the next one\'s start', () => {
    expect(office.addMinutes(at('2026-06-08T09:00:00+02:00'), 8 * 60)).toEqual(at('2026-06-08T17:00:00+02:00'));
    // Set outside working time: counted from the next shift's start.
    expect(office.addMinutes(at('2026-06-06T10:00:00+02:00'), 60)).toEqual(at('2026-06-08T10:00:00+02:00'));
  });

  it('0 is due at once, in working time or not', () => {
    const saturday = at('2026-06-06T10:00:00+02:00');
    expect(office.addMinutes(saturday, 0)).toEqual(saturday);
    expect(office.addDays(saturday, 0)).toEqual(saturday);
  });

  it('a reminder at 75 % of the working time left', () => {
    const start = at('2026-06-05T15:00:00+02:00');
    const due = office.after(start, { amount: 8, unit: 'hours' });
    // 6 of 8 hours: Friday's 2, then 4 on Monday.
    expect(office.shareElapsed(start, due, 0.75)).toEqual(at('2026-06-08T13:00:00+02:00'));
    expect(office.between(start, due)).toBe(8 * HOUR);
  });

  it('whole seconds for a state machine\'s timer, rounded up so it never fires early', () => {
    expect(wholeSecondsUntil(at('2026-06-08T13:00:00.001Z'), at('2026-06-08T12:00:00Z'))).toBe(3601);
    expect(wholeSecondsUntil(at('2026-06-08T12:00:00Z'), at('2026-06-08T13:00:00Z'))).toBe(0);
  });
});

describe('daylight saving', () => {
  it('Europe/Berlin, the week the clocks go forward (29 March 2026): office hours keep their wall-clock times', () => {
    const office = calendar('Europe/Berlin', weekdays(OFFICE));
    // Friday 15:00 CET (+01:00) + 8 hours: Monday 15:00 CEST (+02:00), 13:00 UTC.
    expect(office.addMinutes(at('2026-03-27T15:00:00+01:00'), 8 * 60).toISOString()).toBe('2026-03-30T13:00:00.000Z');
    expect(office.addDays(at('2026-03-27T15:00:00+01:00'), 1).toISOString()).toBe('2026-03-30T15:00:00.000Z');
  });

  it('Europe/Berlin: a night shift through the change is an hour shorter in spring and an hour longer in autumn', () => {
    const night = calendar('Europe/Berlin', everyDay([{ from: '01:00', to: '05:00' }]));
    expect(night.between(at('2026-03-29T00:00:00+01:00'), at('2026-03-29T12:00:00+02:00'))).toBe(3 * HOUR);
    expect(night.between(at('2026-10-25T00:00:00+02:00'), at('2026-10-25T12:00:00+01:00'))).toBe(5 * HOUR);
    expect(night.between(at('2026-03-28T00:00:00+01:00'), at('2026-03-28T12:00:00+01:00'))).toBe(4 * HOUR);
    // A shift starting in the skipped hour starts when the clocks have moved on (03:30 CEST).
    const skipped = calendar('Europe/Berlin', everyDay([{ from: '02:30', to: '04:00' }]));
    expect(skipped.addMinutes(at('2026-03-29T00:00:00+01:00'), 15).toISOString()).toBe('2026-03-29T01:45:00.000Z');
  });

  it('America/New_York: 24 working hours of a round-the-clock calendar are 24 real hours across both changes', () => {
    const always = calendar('America/New_York', everyDay([{ from: '00:00', to: '24:00' }]));
    // 8 March 2026 has 23 hours: noon EST + 24 h is 13:00 EDT the next day.
    expect(always.addMinutes(at('2026-03-07T12:00:00-05:00'), 24 * 60)).toEqual(at('2026-03-08T13:00:00-04:00'));
    // 1 November 2026 has 25 hours: noon EDT + 24 h is 11:00 EST the next day.
    expect(always.addMinutes(at('2026-10-31T12:00:00-04:00'), 24 * 60)).toEqual(at('2026-11-01T11:00:00-05:00'));
    expect(always.between(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(25 * HOUR);
    // A day ending at 24:00: one working day after it is the next day's end, counted once.
    expect(always.addDays(at('2026-03-07T12:00:00-05:00'), 1)).toEqual(at('2026-03-09T00:00:00-04:00'));
    expect(always.addDays(always.addDays(at('2026-03-07T12:00:00-05:00'), 1), 1)).toEqual(at('2026-03-10T00:00:00-04:00'));
  });

  it('America/New_York: a shift through the repeated hour goes on in real time, so its wall clock reads earlier than its start', () => {
    const fields = CalendarFields.parse({ timeZone: 'America/New_York', hours: { ...weekdays([]), sun: [{ from: '01:30', to: '02:00' }] }, holidays: [], publicHolidays: null });
    const night = workingTimeFor(fields);
    // 01:30 EDT to 02:00 EST on 1 November 2026 is an hour and a half: 35 minutes in is 01:05 EST.
    expect(night.between(at('2026-11-01T00:00:00-04:00'), at('2026-11-01T12:00:00-05:00'))).toBe(1.5 * HOUR);
    const due = night.addMinutes(at('2026-11-01T01:30:00-04:00'), 35);
    expect(due).toEqual(at('2026-11-01T01:05:00-05:00'));
    expect(inWorkingTime(fields, due)).toBe(true);
  });

  it('America/New_York, office hours the week the clocks go back: Friday + 1 working day is Monday 17:00 EST', () => {
    const office = calendar('America/New_York', weekdays(OFFICE));
    expect(office.addDays(at('2026-10-30T15:00:00-04:00'), 1).toISOString()).toBe('2026-11-02T22:00:00.000Z');
    expect(office.addMinutes(at('2026-10-30T15:00:00-04:00'), 8 * 60).toISOString()).toBe('2026-11-02T20:00:00.000Z');
  });
});

describe('split shifts and holidays', () => {
  it('a split shift leaves the lunch break out', () => {
    const split = calendar('Europe/Berlin', weekdays([{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }]));
    expect(split.addMinutes(at('2026-06-08T11:00:00+02:00'), 120)).toEqual(at('2026-06-08T14:00:00+02:00'));
    // Exactly the morning's end: due at 12:00, not 13:00.
    expect(split.addMinutes(at('2026-06-08T11:00:00+02:00'), 60)).toEqual(at('2026-06-08T12:00:00+02:00'));
    expect(split.isWorking(at('2026-06-08T12:30:00+02:00'))).toBe(false);
    expect(split.between(at('2026-06-08T00:00:00+02:00'), at('2026-06-09T00:00:00+02:00'))).toBe(8 * HOUR);
  });

  it('an entered holiday is no working day, for hours and for days', () => {
    const office = calendar('Europe/Berlin', weekdays(OFFICE), ['2026-12-24', '2026-12-25', '2026-12-31', '2027-01-01']);
    // Wednesday 23 Dec 16:00 + 2 hours: the 24th, 25th and the weekend off, Monday 28th 10:00.
    expect(office.addMinutes(at('2026-12-23T16:00:00+01:00'), 120)).toEqual(at('2026-12-28T10:00:00+01:00'));
    expect(office.addDays(at('2026-12-23T16:00:00+01:00'), 2)).toEqual(at('2026-12-29T17:00:00+01:00'));
    expect(office.addDays(at('2026-12-30T10:00:00+01:00'), 1)).toEqual(at('2027-01-04T17:00:00+01:00'));
  });

  it("a country's public holidays, by region: Epiphany (6 January) is one in Bavaria, not in Berlin", () => {
    const bavaria = calendar('Europe/Berlin', weekdays(OFFICE), [], { country: 'DE', region: 'BY' });
    const berlin = calendar('Europe/Berlin', weekdays(OFFICE), [], { country: 'DE', region: 'BE' });
    // 5 January 2027 is a Tuesday: one working day later is Wednesday the 6th in Berlin, Thursday the 7th in Bavaria.
    expect(berlin.addDays(at('2027-01-05T10:00:00+01:00'), 1)).toEqual(at('2027-01-06T17:00:00+01:00'));
    expect(bavaria.addDays(at('2027-01-05T10:00:00+01:00'), 1)).toEqual(at('2027-01-07T17:00:00+01:00'));
    // New Year's Day (a Friday) is off for both: Thursday 16:00 + 2 hours is Monday 10:00.
    expect(berlin.addMinutes(at('2026-12-31T16:00:00+01:00'), 120)).toEqual(at('2027-01-04T10:00:00+01:00'));
    expect(publicHolidayDates({ country: 'DE', region: 'BY' })(2027).has('2027-01-06')).toBe(true);
    expect(publicHolidayDates({ country: 'DE', region: 'BE' })(2027).has('2027-01-06')).toBe(false);
  });
});

describe('a zone east of UTC, across midnight', () => {
  const tokyo = calendar('Asia/Tokyo', weekdays([{ from: '09:00', to: '18:00' }]));

  it('counts days by the local date, not the UTC one', () => {
    // Thursday 20:00 UTC is Friday 05:00 in Tokyo: one working day later is Monday 18:00 JST (09:00 UTC), not Friday's end.
    expect(tokyo.addDays(at('2026-01-08T20:00:00Z'), 1).toISOString()).toBe('2026-01-12T09:00:00.000Z');
  });

  it('a working day that begins on the UTC day before', () => {
    // Monday 09:00 JST is Sunday 00:00 UTC: Sunday 23:00 UTC (Monday 08:00 JST) + 1 hour is Monday 10:00 JST.
    expect(tokyo.addMinutes(at('2026-01-11T23:00:00Z'), 60).toISOString()).toBe('2026-01-12T01:00:00.000Z');
    expect(tokyo.isWorking(at('2026-01-12T00:30:00Z'))).toBe(true);
    expect(tokyo.isWorking(at('2026-01-11T12:00:00Z'))).toBe(false);
  });

  it('a holiday is the local day: 1 January in Tokyo begins on 31 December UTC', () => {
    const holiday = calendar('Asia/Tokyo', weekdays([{ from: '09:00', to: '18:00' }]), ['2027-01-01']);
    // Thursday 31 Dec 17:00 JST + 2 hours: Friday 1 January off, Monday 4 January 10:00 JST.
    expect(holiday.addMinutes(at('2026-12-31T08:00:00Z'), 120).toISOString()).toBe('2027-01-04T01:00:00.000Z');
  });
});

describe('the calendar\'s contract', () => {
  it('refuses overlapping shifts, a week without working time, repeated holidays and unknown zones, naming each', () => {
    const result = CalendarFields.safeParse({
      timeZone: 'Mars/Olympus',
      hours: { ...weekdays([{ from: '09:00', to: '13:00' }, { from: '12:00', to: '17:00' }]), sat: [{ from: '10:00', to: '09:00' }] },
      holidays: [{ date: '2026-12-25', name: 'A' }, { date: '2026-12-25', name: 'B' }],
      publicHolidays: null,
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['holidays.1.date', 'hours.fri.1.from', 'hours.mon.1.from', 'hours.sat.0.to', 'hours.thu.1.from', 'hours.tue.1.from', 'hours.wed.1.from', 'timeZone']);
    const empty = CalendarFields.safeParse({ timeZone: 'UTC', hours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, holidays: [], publicHolidays: null });
    expect(empty.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['hours', 'must have working hours on at least one day of the week']]);
  });

  it('takes a zone in any case, and keeps its canonical name', () => {
    expect(CalendarFields.shape.timeZone.parse('europe/berlin')).toBe('Europe/Berlin');
    expect(CalendarFields.shape.timeZone.safeParse('+01:00').success).toBe(false);
  });

  it('a WorkingTime is plain data in, so the process runtime can build one per deadline', () => {
    expect(new WorkingTime({ timeZone: 'UTC', hours: weekdays(OFFICE), holidays: [] }).addDays(at('2026-06-05T15:00:00Z'), 1)).toEqual(at('2026-06-08T17:00:00Z'));
  });
});
