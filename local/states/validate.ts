/**
 * Definition validity as AWS judges it (ValidateStateMachineDefinition): required fields,
 * QueryLanguage scoping, then the ASL schema via asl-validator. Whether this engine can *run* a
 * valid definition is a separate question, answered by definition.ts.
 */
import { createRequire } from 'node:module';

export interface Diagnostic {
  severity: 'ERROR';
  code: string;
  message: string;
  location: string;
}

const aslValidator = createRequire(import.meta.url)('asl-validator');
const validate = (aslValidator.default ?? aslValidator) as (definition: unknown) => {
  isValid: boolean;
  errors: Array<{ 'Error code': string; Message: string; schemaError?: { instancePath: string; schemaPath: string } }>;
};

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

  const result = validate(definition);
  if (result.isValid) return [];
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

function diagnostic(code: string, message: string, location: string): Diagnostic {
  return { severity: 'ERROR', code, message, location };
}

/** The message AWS puts in InvalidDefinition for the first diagnostic. */
export function invalidDefinitionMessage(diagnostics: Diagnostic[]): string {
  const d = diagnostics[0];
  return `Invalid State Machine Definition: '${d.code}: ${d.message} at ${d.location}'`;
}
