/**
 * Phone numbers as people read and type them. Stored in E.164 with an extension after it
 * (`+442079460958 ext. 12`, values.ts `Phone`), the form search, caller ID and files use; shown
 * to a person in their country's way: a number of that country in its national format
 * (`020 7946 0958 ext. 12` to someone in GB), any other internationally (`+1 415 555 0134`).
 * A typed number is read the same way back: national in the person's country, or international.
 */
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js';

export type { CountryCode };

const FORMAT = { formatExtension: (number: string, extension: string) => `${number} ext. ${extension}` };

const parsed = (value: unknown): PhoneNumber | undefined => (typeof value === 'string' ? parsePhoneNumberFromString(value) : undefined);

/** The stored form of a valid number: E.164, then ` ext. N` when it has one. */
const stored = (phone: PhoneNumber) => (phone.ext ? `${phone.number} ext. ${phone.ext}` : (phone.number as string));

/**
 * A stored number (or a list of them, `a; b`) as a person in `country` reads it; a value that is
 * no phone number is shown as it is.
 */
export function phoneText(value: unknown, country: CountryCode | undefined): string {
  if (Array.isArray(value)) return value.map((one) => phoneText(one, country)).join('; ');
  if (value === null || value === undefined) return '';
  const phone = parsed(value);
  if (!phone) return String(value);
  return phone.country && phone.country === country ? phone.formatNational(FORMAT) : phone.formatInternational(FORMAT);
}

/**
 * What a typed number stands for: international (`+44 20 …`), or national in `country`, as
 * stored; undefined when it is no valid number (the contract then refuses it with its reason).
 */
export function phoneFromText(text: string, country?: CountryCode): string | undefined {
  const phone = parsePhoneNumberFromString(text.trim(), country);
  return phone?.isValid() ? stored(phone) : undefined;
}

/** Typed text of one number or a list (`a; b`) with each number that reads in `country` as stored; the rest left as typed. */
export function phonesFromText(text: string, country: CountryCode | undefined): string {
  return text
    .split(/[;\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => phoneFromText(part, country) ?? part)
    .join('; ');
}
