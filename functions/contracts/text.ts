/**
 * What text people may store, shared by every record type, custom field and name, so that the
 * grid (which validates a typed cell with the same schema) refuses what the API refuses.
 *
 * Refused in every text field:
 * - control characters (C0, DEL, C1; NUL among them): invisible, and NUL ends strings in much
 *   software a CSV goes on to; tab, line feed and carriage return only in long text (notes);
 * - lone surrogates: half of a character (a cut emoji), not text; UTF-8 cannot encode them;
 * - the bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069):
 *   they make a cell show other than it reads ("Trojan Source"). The marks (U+200E, U+200F,
 *   U+061C) that right-to-left text needs are kept.
 *
 * A name (or an identifier such as a SKU) must moreover show something: not only spaces,
 * zero-width or other default-ignorable characters, or combining marks.
 */
import { z } from 'zod';

const BIDI_CONTROLS = '\\u202A-\\u202E\\u2066-\\u2069';
const UNSAFE_IN_LINE = new RegExp(`[\\p{Cc}\\p{Cs}${BIDI_CONTROLS}]`, 'u');
const UNSAFE_IN_LONG_TEXT = new RegExp(`[\\0-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\p{Cs}${BIDI_CONTROLS}]`, 'u');
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Cs}\p{M}\u2800]/u;

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` may not be stored, naming the first character at fault; undefined when it may. */
export function unsafeTextReason(text: string, { multiline }: { multiline: boolean }): string | undefined {
  const found = (multiline ? UNSAFE_IN_LONG_TEXT : UNSAFE_IN_LINE).exec(text)?.[0];
  if (found === undefined) return undefined;
  if (/\p{Cs}/u.test(found)) return `must not contain a lone surrogate (${codePoint(found)}): half of a character, such as a cut emoji`;
  if (!multiline && '\t\n\r'.includes(found)) return `must be one line: no tab or line break (${codePoint(found)})`;
  if (/\p{Cc}/u.test(found)) return `must not contain the control character ${codePoint(found)}`;
  return `must not contain the bidirectional control ${codePoint(found)}: it makes text show other than it reads`;
}

/** Whether `text` has a character that shows. */
export const hasVisibleCharacter = (text: string) => VISIBLE.test(text);

const safe =
  (multiline: boolean) =>
  (text: string, ctx: z.RefinementCtx): void => {
    const reason = unsafeTextReason(text, { multiline });
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  };

/** One line of text, trimmed, at most `max` characters (may be empty). */
export const Text = (max: number) => z.string().trim().max(max).superRefine(safe(false));

/** Text of several lines (notes, descriptions): tabs and line breaks kept. `max`: none when the item size bounds it. */
export const LongText = (max?: number) => (max === undefined ? z.string() : z.string().max(max)).superRefine(safe(true));

/** A name or an identifier: one line, required, with at least one visible character. */
export const Name = (max: number) =>
  Text(max)
    .min(1, 'is required')
    .refine((text) => text === '' || hasVisibleCharacter(text), 'must have a visible character, not only spaces or invisible ones');
