/**
 * What the grid knows of a column: the field it shows, its label, and the kind of value it holds,
 * which picks the cell's editor and how typed text becomes a value. Built-in fields take their
 * kind from the type's zod contract, custom fields from their definition, so both behave alike.
 */
import { z } from 'zod';
import type { RecordTypeInfo } from '$contracts/record-type.ts';
import type { FieldDefinition } from '$contracts/fields.ts';
import type { ShownValues } from '../views/apply-view.ts';
import { cellText, cellValue } from '$contracts/cell-text.ts';
import { USER_FIELDS } from '$contracts/user-labels.ts';
import { displayNames, HIDDEN_RECORD, NameNotResolved, PENDING_NAME, type NamesFound } from '../pickers/display-names.svelte.ts';
import { ULID } from '$contracts/values.ts';
import { choiceNamed, notAChoice, type Choice } from '$contracts/choices.ts';
import { fieldLabel } from '$contracts/field-labels.ts';
import { phonesFromText, phoneText } from '$contracts/phone-text.ts';
import { userCountry } from '../user-country.ts';
import { lossReasonNamed, notAStage, pipelineNamed, stageNamed, type Pipeline } from '$contracts/deal-stages.ts';
import { tenantPipelines } from '../pipelines/tenant-pipelines.svelte.ts';
import { NOT_A_PERCENT, percentFromText, percentText } from '$contracts/percent.ts';
import { Address } from '$contracts/company.ts';
import { InputRefused, fieldMessage } from './cell-input.ts';

export type FieldKind =
  | 'text'
  | 'long_text'
  | 'number'
  | 'percent'
  | 'money'
  | 'date'
  | 'datetime'
  | 'checkbox'
  | 'select'
  | 'multi_select'
  | 'list'
  | 'relation'
  | 'user'
  | 'address'
  | 'json';

export { NameNotResolved };

/**
 * A select whose stored value is a key shown by its label (a deal's stage: `won` shows as Won).
 * The field's `options` are the labels; a text (typed, pasted, picked) is read by key or label,
 * any case, and a value stored in another case (`Lost`, before stages were known) shows as the
 * choice it names.
 */
export interface Choices {
  list: ReadonlyArray<{ value: string; label: string }>;
  /** The key a value or text names; undefined: none. */
  keyOf(value: unknown): string | undefined;
  /** Why a text names none, to follow the field's label: `must be one of New, …`. */
  refusal: string;
  /**
   * The choices one record may take when they depend on its other values, read by `valueOf(key)`
   * (a deal's stage and loss reason: its pipeline's); undefined: any of `list`.
   */
  ofRecord?(valueOf: (key: string) => unknown): ReadonlyArray<{ value: string; label: string }> | undefined;
}

/** Items of several lists, each key once (its first label): the stages or loss reasons of every pipeline. */
function distinctByKey<T extends { key: string }>(lists: ReadonlyArray<readonly T[]>): T[] {
  const seen = new Map<string, T>();
  for (const item of lists.flat()) if (!seen.has(item.key)) seen.set(item.key, item);
  return [...seen.values()];
}

const asChoices = (items: ReadonlyArray<{ key: string; label: string }>) => items.map((item) => ({ value: item.key, label: item.label }));

/** A deal's choices of its own pipeline (by its `pipeline` value); undefined when that names none. */
function ofOwnPipeline(pipelines: readonly Pipeline[], valueOf: (key: string) => unknown, list: (own: Pipeline) => ReadonlyArray<{ key: string; label: string }>) {
  const own = pipelineNamed(pipelines, valueOf('pipeline'));
  return own && asChoices(list(own));
}

/**
 * A deal's stage: one of its pipeline's stages. A column holds deals of every pipeline, so the
 * cells read and show any pipeline's stage (the server refuses one of another pipeline than the
 * deal's, on the cell); a cell's dropdown and the card offer the deal's own.
 */
function stageChoices(pipelines: readonly Pipeline[]): Choices {
  const all = { key: '', label: '', stages: distinctByKey(pipelines.map((pipeline) => pipeline.stages)) };
  return {
    list: asChoices(all.stages),
    keyOf: (value) => pipelines.map((pipeline) => stageNamed(pipeline, value)).find(Boolean)?.key,
    refusal: notAStage(all),
    ofRecord: (valueOf) => ofOwnPipeline(pipelines, valueOf, (own) => own.stages),
  };
}

/** A deal without `pipeline` is in the first: it shows as that one. */
const pipelineChoices = (pipelines: readonly Pipeline[]): Choices => ({
  list: pipelines.map((pipeline) => ({ value: pipeline.key, label: pipeline.label })),
  keyOf: (value) => pipelineNamed(pipelines, typeof value === 'string' ? value.trim() : value)?.key,
  refusal: `must be one of ${pipelines.map((pipeline) => pipeline.label).join(', ')}`,
});

/** Why a deal was lost: a reason of its pipeline's list, shown by label. */
function lossReasonChoices(pipelines: readonly Pipeline[]): Choices {
  const all = { lossReasons: distinctByKey(pipelines.map((pipeline) => pipeline.lossReasons)) };
  return {
    list: asChoices(all.lossReasons),
    keyOf: (value) => lossReasonNamed(all, value)?.key,
    refusal: `must be one of ${all.lossReasons.map((reason) => reason.label).join(', ')}`,
    ofRecord: (valueOf) => ofOwnPipeline(pipelines, valueOf, (own) => own.lossReasons),
  };
}

/** A field the type's description lists choices for (an activity's kind, $contracts/choices.ts). */
const listChoices = (list: readonly Choice[]): Choices => ({
  list: list.map((choice) => ({ value: choice.key, label: choice.label })),
  keyOf: (value) => choiceNamed(list, value)?.key,
  refusal: notAChoice(list),
});

/**
 * Built-in fields whose values are one of the tenant's pipelines' lists, by type name (the others:
 * the type's `choices`); read when a page builds its fields, after the pipelines have arrived.
 */
const CHOICES: Record<string, Record<string, (pipelines: readonly Pipeline[]) => Choices>> = {
  deal: { stage: stageChoices, pipeline: pipelineChoices, lossReason: lossReasonChoices },
};

/** Where a value of a choice field sorts: its choice's place in the list, else (not a choice) its text, after them. */
function choiceOrder(choices: Choices, value: unknown): unknown {
  const key = choices.keyOf(value);
  const at = choices.list.findIndex((choice) => choice.value === key);
  return at >= 0 ? at : value;
}

/** What a value of a choice field shows: its choice's label, else the value as stored. */
function choiceLabel(choices: Choices, value: unknown): string {
  const key = choices.keyOf(value);
  return choices.list.find((choice) => choice.value === key)?.label ?? cellText(value);
}

export interface GridField {
  key: string;
  label: string;
  kind: FieldKind;
  /** Record metadata and computed fields are shown, never edited. */
  editable: boolean;
  /** select / multi_select: the allowed values. */
  options?: string[];
  /** relation: the target type's key (`COMPANY`) and whether it holds many ids. */
  target?: string;
  multiple?: boolean;
  /** money fixed to one currency. */
  currency?: string;
  /** select of keys shown by labels (`options` are the labels). */
  choices?: Choices;
  /** select: the options of one row when they depend on its other values (a deal's stage: its pipeline's); the page sets it. */
  rowOptions?: (row: readonly unknown[]) => string[] | undefined;
  /** Phone numbers (one or a list): shown and typed in the user's country's format ($contracts/phone-text.ts). */
  phone?: boolean;
  /** A value the record must hold: its dropdown offers no empty choice (the server would refuse it). */
  required?: boolean;
  /** What a typed cell is read by (kind of value: text, number, boolean, list, object). */
  schema: z.ZodType;
}

/** Record metadata: shown, never edited (but the owner, handed to another user). */
const META = new Set(['id', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'owner']);

/** `companyIds` → `Companies`, `expectedClose` → `Expected close` ($contracts/field-labels.ts, as an export's header). */
export const labelOf = fieldLabel;

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string>;
  checks?: Array<{ _zod: { def: { check?: string; format?: string } } }>;
  format?: string;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The kind of a built-in field, seen through optional, nullable and pipes. */
function kindOfSchema(schema: z.ZodType): { kind: FieldKind; options?: string[] } {
  if (schema === Address) return { kind: 'address' };
  const def = defOf(schema);
  if (def.innerType) return kindOfSchema(def.innerType);
  if (def.type === 'pipe' && def.in) return kindOfSchema(def.in);
  if (def.type === 'enum') return { kind: 'select', options: Object.values(def.entries ?? {}) };
  if (def.type === 'array') {
    const element = def.element && kindOfSchema(def.element);
    return element?.kind === 'select' ? { kind: 'multi_select', options: element.options } : { kind: 'list' };
  }
  if (def.type === 'number' || def.type === 'int') return { kind: 'number' };
  if (def.type === 'boolean') return { kind: 'checkbox' };
  if (def.type === 'object') {
    const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
    return shape && 'amount' in shape && 'currency' in shape ? { kind: 'money' } : { kind: 'json' };
  }
  if (def.type === 'string' && def.format === 'date') return { kind: 'date' };
  if (def.type === 'string' && def.format === 'datetime') return { kind: 'datetime' };
  return { kind: 'text' };
}

const LONG_TEXT = new Set(['notes', 'description']);
/** Computed by the server from other fields; shown, not edited. */
const COMPUTED: Record<string, string[]> = { deal: ['lines'] };

/** The grid field of a built-in field or record metadata of `type`. */
export function builtInField(type: RecordTypeInfo, key: string): GridField | undefined {
  if (META.has(key)) {
    const kind: FieldKind = key.endsWith('At') ? 'datetime' : key === 'version' ? 'number' : USER_FIELDS.has(key) ? 'user' : 'text';
    // The owner is handed to another user from the grid too (POST /api/bulk takes `owner`).
    return { key, label: labelOf(key), kind, editable: key === 'owner', schema: key === 'version' ? z.number() : z.string() };
  }
  const schema = type.fields.shape[key] as z.ZodType | undefined;
  if (!schema) return undefined;
  const relation = type.relations.find((r) => r.path === key);
  const listed = type.choices?.[key];
  const choices = CHOICES[type.name]?.[key]?.(tenantPipelines.list) ?? (listed && listChoices(listed));
  const seen = kindOfSchema(schema);
  const kind: FieldKind = relation ? 'relation' : USER_FIELDS.has(key) ? 'user' : LONG_TEXT.has(key) ? 'long_text' : key === 'probability' ? 'percent' : choices ? 'select' : seen.kind;
  return {
    key,
    label: labelOf(key),
    kind,
    // An address is edited on the record card, part by part: one line of text does not read back into parts.
    editable: !COMPUTED[type.name]?.includes(key) && seen.kind !== 'json' && seen.kind !== 'address',
    options: choices ? choices.list.map((choice) => choice.label) : seen.options,
    choices,
    phone: type.search.some((search) => search.field === key && search.kind === 'phone') || undefined,
    target: relation?.target,
    multiple: relation ? defOf(schema).type !== 'string' && seen.kind === 'list' : undefined,
    required: !schema.safeParse(null).success && !schema.safeParse(undefined).success,
    schema,
  };
}

const CUSTOM_SCHEMAS: Partial<Record<FieldDefinition['type'], z.ZodType>> = {
  number: z.number(),
  percent: z.number(),
  checkbox: z.boolean(),
  multi_select: z.array(z.string()),
  money: z.object({ amount: z.string(), currency: z.string() }),
};

/** The grid field of a custom field: its definition says its kind. */
export function customField(definition: FieldDefinition): GridField {
  const kinds: Record<FieldDefinition['type'], FieldKind> = {
    text: 'text',
    long_text: 'long_text',
    number: 'number',
    money: 'money',
    percent: 'percent',
    date: 'date',
    datetime: 'datetime',
    checkbox: 'checkbox',
    single_select: 'select',
    multi_select: 'multi_select',
    user: 'user',
    relation: 'relation',
    email: 'text',
    phone: 'text',
    url: 'text',
  };
  const multiple = definition.type === 'relation' && !!definition.multiple;
  return {
    key: definition.key,
    label: definition.label,
    kind: kinds[definition.type],
    editable: true,
    options: definition.options,
    target: definition.target?.toUpperCase(),
    multiple: definition.type === 'relation' ? multiple : undefined,
    currency: definition.currency,
    phone: definition.type === 'phone' || undefined,
    required: definition.required,
    schema: multiple ? z.array(z.string()) : (CUSTOM_SCHEMAS[definition.type] ?? z.string()),
  };
}

/** The grid fields for the columns of a view, built-in or custom; unknown names are skipped. */
export function gridFields(type: RecordTypeInfo, columns: readonly string[], custom: readonly FieldDefinition[]): GridField[] {
  const byKey = new Map(custom.filter((d) => !d.deletedAt).map((d) => [d.key, d]));
  return columns.flatMap((key) => {
    const definition = byKey.get(key);
    const field = definition ? customField(definition) : builtInField(type, key);
    return field ? [field] : [];
  });
}

/** Every field a view of `type` may show: the type's own, its custom fields, then metadata. */
export function allGridFields(type: RecordTypeInfo, custom: readonly FieldDefinition[]): GridField[] {
  const keys = [...Object.keys(type.fields.shape), ...custom.filter((d) => !d.deletedAt).map((d) => d.key), 'createdAt', 'updatedAt', 'owner'];
  return gridFields(type, keys, custom);
}

/** The ids a relation's value holds (one or a list). */
export const relationIds = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((id): id is string => typeof id === 'string' && id !== '');

/**
 * A value as its cell shows it (and as it is copied to the clipboard). Users and related records
 * by name (lib/pickers/display-names), never by id; `…` until the name has arrived.
 */
export function textOf(field: GridField, value: unknown): string {
  if (field.kind === 'user') return typeof value === 'string' && value ? displayNames.userLabel(value) : '';
  if (field.kind === 'relation') return relationIds(value).map((id) => displayNames.recordName(field.target ?? '', id)).join('; ');
  if (field.kind === 'checkbox') return value === true ? '✓' : '';
  if (field.choices) return choiceLabel(field.choices, value);
  if (field.kind === 'percent') return percentText(value);
  if (field.kind === 'address') return addressText(value);
  if (field.phone) return shownPhone(value);
  if (field.kind === 'datetime' && typeof value === 'string' && value) return value.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, '');
  return cellText(value);
}

/**
 * Phones as the user's country writes them, kept per value: reading a number costs some 10-50 µs
 * (libphonenumber-js; +1 numbers the most, many countries share the code), and the grid draws
 * its visible cells again on every change. Bounded: the cells of a screen or two, not a column.
 */
const phonesShown = new Map<string, string>();
const PHONES_KEPT = 5000;

function shownPhone(value: unknown): string {
  if (Array.isArray(value)) return value.map(shownPhone).join('; ');
  if (typeof value !== 'string') return phoneText(value, userCountry());
  let text = phonesShown.get(value);
  if (text === undefined) {
    if (phonesShown.size >= PHONES_KEPT) phonesShown.clear();
    phonesShown.set(value, (text = phoneText(value, userCountry())));
  }
  return text;
}

/** An address on one line, as people write it: `1 Main St, 10115 Berlin, Brandenburg, DE`. */
export function addressText(value: unknown): string {
  if (!value || typeof value !== 'object') return cellText(value);
  const { street, postalCode, city, region, country } = value as Record<string, string | undefined>;
  return [street, [postalCode, city].filter(Boolean).join(' '), region, country].filter(Boolean).join(', ');
}

/** The parts of a relation cell's text (`A; B`, or one a line): names or ids. */
const relationParts = (text: string) => text.split(/[;\n]/).map((part) => part.trim()).filter(Boolean);

/**
 * The record names (not ids) these texts give relation cells, by target type: what the server is
 * asked for (displayNames.lookUpNames) before the texts are read with `valueOf`.
 */
export function namesToLookUp(cells: ReadonlyArray<{ field: GridField; text: string }>): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const { field, text } of cells) {
    if (field.kind !== 'relation' || !field.target) continue;
    const names = relationParts(text).filter((part) => !ULID.test(part) && part !== HIDDEN_RECORD);
    if (!names.length) continue;
    const set = wanted.get(field.target) ?? new Set<string>();
    names.forEach((name) => set.add(name));
    wanted.set(field.target, set);
  }
  return wanted;
}

/**
 * What a typed (or pasted) text stands for; an emptied cell clears the field. A user is named by
 * name, e-mail or id, a related record by id or by name: as the server answered (`found`, see
 * namesToLookUp), else one the grid has shown or a search has found; a text naming none or
 * several throws NameNotResolved, with the reason for the cell.
 */
export function valueOf(field: GridField, text: string, found?: NamesFound): unknown {
  const trimmed = text.trim();
  if (field.choices && trimmed === '' && !field.schema.safeParse(null).success) throw new InputRefused(emptyChoiceRefusal(field, field.choices));
  if (trimmed === '') return field.kind === 'checkbox' ? false : null;
  if (field.choices) return field.choices.keyOf(trimmed) ?? refuse(field, field.choices.refusal);
  if (field.kind === 'percent') return percentFromText(trimmed) ?? refuse(field, NOT_A_PERCENT);
  // Numbers as the cell shows them (national in the user's country) read back as stored.
  if (field.phone) return cellValue(field.schema, phonesFromText(trimmed, userCountry()));
  if (field.kind === 'user') return displayNames.userByText(trimmed).sub;
  if (field.kind === 'relation') {
    const ids = displayNames.recordIdsOf(field.target, relationParts(trimmed), found);
    return field.multiple ? [...new Set(ids)] : ids.length === 1 ? ids[0] : refuseMany(field);
  }
  if (field.kind === 'checkbox' && trimmed === '✓') return true;
  if (field.kind === 'money' && field.currency && /^-?[\d.]+$/.test(trimmed)) return { amount: trimmed, currency: field.currency };
  if (field.kind === 'datetime' && /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(trimmed)) return `${trimmed.replace(' ', 'T')}:00Z`;
  return cellValue(field.schema, trimmed);
}

function refuseMany(field: GridField): never {
  throw new NameNotResolved(`${field.label} holds one record: pick one`);
}

/** Why a choice field that may not be empty (a deal's stage) is refused when emptied. */
export const emptyChoiceRefusal = (field: GridField, choices: Choices) => `${field.label} cannot be empty: it ${choices.refusal}.`;

function refuse(field: GridField, reason: string): never {
  throw new InputRefused(fieldMessage(field.label, reason));
}

/**
 * What views sort, filter, search and group user, relation and choice columns by: what the cells
 * show, not the ids or keys. A user by name once the directory has arrived; a related record by
 * name once its column's names have been asked for (`displayNames.loadNames`: the page asks for
 * every column a view reads, lib/views/names-read.ts), `…` until then; a record hidden from the
 * caller as HIDDEN_RECORD, never its name; a deal's stage by its label (so `Lost` stored before
 * stages were known groups with `lost`). The key changes when names arrive, rebuilding the caches.
 */
export function shownNames(fields: readonly GridField[]): ShownValues | undefined {
  const users = new Set(fields.filter((field) => field.kind === 'user').map((field) => field.key));
  const relations = new Map(fields.filter((field) => field.kind === 'relation').map((field) => [field.key, field.target ?? '']));
  const choices = new Map(fields.flatMap((field) => (field.choices ? [[field.key, field.choices] as const] : [])));
  if (!users.size && !relations.size && !choices.size) return undefined;
  const userName = (value: unknown) => (typeof value === 'string' && value ? displayNames.userLabel(value) : value);
  const recordNames = new Map(
    [...relations].map(([key, target]) => {
      const name = (id: unknown) => {
        if (typeof id !== 'string' || !id) return id;
        const known = displayNames.knownRecordName(target, id);
        return known === undefined ? PENDING_NAME : (known ?? HIDDEN_RECORD);
      };
      return [key, (value: unknown) => (Array.isArray(value) ? value.map(name) : name(value))] as const;
    }),
  );
  const labels = new Map([...choices].map(([key, list]) => [key, (value: unknown) => choiceLabel(list, value) || value] as const));
  const key = [users.size ? `users:${displayNames.usersRevision}` : '', relations.size ? `records:${displayNames.recordsRevision}` : '', choices.size ? `choices:${tenantPipelines.revision}` : ''].join('/');
  // Choices sort in their list's order (a deal's stages as the pipeline has them, not A to Z); a value that is none after them.
  const orders = new Map([...choices].map(([key, list]) => [key, (value: unknown) => choiceOrder(list, value)] as const));
  return { key, of: (column) => (users.has(column) ? userName : (recordNames.get(column) ?? labels.get(column))), orderOf: (column) => orders.get(column) };
}
