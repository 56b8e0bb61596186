/**
 * Business calendars through the API (`/api/calendars/...`), the real handlers behind the local
 * gateway: defaults, a team's calendar over the tenant's, versioned writes (concurrent stale ones
 * refused with the current calendar), the audit log, .ics imports, a country's holidays, who may
 * change them, another tenant's team; and the deadlines counted on what is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type ApiClient, type ApiResponse, type TestCloud } from '../support/cloud.ts';
import { person, team } from '../support/people.ts';
import { dayOff, icsText } from '../support/ics-file.ts';

const TENANT = 'calendars';
let cloud: TestCloud;
let admin: ApiClient;
let rep: ApiClient;
let rival: ApiClient;
let sales: string;
let warehouse: string;

const OFFICE = [{ from: '09:00', to: '17:00' }];
const week = (shifts: Array<{ from: string; to: string }>, weekend: Array<{ from: string; to: string }> = []) => ({ mon: shifts, tue: shifts, wed: shifts, thu: shifts, fri: shifts, sat: weekend, sun: weekend });

beforeAll(async () => {
  cloud = await startTestCloud();
  admin = await cloud.userOf(TENANT, ['administrator']);
  rep = (await person(cloud, TENANT, 'sales-representative')).client;
  rival = await cloud.userOf('calendars-rival', ['administrator']);
  sales = await team(admin, 'Sales');
  warehouse = await team(admin, 'Warehouse');
}, 60_000);
afterAll(() => cloud?.stop());

const expectStatus = (response: ApiResponse, status: number) => expect(response.status, response.text).toBe(status);
const importIcs = (client: ApiClient, id: string, query: string, body: string | Uint8Array, type = 'text/calendar') => client.request('POST', `/api/calendars/${id}/holidays?${query}`, body, { 'content-type': type });

describe('a calendar', () => {
  it('is Mon-Fri 09:00-17:00 UTC with no holidays until an administrator sets it, for the tenant and its teams', async () => {
    const tenant = await rep.get('/api/calendars/tenant');
    expectStatus(tenant, 200);
    expect(tenant.json).toEqual({ of: 'tenant', source: 'default', version: 0, timeZone: 'UTC', hours: week(OFFICE), holidays: [], publicHolidays: null });
    const ofTeam = await rep.get(`/api/calendars/${warehouse}`);
    expect(ofTeam.json).toMatchObject({ of: warehouse, source: 'default', version: 0 });
  });

  it("is the tenant's for a team without its own, until the team gets one; removing it goes back to the tenant's", async () => {
    const tenant = await admin.patch('/api/calendars/tenant', { version: 0, fields: { timeZone: 'europe/berlin', holidays: [{ date: '2026-12-25', name: 'Christmas Day' }, { date: '2026-01-01', name: "New Year's Day" }] } });
    expectStatus(tenant, 200);
    // The zone in its canonical spelling, holidays in date order.
    expect(tenant.json).toMatchObject({ of: 'tenant', source: 'own', version: 1, timeZone: 'Europe/Berlin', hours: week(OFFICE), holidays: [{ date: '2026-01-01', name: "New Year's Day" }, { date: '2026-12-25', name: 'Christmas Day' }], updatedBy: expect.any(String) });
    expect((await rep.get(`/api/calendars/${sales}`)).json).toMatchObject({ of: sales, source: 'tenant', version: 0, timeZone: 'Europe/Berlin', holidays: tenant.json.holidays });

    // The team's own: from the tenant's as it showed, with split shifts and Saturday mornings.
    const own = await admin.patch(`/api/calendars/${sales}`, { version: 0, fields: { hours: week([{ from: '08:00', to: '12:00' }, { from: '13:00', to: '17:00' }], [{ from: '09:00', to: '12:00' }]) } });
    expectStatus(own, 200);
    expect(own.json).toMatchObject({ of: sales, source: 'own', version: 1, timeZone: 'Europe/Berlin', holidays: tenant.json.holidays });
    // The tenant's changes no longer reach it.
    expectStatus(await admin.patch('/api/calendars/tenant', { version: 1, fields: { timeZone: 'Europe/Vienna' } }), 200);
    expect((await rep.get(`/api/calendars/${sales}`)).json).toMatchObject({ source: 'own', timeZone: 'Europe/Berlin' });

    expectStatus(await admin.delete(`/api/calendars/${sales}?version=1`), 204);
    expect((await rep.get(`/api/calendars/${sales}`)).json).toMatchObject({ source: 'tenant', version: 0, timeZone: 'Europe/Vienna', hours: week(OFFICE) });

    const audit = (await admin.get('/api/audit?limit=20')).json.items.filter((entry: { action: string }) => entry.action.startsWith('calendar.'));
    expect(audit.map((entry: { action: string; target: string }) => `${entry.action} ${entry.target}`)).toEqual([`calendar.remove calendar:${sales}`, 'calendar.change calendar:tenant', `calendar.change calendar:${sales}`, 'calendar.change calendar:tenant']);
    expect(audit.at(-1).details).toEqual({ timeZone: 'Europe/Berlin', holidays: [{ date: '2026-12-25', name: 'Christmas Day' }, { date: '2026-01-01', name: "New Year's Day" }] });
  });

  it('of N concurrent changes of one version, exactly one is made; the others are 409 with the calendar as it is', async () => {
    const { version } = (await admin.get('/api/calendars/tenant')).json;
    const zones = ['Asia/Tokyo', 'America/New_York', 'Europe/Paris', 'Australia/Sydney', 'Europe/Lisbon', 'Asia/Kolkata', 'America/Chicago', 'Africa/Nairobi'];
    const answers = await Promise.all(zones.map((timeZone) => admin.patch('/api/calendars/tenant', { version, fields: { timeZone } })));
    const made = answers.filter((answer) => answer.status === 200);
    expect(made).toHaveLength(1);
    const now = (await admin.get('/api/calendars/tenant')).json;
    expect(now).toEqual(made[0].json);
    expect(now.version).toBe(version + 1);
    for (const refused of answers.filter((answer) => answer.status !== 200)) {
      expectStatus(refused, 409);
      expect(refused.json.error.code).toBe('VersionConflict');
      expect(refused.json.error.current).toEqual(now);
    }
  });

  it("two first calendars of a team at once: one is made, the other is 409 with it; a stale removal too", async () => {
    const fresh = await team(admin, 'Fresh');
    const answers = await Promise.all(['Europe/Madrid', 'Europe/Rome', 'Europe/Oslo', 'Europe/Prague'].map((timeZone) => admin.patch(`/api/calendars/${fresh}`, { version: 0, fields: { timeZone } })));
    const made = answers.filter((answer) => answer.status === 200);
    expect(made).toHaveLength(1);
    for (const refused of answers.filter((answer) => answer.status !== 200)) {
      expectStatus(refused, 409);
      expect(refused.json.error.current).toEqual(made[0].json);
    }
    const stale = await admin.delete(`/api/calendars/${fresh}?version=2`);
    expectStatus(stale, 409);
    expect(stale.json.error.current).toEqual(made[0].json);
    // A version of a calendar the team does not have: 409 with what it works on.
    expectStatus(await admin.delete(`/api/calendars/${fresh}?version=1`), 204);
    const none = await admin.patch(`/api/calendars/${fresh}`, { version: 1, fields: { timeZone: 'UTC' } });
    expectStatus(none, 409);
    expect(none.json.error.current).toMatchObject({ source: 'tenant', version: 0 });
  });
});

describe('who may', () => {
  it('anyone of the tenant reads; only administrators change, remove or import', async () => {
    for (const response of [
      await rep.patch('/api/calendars/tenant', { version: 0, fields: { timeZone: 'UTC' } }),
      await rep.delete(`/api/calendars/${sales}?version=1`),
      await importIcs(rep, 'tenant', 'version=0', icsText([dayOff('20261226', 'Boxing Day')])),
    ]) {
      expectStatus(response, 403);
      expect(response.json.error.code).toBe('Forbidden');
    }
  });

  it("another tenant's team has no calendar to anyone else: 404 to read, change, remove or import, and nothing changes", async () => {
    const before = (await admin.get(`/api/calendars/${warehouse}`)).json;
    for (const response of [
      await rival.get(`/api/calendars/${warehouse}`),
      await rival.patch(`/api/calendars/${warehouse}`, { version: 0, fields: { timeZone: 'Asia/Tokyo' } }),
      await rival.delete(`/api/calendars/${warehouse}?version=1`),
      await importIcs(rival, warehouse, 'version=0&from=2026&until=2026', icsText([dayOff('20261226', 'Boxing Day')])),
    ]) {
      expectStatus(response, 404);
      expect(response.json.error.code).toBe('NotFound');
    }
    expect((await admin.get(`/api/calendars/${warehouse}`)).json).toEqual(before);
    // The rival's own tenant calendar is its own: the default.
    expect((await rival.get('/api/calendars/tenant')).json).toMatchObject({ source: 'default', version: 0 });
  });
});

describe('holidays from an .ics file', () => {
  const FILE = icsText([
    dayOff('20261225', 'Christmas Day'),
    dayOff('20261226', 'Boxing Day'),
    dayOff('20260501', 'Labour Day', 'RRULE:FREQ=YEARLY'),
    ['DTSTART:20261224T120000Z', 'DTEND:20261224T150000Z', 'SUMMARY:Christmas party'],
  ]);

  it('adds the days the calendar lacks, keeps those it has, and a repeat adds nothing', async () => {
    const { version, holidays } = (await admin.get(`/api/calendars/${warehouse}`)).json;
    expect(holidays).toContainEqual({ date: '2026-12-25', name: 'Christmas Day' });
    const first = await importIcs(admin, warehouse, `version=${version}&from=2026&until=2027`, FILE);
    expectStatus(first, 200);
    expect(first.json).toMatchObject({ events: 4, added: 3, known: 1, timed: 1, outside: 0 });
    expect(first.json.calendar).toMatchObject({ of: warehouse, source: 'own', version: 1 });
    expect(first.json.calendar.holidays.filter((holiday: { date: string }) => holiday.date >= '2026-05-01')).toEqual([
      { date: '2026-05-01', name: 'Labour Day' },
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-26', name: 'Boxing Day' },
      { date: '2027-05-01', name: 'Labour Day' },
    ]);
    // The same file again (bytes, as the web app sends a file): nothing new.
    const again = await importIcs(admin, warehouse, 'version=1&from=2026&until=2027', new TextEncoder().encode(FILE), 'application/octet-stream');
    expectStatus(again, 200);
    expect(again.json).toMatchObject({ added: 0, known: 4, calendar: { version: 2, holidays: first.json.calendar.holidays } });
    // At a version it no longer is: 409 with the calendar as it is, unchanged.
    const stale = await importIcs(admin, warehouse, 'version=1&from=2026&until=2027', FILE);
    expectStatus(stale, 409);
    expect(stale.json.error.current).toEqual(again.json.calendar);
    const audit = (await admin.get('/api/audit?limit=5')).json.items.find((entry: { action: string }) => entry.action === 'calendar.import-holidays');
    expect(audit).toMatchObject({ target: `calendar:${warehouse}`, details: { years: '2026-2027', added: [] } });
  });

  it('concurrent copies of one import: one is applied, the others are 409', async () => {
    const { version } = (await admin.get('/api/calendars/tenant')).json;
    const answers = await Promise.all(Array.from({ length: 5 }, () => importIcs(admin, 'tenant', `version=${version}&from=2027&until=2027`, icsText([dayOff('20270315', 'Founders Day')]))));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect((await admin.get('/api/calendars/tenant')).json.holidays.filter((holiday: { date: string }) => holiday.date === '2027-03-15')).toHaveLength(1);
  });

  it('refuses a file that is no calendar, naming the body, and changes nothing', async () => {
    const before = (await admin.get('/api/calendars/tenant')).json;
    const refused = await importIcs(admin, 'tenant', `version=${before.version}`, 'Name,Date\nChristmas,2026-12-25\n');
    expectStatus(refused, 400);
    expect(refused.json.error.issues.map((issue: { path: string }) => issue.path)).toEqual(['body']);
    expect((await admin.get('/api/calendars/tenant')).json).toEqual(before);
  });
});

describe("a country's holidays", () => {
  it('lists the countries and their regions, and a year of holidays of every kind to pick from', async () => {
    const countries = (await rep.get('/api/calendars/countries')).json.items;
    expect(countries.length).toBeGreaterThan(150);
    expect(countries.find((country: { code: string }) => country.code === 'DE').regions).toContainEqual({ code: 'BY', name: 'Bayern' });
    const bavaria = await rep.get('/api/calendars/public-holidays?country=de&region=by&year=2026');
    expectStatus(bavaria, 200);
    expect(bavaria.json).toMatchObject({ country: 'DE', region: 'BY', year: 2026 });
    expect(bavaria.json.items).toContainEqual({ date: '2026-01-06', name: 'Epiphany', type: 'public' });
    expect(bavaria.json.items).toContainEqual({ date: '2026-12-25', name: 'Christmas Day', type: 'public' });
    const berlin = (await rep.get('/api/calendars/public-holidays?country=DE&region=BE&year=2026')).json.items;
    expect(berlin.map((holiday: { date: string }) => holiday.date)).not.toContain('2026-01-06');
  });

  it("a calendar that follows a region's public holidays counts deadlines without them", async () => {
    const { version } = (await admin.get(`/api/calendars/${sales}`)).json;
    expectStatus(await admin.patch(`/api/calendars/${sales}`, { version, fields: { timeZone: 'Europe/Berlin', hours: week(OFFICE), holidays: [], publicHolidays: { country: 'DE', region: 'BY' } } }), 200);
    const { workingTimeOf } = await import('../../functions/calendars/calendars.ts');
    // Monday 5 January 2026 15:00 + 1 working day: Tuesday the 6th is Epiphany in Bavaria, so Wednesday 17:00.
    const sale = await workingTimeOf(TENANT, sales);
    expect(sale.after(new Date('2026-01-05T15:00:00+01:00'), { amount: 1, unit: 'days' })).toEqual(new Date('2026-01-07T17:00:00+01:00'));
    // The tenant's calendar (Vienna's zone, no public holidays): Tuesday 17:00.
    const tenant = (await admin.get('/api/calendars/tenant')).json;
    expectStatus(await admin.patch('/api/calendars/tenant', { version: tenant.version, fields: { timeZone: 'Europe/Vienna', hours: week(OFFICE), holidays: [] } }), 200);
    const tenantWide = await workingTimeOf(TENANT);
    expect(tenantWide.after(new Date('2026-01-05T15:00:00+01:00'), { amount: 1, unit: 'days' })).toEqual(new Date('2026-01-06T17:00:00+01:00'));
    // A team gone since works on the tenant's.
    expect((await workingTimeOf(TENANT, '01JZZZZZZZZZZZZZZZZZZZZZZZ')).after(new Date('2026-01-05T15:00:00+01:00'), { amount: 1, unit: 'days' })).toEqual(new Date('2026-01-06T17:00:00+01:00'));
  });
});
