/**
 * Numbers as a file's locale writes them: `1,200.50` in English, `1.200,50` in German, `1 200,50`
 * in French, `1'200.50` in Swiss German. The separators come from Intl for the locale; group
 * separators count only in groups of three (`1,20` is no English number), and a space (any
 * kind) groups in every locale. What the locale does not read is tried as the plain form an
 * export writes (`1200.5`: digits, a point), so an exported file reads back under any locale
 * except for a number with exactly three decimals (`1.234`), which a locale that groups with a
 * point reads as thousands: the import dialog shows the locale it reads by.
 *
 * Words are not guessed at: `approx 40`, `40+` or `about 40` are no numbers (the cell is left
 * empty and reported), since "up to 40" or "40-50" would be read wrong just as readily.
 */

interface Separators {
  group: string;
  decimal: string;
}

const separatorsByLocale = new Map<string, Separators>();

function separatorsOf(locale: string): Separators {
  let known = separatorsByLocale.get(locale);
  if (!known) {
    const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
    known = { group: parts.find((p) => p.type === 'group')?.value ?? ',', decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.' };
    separatorsByLocale.set(locale, known);
  }
  return known;
}


const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isSpace = (char: string) => /^[\s\u00a0\u202f\u2009]$/.test(char);
const isApostrophe = (char: string) => char === "'" || char === '\u2019';

/**
 * The number a cell holds, as a plain decimal (`-1200.5`: an optional minus, digits, a point),
 * exact as written (no floating point in between); undefined when it is none.
 */
export function readDecimal(text: string, locale: string): string | undefined {
  const { group, decimal } = separatorsOf(locale);
  // Spaces of every kind are one; so are both apostrophes, in a locale that groups with one.
  const cell = text.trim().replace(/[\s\u00a0\u202f\u2009]/g, ' ').replace(/\u2019/g, "'");
  const g = isSpace(group) ? ' ' : isApostrophe(group) ? "'" : group;
  const fraction = `(?:${escape(decimal)}(\\d+))?`;
  const grouped = new RegExp(`^([+-]?)(\\d{1,3}(?:${escape(g)}\\d{3})+|\\d{1,3}(?: \\d{3})+|\\d+)${fraction}$`);
  const bare = new RegExp(`^([+-]?)()${escape(decimal)}(\\d+)$`);
  const match = grouped.exec(cell) ?? bare.exec(cell) ?? /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(cell);
  if (!match) return undefined;
  const [, minus, whole, part] = match;
  const digits = (whole || '0').replace(/\D/g, '').replace(/^0+(?=\d)/, '');
  return `${minus === '-' ? '-' : ''}${digits}${part ? `.${part}` : ''}`;
}
