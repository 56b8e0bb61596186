/**
 * Fields whose value is one of a fixed list, stored by key and shown by label (an activity's
 * kind: `email` reads as Email). The type's description names them (`choices` in
 * record-type.ts), and every reader takes the labels from there: the grid's cells, filters and
 * editors, the record card, the CSV export. A label or a key, in any case, is read as the key
 * (typed in the grid, sent to the API, imported from a file), so an exported file imports back.
 *
 * A label must read as its key, case aside (`Email`, not `E-mail`): a view's filter holds what
 * the grid showed, and the server matches stored keys against it without case.
 */
import { z } from 'zod';

export interface Choice {
  key: string;
  label: string;
}

const folded = (text: string) => text.trim().toLowerCase();

/** The choice a text names: its key or its label, case and outer spaces aside. */
export function choiceNamed(choices: readonly Choice[], text: unknown): Choice | undefined {
  if (typeof text !== 'string') return undefined;
  const wanted = folded(text);
  return choices.find((choice) => choice.key === wanted || folded(choice.label) === wanted);
}

/** What a stored value shows: its choice's label, else the value as it is. */
export function choiceLabel(choices: readonly Choice[], value: unknown): unknown {
  return choiceNamed(choices, value)?.label ?? value;
}

/** Why a text names none of them, after the field's name: `must be one of Task, Call, …`. */
export const notAChoice = (choices: readonly Choice[]) => `must be one of ${choices.map((choice) => choice.label).join(', ')}`;

/** The field's schema: one of the keys, a label or another case read as its key. */
export function choiceSchema<const K extends string>(choices: ReadonlyArray<{ key: K; label: string }>) {
  const keys = choices.map((choice) => choice.key) as [K, ...K[]];
  return z.preprocess((value) => choiceNamed(choices, value)?.key ?? value, z.enum(keys, { error: notAChoice(choices) }));
}
