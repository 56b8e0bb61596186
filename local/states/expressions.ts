/**
 * JSONata in ASL: a string field whose whole value is `{% expression %}` is evaluated; every
 * other value is a literal, recursively through objects and arrays (AWS docs: "Transforming data
 * with JSONata in Step Functions"). Expressions are compiled once, when a definition is loaded.
 */
import jsonata, { type Expression } from 'jsonata';
import { clockFunctions, registerAwsFunctions } from './jsonata-functions.ts';
import { QueryEvaluationError } from './errors.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What `$states` holds while a field is evaluated. */
export interface StatesBinding {
  input: Json;
  context: Json;
  result?: Json;
  errorOutput?: Json;
}

export interface EvaluationScope {
  states: StatesBinding;
  /** Workflow variables visible to the state, by name (without the `$`). */
  variables: Record<string, Json>;
  /** The engine's clock (epoch ms): what `$now()` and `$millis()` answer. */
  now: number;
}

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}');
}

export function expressionText(value: string): string {
  return value.slice(2, -2).trim();
}

const compiled = new Map<string, Expression>();

/** Compiles (once) the expression of a `{% %}` string; a syntax error throws. */
export function compileExpression(value: string): Expression {
  let expression = compiled.get(value);
  if (!expression) {
    expression = jsonata(expressionText(value));
    registerAwsFunctions(expression);
    compiled.set(value, expression);
  }
  return expression;
}

/** Compiles every expression inside a template value, so syntax errors surface at load time. */
export function compileTemplate(value: unknown, onError: (field: string, err: Error) => void, field = ''): void {
  if (isExpression(value)) {
    try {
      compileExpression(value);
    } catch (err) {
      onError(field, err as Error);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => compileTemplate(item, onError, `${field}/${i}`));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) compileTemplate(item, onError, `${field}/${key}`);
  }
}

/**
 * Evaluates a template: literals stay as they are, `{% %}` strings are replaced by their value.
 * `field` names the location for error messages, as AWS does ('Output/result').
 */
export async function evaluateTemplate(value: unknown, field: string, scope: EvaluationScope): Promise<Json> {
  if (isExpression(value)) return evaluateExpression(value, field, scope);
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (let i = 0; i < value.length; i++) out.push(await evaluateTemplate(value[i], `${field}/${i}`, scope));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await evaluateTemplate(item, `${field}/${key}`, scope);
    return out;
  }
  return value as Json;
}

export async function evaluateExpression(value: string, field: string, scope: EvaluationScope): Promise<Json> {
  const text = expressionText(value);
  const describe = `The JSONata expression '${text}' specified for the field '${field}'`;
  let result: unknown;
  try {
    result = await compileExpression(value).evaluate(scope.states.input, { ...clockFunctions(scope.now), ...scope.variables, states: scope.states });
  } catch (err) {
    const message = (err as { message?: string }).message ?? String(err);
    throw new QueryEvaluationError(`${describe} threw an error: ${message}`, field, { cause: err });
  }
  if (result === undefined) throw new QueryEvaluationError(`${describe} returned nothing (undefined).`, field);
  if (typeof result === 'function' || (result && typeof result === 'object' && '_jsonata_lambda' in result)) {
    throw new QueryEvaluationError(`${describe} returned an unsupported result type.`, field);
  }
  // JSONata sequences carry extra properties; a JSON round trip leaves plain JSON (and -0 as 0).
  return JSON.parse(JSON.stringify(result)) as Json;
}

/** The JSON type name AWS uses in "Expected 'array', but was 'number'". */
export function jsonType(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
