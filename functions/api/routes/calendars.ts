/**
 * Business calendars: the tenant's (`/api/calendars/tenant`) and each team's (`/api/calendars/<team
 * id>`), read by anyone of the tenant (an inbox shows due times on them), changed by
 * administrators; holidays imported from an .ics file; a country's holidays to pick from.
 */
import { HolidayImportQuery, MAX_ICS_BYTES, PatchCalendarBody, PublicHolidaysQuery, type Calendar, type CountryList, type HolidayImport, type PublicHolidayList } from '../../contracts/calendars.ts';
import { ULID } from '../../contracts/values.ts';
import { changeCalendar, importHolidays, readCalendar, removeCalendar, TENANT_CALENDAR } from '../../calendars/calendars.ts';
import { countries, publicHolidayList } from '../../calendars/public-holidays.ts';
import { bodyBytes, HttpError, json, noContent, readBody, readQuery } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { access } from '../route-access.ts';
import { VersionQuery } from './records.ts';

/** The path's `{id}`: `tenant` or a team's id; anything else names no calendar (404 before any body is read). */
function calendarId(request: ApiRequest): string {
  const id = request.params.id;
  if (id !== TENANT_CALENDAR && !ULID.test(id)) throw new HttpError(404, 'NotFound', `no calendar ${id}: calendars are the tenant's (tenant) and its teams' (by team id)`);
  return id;
}

export const calendarRoutes: Route[] = [
  // Before `/api/calendars/{id}`: neither is a calendar's id.
  {
    method: 'GET',
    path: '/api/calendars/countries',
    access: access.signedIn('the countries and regions whose public holidays are known: no tenant data'),
    handle: async () => json(200, { items: countries() } satisfies CountryList),
  },
  {
    method: 'GET',
    path: '/api/calendars/public-holidays',
    access: access.signedIn("a country's holidays of a year: no tenant data"),
    handle: async (request) => json(200, publicHolidayList(readQuery(request.event, PublicHolidaysQuery)) satisfies PublicHolidayList),
  },
  {
    method: 'GET',
    path: '/api/calendars/{id}',
    access: access.signedIn("the tenant's working hours and holidays, or a team's of the tenant"),
    handle: async (request) => json(200, (await readCalendar(request.principal.tenant, calendarId(request))) satisfies Calendar),
  },
  {
    method: 'PATCH',
    path: '/api/calendars/{id}',
    access: access.administer,
    handle: async (request) => {
      const id = calendarId(request);
      return json(200, (await changeCalendar(request.principal, id, readBody(request.event, PatchCalendarBody))) satisfies Calendar);
    },
  },
  {
    method: 'DELETE',
    path: '/api/calendars/{id}',
    access: access.administer,
    handle: async (request) => {
      const id = calendarId(request);
      await removeCalendar(request.principal, id, readQuery(request.event, VersionQuery).version);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/api/calendars/{id}/holidays',
    access: access.administer,
    handle: async (request) => {
      const id = calendarId(request);
      const query = readQuery(request.event, HolidayImportQuery);
      const file = bodyBytes(request.event);
      if (file.length > MAX_ICS_BYTES) throw new HttpError(413, 'PayloadTooLarge', `the file must be at most ${MAX_ICS_BYTES} bytes`);
      return json(200, (await importHolidays(request.principal, id, file, query)) satisfies HolidayImport);
    },
  },
];
