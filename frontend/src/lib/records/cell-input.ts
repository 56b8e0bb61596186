import type { z } from 'zod';

/**
 * A cell's text refused in the browser, before anything is sent: a name that names no one, a
 * stage that is none of the pipeline's, a percent out of range. The message is for the person,
 * and the grid and the card show it on the cell or field, keeping the text.
 */
export class InputRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputRefused';
  }
}

export type CellInput = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Turns what was typed into a cell into the field's value, by the same zod schema the API
 * validates with. An emptied cell clears the field when the field may be null.
 */
export function parseCellInput(schema: z.ZodType, text: string, label: string): CellInput {
  if (text.trim() === '' && schema.safeParse(null).success) return { ok: true, value: null };
  const result = schema.safeParse(text);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: fieldMessage(label, result.error.issues[0]?.message ?? 'is not valid') };
}

/**
 * The contracts phrase reasons to follow the field's name ("is required"); zod's own messages
 * are whole sentences ("Too big: ..."). Either way the person reads one sentence.
 */
export function fieldMessage(label: string, reason: string): string {
  return /^[a-z]/.test(reason) ? `${label} ${reason}.`.replace(/\.\.$/, '.') : reason;
}
