/**
 * The business calendars of a tenant and its teams: one item each (`T#<tenant>#CALENDARS` /
 * `TENANT`, or the team's id), versioned and audited like every administrative item
 * (tenant-items/tenant-items.ts). A team without a calendar of its own works on the tenant's; a
 * tenant without one on DEFAULT_CALENDAR. Deadlines are counted on them (`workingTimeOf`).
 */
import type { AuditActor, AuditEvent } from '../audit/audit-log.ts';
import { MAX_HOLIDAYS, MAX_IMPORT_YEARS, type Calendar, type CalendarFields, type Holiday, type HolidayImport, type HolidayImportQuery, type PatchCalendarBody } from '../contracts/calendars.ts';
import { DATE_YEARS } from '../contracts/values.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';
import { teams } from '../teams/teams.ts';
import { TenantItemConflictError, TenantItemExistsError, TenantItemNotFoundError, TenantItems } from '../tenant-items/tenant-items.ts';
import { holidaysFromIcs } from './ics-holidays.ts';
import { assertKnown, publicHolidayDates } from './public-holidays.ts';
import { WorkingTime } from './working-time.ts';

/** The path's name of the tenant's own calendar (`/api/calendars/tenant`); a team's is its id. */
export const TENANT_CALENDAR = 'tenant';
/** Its sort key; a team's is the team's id (a ULID, never this). */
const TENANT_KEY = 'TENANT';

type Stored = CalendarFields & { id: string; version: number; updatedAt: string; updatedBy: string };
const calendars = new TenantItems<Stored>('calendar', ITEM_KINDS.calendars, (item) => item.id);

const OFFICE_HOURS = [{ from: '09:00', to: '17:00' }];
/** A tenant that never set its calendar works Monday to Friday, 09:00-17:00 UTC, with no holidays. */
export const DEFAULT_CALENDAR: CalendarFields = {
  timeZone: 'UTC',
  hours: { mon: OFFICE_HOURS, tue: OFFICE_HOURS, wed: OFFICE_HOURS, thu: OFFICE_HOURS, fri: OFFICE_HOURS, sat: [], sun: [] },
  holidays: [],
  publicHolidays: null,
};

/** How many years an .ics import takes when the request names none: this one and the next five. */
const DEFAULT_IMPORT_YEARS = 6;

const fieldsOf = ({ timeZone, hours, holidays, publicHolidays }: CalendarFields): CalendarFields => ({ timeZone, hours, holidays, publicHolidays });

/** The item's key of the calendar `id` names: the tenant's, or a team's of this tenant (404 for any other). */
async function keyOf(tenant: string, id: string): Promise<string> {
  if (id === TENANT_CALENDAR) return TENANT_KEY;
  await teams.get(tenant, id);
  return id;
}

/** The calendar an item key works on, and where it comes from. */
async function effective(tenant: string, key: string): Promise<{ source: Calendar['source']; stored?: Stored; fields: CalendarFields }> {
  const own = await calendars.find(tenant, key);
  if (own) return { source: 'own', stored: own, fields: fieldsOf(own) };
  const ofTenant = key === TENANT_KEY ? undefined : await calendars.find(tenant, TENANT_KEY);
  return ofTenant ? { source: 'tenant', fields: fieldsOf(ofTenant) } : { source: 'default', fields: DEFAULT_CALENDAR };
}

function answer(id: string, { source, stored, fields }: Awaited<ReturnType<typeof effective>>): Calendar {
  return { ...fields, of: id, source, version: stored?.version ?? 0, ...(stored ? { updatedAt: stored.updatedAt, updatedBy: stored.updatedBy } : {}) };
}

/** `id`'s calendar as it is: its own, else the tenant's, else the default. */
export async function readCalendar(tenant: string, id: string): Promise<Calendar> {
  return answer(id, await effective(tenant, await keyOf(tenant, id)));
}

/** The working time deadlines of a team (or, without one, of the tenant) are counted on. A team gone since works on the tenant's. */
export async function workingTimeOf(tenant: string, team?: string): Promise<WorkingTime> {
  return workingTimeFor((await effective(tenant, team ?? TENANT_KEY)).fields);
}

export function workingTimeFor(calendar: CalendarFields): WorkingTime {
  return new WorkingTime(calendar, publicHolidayDates(calendar.publicHolidays));
}

const byDate = (holidays: Holiday[]) => [...holidays].sort((a, b) => a.date.localeCompare(b.date));

export async function changeCalendar(actor: AuditActor, id: string, { version, fields }: PatchCalendarBody): Promise<Calendar> {
  const key = await keyOf(actor.tenant, id);
  if (fields.publicHolidays) assertKnown(fields.publicHolidays, 'fields.publicHolidays');
  return write(actor, id, key, version, (base) => ({
    next: { ...base, ...fields, holidays: byDate(fields.holidays ?? base.holidays) },
    event: { action: 'calendar.change', target: `calendar:${id}`, details: fields },
  }));
}

/** Back to the tenant's calendar (a team's) or the default (the tenant's). */
export async function removeCalendar(actor: AuditActor, id: string, version: number): Promise<void> {
  const key = await keyOf(actor.tenant, id);
  try {
    await calendars.atVersion(actor.tenant, key, version);
    await calendars.remove(actor, key, version, { action: 'calendar.remove', target: `calendar:${id}` });
  } catch (err) {
    throw await asConflict(err, actor.tenant, id, version);
  }
}

/** Days off from an .ics file added to the calendar's holidays; days it holds already keep their names. */
export async function importHolidays(actor: AuditActor, id: string, file: Uint8Array, query: HolidayImportQuery, now = new Date()): Promise<HolidayImport> {
  const key = await keyOf(actor.tenant, id);
  const from = query.from ?? Math.min(now.getUTCFullYear(), query.until ?? DATE_YEARS.max);
  const until = query.until ?? Math.min(from + DEFAULT_IMPORT_YEARS - 1, DATE_YEARS.max);
  if (until - from >= MAX_IMPORT_YEARS) throw new FieldValidationError([{ path: 'query.until', message: `must be at most ${MAX_IMPORT_YEARS} years from ${from}`, value: until }]);
  const read = holidaysFromIcs(file, { from, until });
  let added: Holiday[] = [];
  const calendar = await write(actor, id, key, query.version, (base) => {
    const known = new Set(base.holidays.map((holiday) => holiday.date));
    added = read.holidays.filter((holiday) => !known.has(holiday.date));
    const holidays = byDate([...base.holidays, ...added]);
    if (holidays.length > MAX_HOLIDAYS) throw new FieldValidationError([{ path: 'body', message: `would make the calendar hold ${holidays.length} holidays, at most ${MAX_HOLIDAYS}` }]);
    return { next: { ...base, holidays }, event: { action: 'calendar.import-holidays', target: `calendar:${id}`, details: { years: `${from}-${until}`, added: added.map((holiday) => holiday.date) } } };
  });
  return { calendar, events: read.events, added: added.length, known: read.holidays.length - added.length, timed: read.timed, outside: read.outside };
}

/**
 * Writes the calendar `change` makes of the one at `version` (0: none of its own yet, so the one
 * it works on now), conditional on that version; a stale one is a conflict carrying the calendar
 * as it is.
 */
async function write(actor: AuditActor, id: string, key: string, version: number, change: (base: CalendarFields) => { next: CalendarFields; event: AuditEvent }): Promise<Calendar> {
  try {
    const base = version === 0 ? (await effective(actor.tenant, key)).fields : fieldsOf(await calendars.atVersion(actor.tenant, key, version));
    const { next, event } = change(base);
    const stored: Stored = { ...fieldsOf(next), id: key, version: version + 1, updatedAt: new Date().toISOString(), updatedBy: actor.sub };
    const saved = version === 0 ? await calendars.create(actor, stored, event) : await calendars.replace(actor, version, stored, event);
    return answer(id, { source: 'own', stored: saved, fields: fieldsOf(saved) });
  } catch (err) {
    throw await asConflict(err, actor.tenant, id, version);
  }
}

/** A write that met another version than it was based on (or none, or one made meanwhile) as a conflict with the calendar now; any other error as it is. */
async function asConflict(err: unknown, tenant: string, id: string, version: number): Promise<unknown> {
  const stale = err instanceof TenantItemConflictError || err instanceof TenantItemExistsError || (err instanceof TenantItemNotFoundError && err.kind === 'calendar');
  return stale ? new TenantItemConflictError(version, await readCalendar(tenant, id)) : err;
}
