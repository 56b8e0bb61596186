/**
 * Value schemas that several record types and custom fields share, so that an e-mail or a
 * phone number means the same everywhere (and is stored in one normal form, which search and
 * duplicate detection rely on).
 */
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A record's id as a relation stores it. */
export const RecordId = z.string().regex(ULID, 'must be a record id (a ULID)');

export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email('must be an e-mail address like name@example.com'));

/**
 * Phone numbers are stored in E.164 (+4420...), the form caller ID and search use. Only
 * international input is accepted: without a country prefix a number is ambiguous.
 */
export const Phone = z
  .string()
  .trim()
  .max(40)
  .transform((value, ctx) => {
    const parsed = parsePhoneNumberFromString(value);
    if (!parsed || !parsed.isValid()) {
      ctx.addIssue({ code: 'custom', message: 'must be a phone number in international form, like +44 20 7946 0958' });
      return z.NEVER;
    }
    return parsed.number as string;
  });

export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, 'must be a domain like example.com');

export const Url = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be a web address starting with http:// or https://');

/** A calendar date, YYYY-MM-DD (no time zone: a due date is a day, wherever one is). */
export const IsoDate = z.iso.date('must be a date like 2026-03-31');

/** An instant with its offset, e.g. 2026-03-31T09:30:00Z. */
export const IsoDateTime = z.iso.datetime({ offset: true, message: 'must be a date and time like 2026-03-31T09:30:00Z' });

/** A percent, 0-100 (25 is 25 %); as text see percent.ts. One plain message whatever is wrong with it. */
const PERCENT_RANGE = 'must be a number from 0 to 100 (a percent, like 25)';
export const Percent = z.number({ error: PERCENT_RANGE }).min(0, PERCENT_RANGE).max(100, PERCENT_RANGE);

export const Tags = z.array(z.string().trim().min(1).max(50)).max(50);
