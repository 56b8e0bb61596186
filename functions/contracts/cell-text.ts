/**
 * How a field's value looks in a spreadsheet cell, both ways: an import reads a cell into the
 * value its field takes (then the field's own schema validates it, as for the API), an export
 * writes a value as a person would type it. Lists are `a; b`, money `12.50 EUR`, booleans
 * `true`/`false`, anything else structured (an address) JSON. The grid's copy, paste and typed
 * input use the very same rules, so a block copied from the grid into Excel and back (or
 * exported and imported) reads the same.
 *
 * The kind of a field is read from its zod schema, so custom fields (whose schemas are built at
 * run time from their definitions) are handled like built-in ones.
 */
import type { z } from 'zod';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { Domain, Percent, Phone } from './values.ts';
import { NOT_A_PERCENT, percentFromText } from './percent.ts';
import { plainIssue } from './plain-words.ts';
import { numberExample } from './imports.ts';
import { readDecimal } from './locale-numbers.ts';

type Kind = 'text' | 'number' | 'percent' | 'boolean' | 'list' | 'object' | 'phone' | 'domain';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** What a schema takes, seen through optional, nullable, default and pipes (`Email` is a string piped into a check). */
function kindOf(schema: z.ZodType): { kind: Kind; element?: z.ZodType } {
  if (schema === Phone) return { kind: 'phone' };
  if (schema === Domain) return { kind: 'domain' };
  if (schema === Percent) return { kind: 'percent' };
  const def = defOf(schema);
  if (def.innerType) return kindOf(def.innerType);
  if (def.type === 'pipe' && def.in) return kindOf(def.in);
  if (def.type === 'array') return { kind: 'list', element: def.element };
  if (def.type === 'number' || def.type === 'int') return { kind: 'number' };
  if (def.type === 'boolean') return { kind: 'boolean' };
  if (def.type === 'object') return { kind: 'object' };
  return { kind: 'text' };
}

/** Whether a field with `schema` holds a list (`a; b` in a cell). */
export const holdsList = (schema: z.ZodType) => kindOf(schema).kind === 'list';

const TRUE = new Set(['true', 'yes', 'y', '1', 'x']);
const FALSE = new Set(['false', 'no', 'n', '0', '']);
const MONEY = /^(-?[\d.]+)\s*([A-Za-z]{3})$|^([A-Za-z]{3})\s*(-?[\d.]+)$/;
/** An amount and its currency, either way round; a euro or pound sign stands for its code. */
const LOOSE_MONEY = /^(.*?\d.*?)\s*([A-Za-z]{3}|€|£)$|^([A-Za-z]{3}|€|£)\s*(.*\d.*)$/;
const CURRENCY_SIGNS: Record<string, string> = { '€': 'EUR', '£': 'GBP' };

/**
 * The value a cell stands for, for a field with `schema`; the cell is already non-empty. What
 * cannot be read is passed on as text, so the field's schema refuses it with its own message.
 */
export function cellValue(schema: z.ZodType, cell: string): unknown {
  const { kind, element } = kindOf(schema);
  const text = cell.trim();
  switch (kind) {
    case 'number':
      return text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'boolean':
      return TRUE.has(text.toLowerCase()) ? true : FALSE.has(text.toLowerCase()) ? false : text;
    case 'list':
      return listParts(text).map((part) => (element ? cellValue(element, part) : part));
    case 'object': {
      const money = MONEY.exec(text);
      if (money) return { amount: money[1] ?? money[4], currency: (money[2] ?? money[3]).toUpperCase() };
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    default:
      return text;
  }
}

/** How an import reads the cells of a file: the country of phone numbers without a country code, the locale numbers are written in. */
export interface CellReading {
  country?: CountryCode;
  locale: string;
}

/**
 * A file's cell read for its field, as the file's people wrote it: national phone numbers in
 * the import's country (`030 1234567` with DE: `+49 30 1234567`; `0044 ...` is international),
 * a web address as its domain (`https://www.acme.com/about`: `acme.com`), numbers and amounts
 * in the file's locale (locale-numbers.ts). What cannot be read is refused with why, in words for
 * the import's report; the value read is still checked by the field's schema. A list keeps the
 * parts that read and names those that do not (`problems`).
 */
export function readCell(schema: z.ZodType, text: string, reading: CellReading): { value: unknown; problems?: string[] } | { refused: string } {
  const { kind, element } = kindOf(schema);
  switch (kind) {
    case 'phone':
      return readPhone(text, reading.country);
    case 'domain':
      return { value: domainOf(text) };
    case 'percent': {
      // As the grid reads one (contracts/percent.ts), whatever the file's locale: `25%`, `12,5 %`.
      const percent = percentFromText(text);
      return percent === undefined ? { refused: NOT_A_PERCENT } : { value: percent };
    }
    case 'number': {
      const decimal = readDecimal(text.replace(/\s*%$/, ''), reading.locale);
      return decimal === undefined ? { refused: `is not a number as this file writes them (like ${numberExample(reading.locale)})` } : { value: Number(decimal) };
    }
    case 'boolean': {
      const value = cellValue(schema, text);
      return typeof value === 'boolean' ? { value } : { refused: 'is not yes or no' };
    }
    case 'list': {
      const values: unknown[] = [];
      const problems: string[] = [];
      for (const part of listParts(text)) {
        const read = element ? readCell(element, part, reading) : { value: part };
        const checked = 'refused' in read ? read : element ? element.safeParse(read.value) : { success: true as const, data: read.value };
        if ('refused' in checked) problems.push(`"${part}" ${checked.refused}`);
        else if (!checked.success) problems.push(`"${part}" ${plainIssue(checked.error.issues[0])}`);
        else values.push(checked.data);
      }
      return { value: values, problems };
    }
    case 'object': {
      const money = LOOSE_MONEY.exec(text);
      const amount = money && readDecimal(money[1] ?? money[4], reading.locale);
      if (money && amount !== undefined) {
        const currency = money[2] ?? money[3];
        return { value: { amount, currency: CURRENCY_SIGNS[currency] ?? currency.toUpperCase() } };
      }
      return { value: cellValue(schema, text) };
    }
    default:
      return { value: text };
  }
}

const listParts = (text: string) =>
  text
    .split(/[;\n]/)
    .map((part) => part.trim())
    .filter(Boolean);

function readPhone(text: string, country: CountryCode | undefined): { value: unknown } | { refused: string } {
  // `0044 20 ...`: 00 is the international prefix in most of the world, whatever the country.
  for (const candidate of [text, text.replace(/^\s*00(?=[1-9])/, '+')]) {
    const phone = parsePhoneNumberFromString(candidate, country);
    if (phone?.isValid()) return { value: phone.formatInternational() };
  }
  const international = /^\s*(\+|00)/.test(text);
  if (!international && !country) return { refused: 'has no country code: write it like +49 30 1234567, or choose the country of numbers without one for the import' };
  return { refused: international || !country ? 'is not a phone number' : `is not a phone number in ${countryName(country)} (numbers without a country code are read as ${country})` };
}

const countryName = (country: CountryCode) => new Intl.DisplayNames(['en'], { type: 'region' }).of(country) ?? country;

/** A web address, or an e-mail address, as the domain it names: scheme, `www.`, port, path and a final dot dropped. */
function domainOf(text: string): string {
  const trimmed = text.trim();
  const mail = /^[^@\s/]+@([^@\s/]+)$/.exec(trimmed);
  let host = mail ? mail[1] : trimmed;
  if (!mail && /^[a-z][a-z0-9+.-]*:\/\/|[/?#:]|^www\./i.test(trimmed)) {
    try {
      host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`).hostname;
    } catch {
      return trimmed;
    }
  }
  return host.toLowerCase().replace(/\.$/, '').replace(/^www\d*\./, '');
}

/** A stored value as a cell: the inverse of cellValue. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cellText).join('; ');
  if (typeof value === 'object') {
    const { amount, currency } = value as { amount?: unknown; currency?: unknown };
    if (typeof amount === 'string' && typeof currency === 'string' && Object.keys(value).length === 2) return `${amount} ${currency}`;
    return JSON.stringify(value);
  }
  return String(value);
}
