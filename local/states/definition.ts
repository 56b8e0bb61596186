/**
 * The loader: turns definition text into the model the interpreter runs, refusing - with the
 * offending field and its JSON pointer - anything the engine does not implement, rather than
 * ignoring it. The model keeps ASL's own field names; each States container (the machine, a
 * Parallel branch, a Map's ItemProcessor) is a "scope" addressed by its JSON pointer.
 */
import { DefinitionError } from './errors.ts';
import { compileTemplate } from './expressions.ts';
import { invalidDefinitionMessage, pointer, validateDefinition } from './validate.ts';
import { isSupportedResource } from './resources/index.ts';

export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

/** A state as written in ASL (JSONata flavour); the loader has checked every field. */
export interface StateDef {
  Type: StateType;
  Next?: string;
  End?: boolean;
  Output?: unknown;
  Assign?: Record<string, unknown>;
  Arguments?: unknown;
  Resource?: string;
  Retry?: Retrier[];
  Catch?: Catcher[];
  TimeoutSeconds?: number | string;
  HeartbeatSeconds?: number | string;
  Choices?: ChoiceRule[];
  Default?: string;
  Seconds?: number | string;
  Timestamp?: string;
  Error?: string;
  Cause?: string;
  Branches?: Array<{ StartAt: string; States: Record<string, StateDef> }>;
  Items?: unknown;
  ItemSelector?: unknown;
  ItemProcessor?: { StartAt: string; States: Record<string, StateDef> };
  MaxConcurrency?: number | string;
  ToleratedFailureCount?: number | string;
  ToleratedFailurePercentage?: number | string;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

export interface ChoiceRule {
  Condition: unknown;
  Next: string;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

export interface Scope {
  /** JSON pointer of the container: '' (the machine), '/States/P/Branches/0', '/States/M/ItemProcessor'. */
  key: string;
  StartAt: string;
  States: Record<string, StateDef>;
}

export interface Definition {
  text: string;
  TimeoutSeconds?: number;
  scopes: Map<string, Scope>;
}

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End'];
const FIELDS: Record<StateType, string[]> = {
  Pass: [...COMMON, ...FLOW, 'Output', 'Assign'],
  Task: [...COMMON, ...FLOW, 'Output', 'Assign', 'Resource', 'Arguments', 'Retry', 'Catch', 'TimeoutSeconds', 'HeartbeatSeconds'],
  Choice: [...COMMON, 'Choices', 'Default', 'Output', 'Assign'],
  Wait: [...COMMON, ...FLOW, 'Output', 'Assign', 'Seconds', 'Timestamp'],
  Succeed: [...COMMON, 'Output'],
  Fail: [...COMMON, 'Error', 'Cause'],
  Parallel: [...COMMON, ...FLOW, 'Output', 'Assign', 'Arguments', 'Branches', 'Retry', 'Catch'],
  Map: [
    ...COMMON, ...FLOW, 'Output', 'Assign', 'Items', 'ItemSelector', 'ItemProcessor', 'MaxConcurrency',
    'ToleratedFailureCount', 'ToleratedFailurePercentage', 'Retry', 'Catch',
  ],
};
const RETRIER_FIELDS = ['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'];
const CATCHER_FIELDS = ['ErrorEquals', 'Next', 'Output', 'Assign', 'Comment'];
const CHOICE_RULE_FIELDS = ['Condition', 'Next', 'Output', 'Assign', 'Comment'];
const SCOPE_FIELDS = ['StartAt', 'States', 'Comment', 'QueryLanguage', 'ProcessorConfig'];
const TOP_FIELDS = ['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage'];

/** Parses, validates and compiles a definition, or throws a DefinitionError naming what is wrong. */
export function loadDefinition(text: string): Definition {
  const diagnostics = validateDefinition(text);
  if (diagnostics.length) {
    // The schema's messages can be vague ("must match exactly one schema"); when the loader
    // can say precisely what is wrong with a JSONata state, it says it instead.
    const precise = tryLoad(text);
    const d = diagnostics[0];
    throw precise ?? new DefinitionError(invalidDefinitionMessage(diagnostics), d.location, d.code);
  }
  return load(text);
}

function load(text: string): Definition {
  const raw = JSON.parse(text);
  const scopes = new Map<string, Scope>();
  checkFields(raw, TOP_FIELDS, '');
  loadScope(raw, '', raw.QueryLanguage ?? 'JSONPath', scopes);
  return { text, TimeoutSeconds: raw.TimeoutSeconds, scopes };
}

/** The loader's own refusal of a definition the schema refused, if it has a precise one. */
function tryLoad(text: string): DefinitionError | undefined {
  try {
    load(text);
  } catch (err) {
    if (err instanceof DefinitionError && err.code === 'UNSUPPORTED' && !err.message.includes('JSONPath query language')) return err;
  }
  return undefined;
}

function refuse(message: string, path: string): never {
  throw new DefinitionError(`Invalid State Machine Definition: '${message} at ${path || '/'}'`, path || '/', 'UNSUPPORTED');
}

function checkFields(object: Record<string, unknown>, allowed: string[], path: string, what = 'field'): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) refuse(`The ${what} '${key}' is not supported by the local engine`, `${path}${pointer(key)}`);
  }
}

function loadScope(container: any, key: string, queryLanguage: string, scopes: Map<string, Scope>): void {
  const states: Record<string, StateDef> = container.States;
  if (!(container.StartAt in states)) refuse(`StartAt '${container.StartAt}' names no state`, `${key}/StartAt`);
  scopes.set(key, { key, StartAt: container.StartAt, States: states });
  for (const [name, state] of Object.entries(states)) {
    const path = `${key}${pointer('States', name)}`;
    const language = (state as any).QueryLanguage ?? queryLanguage;
    if (language !== 'JSONata') {
      refuse(`State '${name}' uses the JSONPath query language; the local engine runs JSONata states only`, path);
    }
    loadState(name, state, path, states, scopes);
  }
}

function loadState(name: string, state: StateDef, path: string, siblings: Record<string, StateDef>, scopes: Map<string, Scope>): void {
  const allowed = FIELDS[state.Type];
  if (!allowed) refuse(`The state type '${state.Type}' of state '${name}' is not supported by the local engine`, `${path}/Type`);
  checkFields(state as any, allowed, path);

  const target = (next: unknown, at: string) => {
    if (typeof next !== 'string' || !(next in siblings)) refuse(`'${String(next)}' names no state in this scope`, at);
  };
  if (state.Next !== undefined) target(state.Next, `${path}/Next`);
  const compile = (field: string, value: unknown) =>
    compileTemplate(value, (at, err) => refuse(`Invalid JSONata expression: ${err.message}`, `${path}/${field}${at}`));
  for (const field of ['Output', 'Arguments', 'Items', 'ItemSelector', 'Error', 'Cause', 'Seconds', 'Timestamp', 'TimeoutSeconds',
    'HeartbeatSeconds', 'MaxConcurrency', 'ToleratedFailureCount', 'ToleratedFailurePercentage'] as const) {
    if ((state as any)[field] !== undefined) compile(field, (state as any)[field]);
  }
  checkAssign(state.Assign, path, 'Assign', compile);

  if (state.Type === 'Task') {
    if (!isSupportedResource(state.Resource ?? '')) {
      refuse(`The resource '${state.Resource}' of state '${name}' is not supported by the local engine`, `${path}/Resource`);
    }
  }
  if (state.Type === 'Choice') {
    state.Choices!.forEach((rule, i) => {
      const at = `${path}/Choices/${i}`;
      checkFields(rule as any, CHOICE_RULE_FIELDS, at);
      if (rule.Condition === undefined) refuse(`A choice rule needs a Condition`, at);
      if (typeof rule.Condition !== 'boolean') compile(`Choices/${i}/Condition`, rule.Condition);
      compile(`Choices/${i}/Output`, rule.Output);
      checkAssign(rule.Assign, path, `Choices/${i}/Assign`, compile);
      target(rule.Next, `${at}/Next`);
    });
    if (state.Default !== undefined) target(state.Default, `${path}/Default`);
  }
  for (const [i, retrier] of (state.Retry ?? []).entries()) checkFields(retrier as any, RETRIER_FIELDS, `${path}/Retry/${i}`);
  for (const [i, catcher] of (state.Catch ?? []).entries()) {
    const at = `${path}/Catch/${i}`;
    checkFields(catcher as any, CATCHER_FIELDS, at);
    target(catcher.Next, `${at}/Next`);
    compile(`Catch/${i}/Output`, catcher.Output);
    checkAssign(catcher.Assign, path, `Catch/${i}/Assign`, compile);
  }
  if (state.Type === 'Parallel') {
    state.Branches!.forEach((branch, i) => {
      const at = `${path}/Branches/${i}`;
      checkFields(branch as any, SCOPE_FIELDS, at);
      loadScope(branch, at, 'JSONata', scopes);
    });
  }
  if (state.Type === 'Map') {
    const processor = state.ItemProcessor as any;
    if (!processor) refuse(`Map state '${name}' needs an ItemProcessor`, path);
    const at = `${path}/ItemProcessor`;
    checkFields(processor, SCOPE_FIELDS, at);
    const mode = processor.ProcessorConfig?.Mode ?? 'INLINE';
    if (mode !== 'INLINE') refuse(`Map mode '${mode}' is not supported by the local engine (INLINE only)`, `${at}/ProcessorConfig/Mode`);
    checkFields(processor.ProcessorConfig ?? {}, ['Mode'], `${at}/ProcessorConfig`);
    loadScope(processor, at, processor.QueryLanguage ?? 'JSONata', scopes);
  }
}

function checkAssign(assign: unknown, statePath: string, field: string, compile: (field: string, value: unknown) => void): void {
  if (assign === undefined) return;
  const path = `${statePath}/${field}`;
  if (!assign || typeof assign !== 'object' || Array.isArray(assign)) refuse('Assign must be an object', path);
  for (const name of Object.keys(assign)) {
    if (name === 'states' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) refuse(`'${name}' is not a valid variable name`, `${path}${pointer(name)}`);
  }
  compile(field, assign);
}

