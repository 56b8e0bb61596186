/**
 * The choices of how an import reads a file, as the dialog offers them: the country of phone
 * numbers written without a country code (the tenant's default unless changed), and how the
 * file writes numbers (that country's way unless changed), shown by example.
 */
import { getCountries } from 'libphonenumber-js';
import { localeOfCountry, numberExample } from '$contracts/imports.ts';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** Every country whose phone numbers are known, by name. */
export const COUNTRIES: ReadonlyArray<{ code: string; name: string }> = getCountries()
  .map((code) => ({ code, name: regionNames.of(code) ?? code }))
  .sort((a, b) => a.name.localeCompare(b.name));

/** A way of writing numbers per example (`1.234,5`), and a locale that writes so. */
const FORMATS = ['en-US', 'de-DE', 'fr-FR', 'de-CH'];

/** The number formats to choose from, the country's own first; each once, by its example. */
export function numberFormats(country: string | undefined): Array<{ locale: string; example: string }> {
  const seen = new Set<string>();
  return [localeOfCountry(country), ...FORMATS].flatMap((locale) => {
    const example = numberExample(locale);
    if (seen.has(example)) return [];
    seen.add(example);
    return [{ locale, example }];
  });
}

/** The format option standing for `locale` (a remembered one may be written like another on the list). */
export function formatOf(locale: string, country: string | undefined): string {
  const example = numberExample(locale);
  return numberFormats(country).find((format) => format.example === example)?.locale ?? locale;
}
