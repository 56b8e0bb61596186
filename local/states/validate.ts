/**
 * Definition validity as AWS judges it (ValidateStateMachineDefinition): required fields,
 * QueryLanguage scoping, then the ASL schema via asl-validator. Whether this engine can *run* a
 * valid definition is a separate question, answered by definition.ts.
 */
import { createRequire } from 'node:module';
import { verdictOf } from './valid-definitions.ts';

export interface Diagnostic {
  severity: 'ERROR';
  code: string;
  message: string;
  location: string;
}

const require = createRequire(import.meta.url);
type AslResult = {
  isValid: boolean;
  errors: Array<{ 'Error code': string; Message: string; schemaError?: { instancePath: string; schemaPath: string } }>;
};

/**
 * asl-validator builds a new Ajv and compiles every schema on each call (0.5-2 s under load).
 * Its Ajv is swapped, for the duration of the synchronous call only, for one built once, so
 * that the schemas compile once per process. Loaded on the first definition not known to be
 * valid (valid-definitions.ts): a process that meets only those never loads it.
 */
let aslValidator: ((definition: unknown) => AslResult) | undefined;
function loadValidator(): (definition: unknown) => AslResult {
  const validator = require('asl-validator');
  const ajvModule = createRequire(require.resolve('asl-validator'))('ajv');
  const OriginalAjv = ajvModule.default;
  let sharedAjv: unknown;
  function SharedAjv(options: unknown) {
    if (!sharedAjv) {
      const ajv = new OriginalAjv(options);
      // Plugins re-add their keywords on every call; the first definition stands.
      const addKeyword = ajv.addKeyword.bind(ajv);
      ajv.addKeyword = (definition: unknown) => {
        try {
          return addKeyword(definition);
        } catch (err) {
          if (/already defined/.test((err as Error).message)) return ajv;
          throw err;
        }
      };
      sharedAjv = ajv;
    }
    return sharedAjv;
  }
  return (definition) => {
    ajvModule.default = SharedAjv;
    try {
      return (validator.default ?? validator)(definition);
    } finally {
      ajvModule.default = OriginalAjv;
    }
  };
}

function validate(definition: unknown): AslResult {
  const known = verdictOf(definition);
  if (known.valid) return { isValid: true, errors: [] };
  aslValidator ??= loadValidator();
  const result = aslValidator(definition);
  if (result.isValid) known.remember();
  return result;
}

export function pointer(...parts: Array<string | number>): string {
  return parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('') || '/';
}

export function validateDefinition(text: string): Diagnostic[] {
  let definition: any;
  try {
    definition = JSON.parse(text);
  } catch (err) {
    return [diagnostic('INVALID_JSON_DESCRIPTION', `Definition is not valid JSON: ${(err as Error).message}`, '/')];
  }
  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) {
    return [diagnostic('SCHEMA_VALIDATION_FAILED', 'Definition must be a JSON object', '/')];
  }
  const missing = ['States', 'StartAt'].filter((field) => !(field in definition));
  if (missing.length) return [diagnostic('SCHEMA_VALIDATION_FAILED', `These fields are required: [${missing.join(', ')}]`, '/')];

  const downgrades = queryLanguageDowngrades(definition, '', definition.QueryLanguage ?? 'JSONPath');
  if (downgrades.length) return downgrades;

  const result = validate(schemaView(definition, definition.QueryLanguage ?? 'JSONPath'));
  if (result.isValid) return secondsDiagnostics(definition, '');
  return result.errors.map((e) => {
    const location = e.schemaError?.instancePath || '/';
    const format = e.schemaError?.schemaPath.endsWith('/format') && /date-time/.test(e.Message);
    const message = format ? 'String does not match RFC3339 timestamp' : e.Message.replace(/^\S* is invalid\. /, '');
    return diagnostic(e['Error code'] ?? 'SCHEMA_VALIDATION_FAILED', message, location);
  });
}

/** AWS: a state may not go back to JSONPath when the whole machine is JSONata. */
function queryLanguageDowngrades(container: any, base: string, inherited: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const states = container?.States;
  if (!states || typeof states !== 'object') return out;
  for (const [name, state] of Object.entries<any>(states)) {
    const location = `${base}${pointer('States', name)}`;
    if (inherited === 'JSONata' && state?.QueryLanguage === 'JSONPath') {
      out.push(
        diagnostic(
          'SCHEMA_VALIDATION_FAILED',
          "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
          location,
        ),
      );
    }
  }
  return out;
}

/**
 * asl-validator's schema predates parts of JSONata ASL: it wants Output to be an object and a
 * Condition to be a string, where AWS accepts any JSON value and a boolean literal. The schema
 * check runs on a copy with those values replaced by ones it accepts; the loader checks them.
 */
function schemaView(container: any, inherited: string): any {
  if (!container?.States || typeof container.States !== 'object') return container;
  const language = container.QueryLanguage ?? inherited;
  const states: Record<string, unknown> = {};
  for (const [name, state] of Object.entries<any>(container.States)) {
    if (!state || typeof state !== 'object') {
      states[name] = state;
      continue;
    }
    const own = state.QueryLanguage ?? language;
    const copy = { ...state };
    if (own === 'JSONata') {
      if ('Output' in copy && !isPlainObject(copy.Output)) copy.Output = {};
      if (Array.isArray(copy.Choices)) {
        copy.Choices = copy.Choices.map((rule: any) => ({
          ...rule,
          ...('Output' in (rule ?? {}) && !isPlainObject(rule.Output) ? { Output: {} } : {}),
          ...(typeof rule?.Condition === 'boolean' ? { Condition: `{% ${rule.Condition} %}` } : {}),
        }));
      }
      if (Array.isArray(copy.Catch)) {
        copy.Catch = copy.Catch.map((c: any) => ('Output' in (c ?? {}) && !isPlainObject(c.Output) ? { ...c, Output: {} } : c));
      }
    }
    if (Array.isArray(copy.Branches)) copy.Branches = copy.Branches.map((b: any) => schemaView(b, own));
    if (copy.ItemProcessor) copy.ItemProcessor = schemaView(copy.ItemProcessor, own);
    states[name] = copy;
  }
  return { ...container, States: states };
}

const isPlainObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);

function diagnostic(code: string, message: string, location: string): Diagnostic {
  return { severity: 'ERROR', code, message, location };
}

/** The message AWS puts in InvalidDefinition for the first diagnostic. */
export function invalidDefinitionMessage(diagnostics: Diagnostic[]): string {
  const d = diagnostics[0];
  return `Invalid State Machine Definition: '${d.code}: ${d.message} at ${d.location}'`;
}

const MAX_SECONDS = 99_999_999;
/** Literal seconds and counts: integers, as the States Language wants them (JSONata ones are checked when evaluated). */
const INTEGER_FIELDS: Record<string, { min: number; where: 'state' | 'retrier' }> = {
  Seconds: { min: 0, where: 'state' },
  TimeoutSeconds: { min: 1, where: 'state' },
  HeartbeatSeconds: { min: 1, where: 'state' },
  IntervalSeconds: { min: 1, where: 'retrier' },
  MaxDelaySeconds: { min: 1, where: 'retrier' },
  MaxAttempts: { min: 0, where: 'retrier' },
};

function secondsDiagnostics(container: any, base: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (object: any, where: 'state' | 'retrier', at: string) => {
    for (const [field, rule] of Object.entries(INTEGER_FIELDS)) {
      const value = object?.[field];
      if (rule.where !== where || typeof value !== 'number') continue;
      if (!Number.isInteger(value) || value < rule.min || value > MAX_SECONDS) {
        out.push(diagnostic('SCHEMA_VALIDATION_FAILED', `The value of '${field}' must be an integer from ${rule.min} to ${MAX_SECONDS}`, `${at}/${field}`));
      }
    }
  };
  for (const [name, state] of Object.entries<any>(container?.States ?? {})) {
    const at = `${base}${pointer('States', name)}`;
    check(state, 'state', at);
    if (typeof state?.TimeoutSeconds === 'number' && typeof state?.HeartbeatSeconds === 'number' && state.HeartbeatSeconds >= state.TimeoutSeconds) {
      out.push(diagnostic('SCHEMA_VALIDATION_FAILED', 'HeartbeatSeconds must be smaller than TimeoutSeconds', `${at}/HeartbeatSeconds`));
    }
    (state?.Retry ?? []).forEach((retrier: unknown, i: number) => check(retrier, 'retrier', `${at}/Retry/${i}`));
    (state?.Branches ?? []).forEach((branch: unknown, i: number) => out.push(...secondsDiagnostics(branch, `${at}/Branches/${i}`)));
    if (state?.ItemProcessor) out.push(...secondsDiagnostics(state.ItemProcessor, `${at}/ItemProcessor`));
  }
  return out;
}
