/**
 * Days off from .ics files (functions/calendars/ics-holidays.ts): whole-day events, spans,
 * recurrences with exceptions, timed events left out, the import's years, and the bounds.
 */
import { describe, expect, it } from 'vitest';
import { holidaysFromIcs } from '../../functions/calendars/ics-holidays.ts';
import { MAX_HOLIDAYS, MAX_ICS_EVENTS } from '../../functions/contracts/calendars.ts';
import { dayOff as day, icsFile } from '../support/ics-file.ts';
import { refusal } from '../support/refusals.ts';

const YEARS = { from: 2026, until: 2028 };

describe('holidays from an .ics file', () => {
  it('takes whole-day events, each day of a span, and leaves timed events and days outside the years out', () => {
    const read = holidaysFromIcs(
      icsFile([
        day('20261225', 'Christmas Day'),
        day('20261228', 'Company closure', 'DTEND;VALUE=DATE:20261231'),
        ['DTSTART:20261224T140000Z', 'DTEND:20261224T180000Z', 'SUMMARY:Party'],
        day('20300101', 'Far away'),
      ]),
      YEARS,
    );
    expect(read.holidays).toEqual([
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-28', name: 'Company closure' },
      { date: '2026-12-29', name: 'Company closure' },
      { date: '2026-12-30', name: 'Company closure' },
    ]);
    expect(read).toMatchObject({ events: 4, timed: 1, outside: 1 });
  });

  it('expands a yearly event into the years, without its exceptions', () => {
    const read = holidaysFromIcs(icsFile([day('19900501', 'Labour Day', 'RRULE:FREQ=YEARLY', 'EXDATE;VALUE=DATE:20270501')]), YEARS);
    expect(read.holidays).toEqual([
      { date: '2026-05-01', name: 'Labour Day' },
      { date: '2028-05-01', name: 'Labour Day' },
    ]);
  });

  it('names a day by the first event naming it, and cleans a name to one line of 100 characters', () => {
    const read = holidaysFromIcs(icsFile([day('20260101', 'New Year'), day('20260101', 'Neujahr'), day('20260102', `Long\\, long ${'x'.repeat(200)}`), day('20260103', ' ')]), YEARS);
    expect(read.holidays.map((holiday) => holiday.name)).toEqual(['New Year', `Long, long ${'x'.repeat(89)}`, 'Holiday']);
  });

  it('refuses what is no iCalendar file, or not UTF-8, naming the body', () => {
    expect(refusal(() => holidaysFromIcs(new TextEncoder().encode('Name,Date\nX,2026-01-01\n'), YEARS))[0].path).toBe('body');
    expect(refusal(() => holidaysFromIcs(new TextEncoder().encode('BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n'), YEARS))).toEqual([{ path: 'body', message: 'is no iCalendar file: it holds no VCALENDAR' }]);
    expect(refusal(() => holidaysFromIcs(new Uint8Array([0x42, 0x45, 0xff, 0xfe]), YEARS))[0].message).toMatch(/UTF-8/);
  });

  it(`takes ${MAX_ICS_EVENTS} events and refuses one more`, () => {
    const events = (n: number) => Array.from({ length: n }, (_, i) => ['DTSTART:20260101T100000Z', `SUMMARY:Meeting ${i}`]);
    expect(holidaysFromIcs(icsFile(events(MAX_ICS_EVENTS)), YEARS).timed).toBe(MAX_ICS_EVENTS);
    expect(refusal(() => holidaysFromIcs(icsFile(events(MAX_ICS_EVENTS + 1)), YEARS))).toEqual([{ path: 'body', message: `holds ${MAX_ICS_EVENTS + 1} events, at most ${MAX_ICS_EVENTS}` }]);
  });

  it(`takes ${MAX_HOLIDAYS} days in the years and refuses one more; a daily rule from long ago is refused, not walked for ever`, () => {
    // From 1 January 2026 daily: 2026 and 2027 are 730 days; 270 more of 2028 make 1,000.
    const daily = (count: number) => icsFile([day('20260101', 'Every day', `RRULE:FREQ=DAILY;COUNT=${count}`)]);
    expect(holidaysFromIcs(daily(MAX_HOLIDAYS), YEARS).holidays).toHaveLength(MAX_HOLIDAYS);
    expect(refusal(() => holidaysFromIcs(daily(MAX_HOLIDAYS + 1), YEARS))[0].message).toMatch(/more than 1000 days off/);
    expect(refusal(() => holidaysFromIcs(icsFile([day('19000101', 'Every day', 'RRULE:FREQ=DAILY')]), { from: 2200, until: 2200 }))[0].message).toMatch(/repeats its events more than 20000 times/);
  });
});

describe('an event ical.js cannot read', () => {
  // ical.js reads these only when asked for them, after the file parsed (they were 500s).
  it.each([['a duration', 'DURATION:Pxyz'], ['an end of a rule', 'RRULE:FREQ=YEARLY;UNTIL=garbage'], ['a date of an exception', 'EXDATE;VALUE=DATE:notadate']])('%s is refused naming the body and the event, not answered 500', (_, line) => {
    const refused = refusal(() => holidaysFromIcs(icsFile([day('20260101', 'Fine'), day('20260102', 'Broken', line, 'RRULE:FREQ=YEARLY')]), YEARS));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ path: 'body', message: expect.stringMatching(/^event 2 cannot be read: /) });
  });
});
