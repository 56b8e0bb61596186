/**
 * A country's (and region's) holidays, from the date-holidays library (maintained rules for ~200
 * countries: fixed dates, Easter-based ones, substitute days). A calendar following a country
 * (`publicHolidays`) takes its days of type `public` off, every year, without anyone entering
 * them; the other types (bank, school, optional, observance) are listed for an administrator to
 * pick as entered holidays.
 */
import Holidays from 'date-holidays';
import type { CountryList, PublicHolidayList, PublicHolidays, PublicHolidaysQuery } from '../contracts/calendars.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';

const LANGUAGE = 'en';
const library = new Holidays();

/** Every country the library knows, with its regions, by name. */
export function countries(): CountryList['items'] {
  return Object.entries(library.getCountries(LANGUAGE)).map(([code, name]) => ({
    code,
    name,
    regions: Object.entries(library.getStates(code, LANGUAGE) ?? {}).map(([region, regionName]) => ({ code: region, name: regionName })),
  }));
}

/** A country and region the library knows, or a 400 naming what it does not (`path`: where the request holds them). */
export function assertKnown({ country, region }: NonNullable<PublicHolidays>, path: string): void {
  if (!library.getCountries(LANGUAGE)[country]) throw new FieldValidationError([{ path: `${path}.country`, message: 'is no country with known public holidays (see GET /api/calendars/countries)', value: country }]);
  if (region !== undefined && !library.getStates(country, LANGUAGE)?.[region]) throw new FieldValidationError([{ path: `${path}.region`, message: `is no region of ${country} (see GET /api/calendars/countries)`, value: region }]);
}

/** One library instance per country and region: building one reads its rules. */
const byPlace = new Map<string, Holidays>();
function holidaysOf(country: string, region: string | undefined): Holidays {
  const key = `${country}-${region ?? ''}`;
  let holidays = byPlace.get(key);
  if (!holidays) {
    holidays = region === undefined ? new Holidays(country) : new Holidays(country, region);
    byPlace.set(key, holidays);
  }
  return holidays;
}

/** `GET /api/calendars/public-holidays`: a country's holidays of a year, to pick from. */
export function publicHolidayList({ country, region, year }: PublicHolidaysQuery): PublicHolidayList {
  assertKnown({ country, region }, 'query');
  return { country, ...(region === undefined ? {} : { region }), year, items: holidaysOfYear({ country, region }, year) };
}

/** The country's holidays of `year`, every type, in date order (a day as the library dates it: where it starts). */
function holidaysOfYear(place: NonNullable<PublicHolidays>, year: number): PublicHolidayList['items'] {
  return holidaysOf(place.country, place.region)
    .getHolidays(year, LANGUAGE)
    .map((holiday) => ({ date: holiday.date.slice(0, 10), name: holiday.name, type: holiday.type }));
}

/** The days of type `public` of a year, kept once computed (a calendar asks again on every deadline). */
const publicDays = new Map<string, ReadonlySet<string>>();
const MAX_KEPT_YEARS = 5000;

export function publicHolidayDates(place: PublicHolidays): (year: number) => ReadonlySet<string> {
  if (!place) return () => new Set();
  return (year) => {
    const key = `${place.country}-${place.region ?? ''}-${year}`;
    let dates = publicDays.get(key);
    if (!dates) {
      dates = new Set(holidaysOfYear(place, year).filter((holiday) => holiday.type === 'public').map((holiday) => holiday.date));
      if (publicDays.size >= MAX_KEPT_YEARS) publicDays.clear();
      publicDays.set(key, dates);
    }
    return dates;
  };
}
