/**
 * Value schemas that several record types and custom fields share, so that an e-mail or a
 * phone number means the same everywhere (and is stored in one normal form, which search and
 * duplicate detection rely on).
 */
import { z } from 'zod';
import { phoneFromText } from './phone-text.ts';
import { Name, Text } from './text.ts';

export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A record's id as a relation stores it. */
export const RecordId = z.string().regex(ULID, 'must be a record id (a ULID)');

export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email('must be an e-mail address like name@example.com'));

/**
 * Phone numbers are stored in E.164 (+4420...), the form caller ID and search use. Only
 * international input is accepted: without a country prefix a number is ambiguous. An extension
 * (`ext. 12`, `x12`, `#12`, as libphonenumber reads them) is kept after the number as
 * `+442079460958 ext. 12`: the E.164 part still starts the value, so a prefix search and a
 * caller-ID lookup find it, and two people behind one switchboard are not duplicates. Not
 * `;ext=` (RFC 3966): a cell separates a list's values with `;`.
 */
export const Phone = z
  .string()
  .trim()
  .max(40)
  .transform((value, ctx) => {
    const phone = phoneFromText(value);
    if (phone === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a phone number in international form, like +44 20 7946 0958 (ext. 12)' });
      return z.NEVER;
    }
    return phone;
  });

export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'must be a domain like example.com');

export const Url = Text(2048).refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be a web address starting with http:// or https://');

/**
 * The years a date may fall in: 1900-2200. What a CRM dates (birthdays, deals' closes, due
 * dates, contracts) falls well inside; year 0000 or 9999 is a typo or a placeholder, and a
 * spreadsheet shows dates before 1900 as text. The year is read as written (before any offset).
 */
export const DATE_YEARS = { min: 1900, max: 2200 } as const;
/** True for what is no date at all: the format's own check names that. */
const inDateYears = (text: string) => {
  const year = /^\d{4}-/.test(text) ? Number(text.slice(0, 4)) : DATE_YEARS.min;
  return year >= DATE_YEARS.min && year <= DATE_YEARS.max;
};
const YEARS_MESSAGE = `must be in the years ${DATE_YEARS.min} to ${DATE_YEARS.max}`;

/** A calendar date, YYYY-MM-DD (no time zone: a due date is a day, wherever one is). */
export const IsoDate = z.iso.date('must be a date like 2026-03-31').refine(inDateYears, YEARS_MESSAGE);

/** An instant with its offset, e.g. 2026-03-31T09:30:00Z. */
export const IsoDateTime = z.iso.datetime({ offset: true, message: 'must be a date and time like 2026-03-31T09:30:00Z' }).refine(inDateYears, YEARS_MESSAGE);

/** A percent, 0-100 (25 is 25 %); as text see percent.ts. One plain message whatever is wrong with it. */
const PERCENT_RANGE = 'must be a number from 0 to 100 (a percent, like 25)';
export const Percent = z.number({ error: PERCENT_RANGE }).min(0, PERCENT_RANGE).max(100, PERCENT_RANGE);

export const Tags = z.array(Name(50)).max(50);
