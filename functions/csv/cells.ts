/**
 * How a field's value looks in a spreadsheet cell, both ways: an import reads a cell into the
 * value its field takes (then the field's own schema validates it, as for the API), an export
 * writes a value as a person would type it. Lists are `a; b`, money `12.50 EUR`, booleans
 * `true`/`false`, anything else structured (an address) JSON.
 *
 * The kind of a field is read from its zod schema, so custom fields (whose schemas are built at
 * run time from their definitions) are handled like built-in ones.
 */
import type { z } from 'zod';

type Kind = 'text' | 'number' | 'boolean' | 'list' | 'object';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** What a schema takes, seen through optional, nullable, default and pipes (`Email` is a string piped into a check). */
function kindOf(schema: z.ZodType): { kind: Kind; element?: z.ZodType } {
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
      return text
        .split(/[;\n]/)
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => (element ? cellValue(element, part) : part));
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
