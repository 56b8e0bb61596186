/**
 * Why a value was refused, in a person's words rather than zod's ("is not a number", not
 * "Invalid input: expected number, received string"): the one place a validation issue becomes
 * a sentence for someone who is not a programmer, for the import's report and whatever else
 * shows a refused value to a person.
 *
 * Our own schemas already speak so ("must be a phone number in international form, like ...",
 * "is required"); their messages start in lower case and are kept. zod's built-in messages
 * start with a capital ("Too big: ...") and are rewritten from the issue's code and bounds.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

const count = (n: number | bigint) => Number(n).toLocaleString('en');

const TYPES: Record<string, string> = {
  number: 'is not a number',
  int: 'is not a whole number',
  boolean: 'is not yes or no',
  string: 'is not text',
  array: 'is not a list',
  object: 'is not in the right form',
  date: 'is not a date',
};

const FORMATS: Record<string, string> = {
  email: 'is not an e-mail address like name@example.com',
  url: 'is not a web address like https://example.com',
  date: 'is not a date like 2026-03-31',
  datetime: 'is not a date and time like 2026-03-31T09:30:00Z',
  uuid: 'is not an id',
};

/** The issue as a phrase to follow a value or a field's name: `is more than 10,000,000`. */
export function plainIssue(issue: Issue): string {
  if (/^[a-z]/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (('input' in issue && issue.input === undefined) || /received undefined$/.test(issue.message)) return 'is required';
      return TYPES[issue.expected] ?? 'is not valid here';
    case 'too_big':
      if (issue.origin === 'string') return `is longer than ${count(issue.maximum)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `has more than ${count(issue.maximum)} values`;
      return issue.inclusive === false ? `is ${count(issue.maximum)} or more` : `is more than ${count(issue.maximum)}`;
    case 'too_small': {
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'is empty' : `is shorter than ${count(issue.minimum)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `has fewer than ${count(issue.minimum)} values`;
      return issue.inclusive === false ? `is ${count(issue.minimum)} or less` : `is less than ${count(issue.minimum)}`;
    }
    case 'invalid_value':
      return `is not one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return FORMATS[issue.format] ?? 'is not in the right form';
    case 'not_multiple_of':
      return `is not a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `has parts that are not known: ${issue.keys.join(', ')}`;
    default:
      return 'is not valid here';
  }
}

/** A refused cell as a person reads it: its column, the value (shortened), and why. */
export function plainCellReason(column: string, text: string, why: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return text === '' ? `${column}: ${why}` : `${column}: "${shown}" ${why}`;
}
