/**
 * The country the user is in, as their browser's language says (`en-US`: US, `en-GB`: GB; a
 * language alone by its likeliest region, `de`: DE): phone numbers of that country are shown and
 * typed in its national format ($contracts/phone-text.ts). Read once per page load.
 *
 * Not yet the tenant's default country (an import's country of numbers without a code, kept by
 * the server's settings): the person reading a number is the one whose habits count here.
 */
import { isSupportedCountry } from 'libphonenumber-js';
import type { CountryCode } from '$contracts/phone-text.ts';

let country: CountryCode | null | undefined;

export function userCountry(): CountryCode | undefined {
  if (country === undefined) country = fromLanguages(typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language])) ?? null;
  return country ?? undefined;
}

function fromLanguages(languages: readonly string[]): CountryCode | undefined {
  for (const language of languages) {
    try {
      const region = new Intl.Locale(language).maximize().region;
      if (region && isSupportedCountry(region)) return region;
    } catch {
      // Not a language tag: the next one.
    }
  }
  return undefined;
}
