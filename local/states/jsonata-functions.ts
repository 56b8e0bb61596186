/**
 * The JSONata functions AWS Step Functions adds to the standard library
 * (AWS docs: "Transforming data with JSONata in Step Functions", section "JSONata functions
 * provided by Step Functions"): $partition, $range, $hash, $random, $uuid, $parse.
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata, { type Expression } from 'jsonata';

/** JSONata collapses a one-element sequence to its value; AWS's $range does (1 for $range(1,9,9)). */
function sequence<T>(items: T[]): T[] {
  Object.defineProperty(items, 'sequence', { value: true });
  return items;
}

function partition(array: unknown[], size: number): unknown[][] {
  if (!Number.isInteger(size) || size <= 0) throw new Error('$partition: size must be a positive integer');
  const out: unknown[][] = [];
  for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
  return out;
}

function range(start: number, end: number, step = 1): number[] {
  if (step === 0) throw new Error('$range: step must not be 0');
  const out: number[] = [];
  for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
  return sequence(out);
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function hash(data: unknown, algorithm: string): string {
  const name = HASH_ALGORITHMS[algorithm];
  if (!name) throw new Error(`$hash: unsupported algorithm '${algorithm}'`);
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return createHash(name).update(text).digest('hex');
}

/** A seeded generator (mulberry32) so that $random(seed) repeats, as AWS documents. */
function random(seed?: number): number {
  if (seed === undefined) return Math.random();
  let t = (Math.floor(seed) + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function parse(text: string): unknown {
  return JSON.parse(text);
}

export function registerAwsFunctions(expression: Expression): void {
  expression.registerFunction('partition', partition, '<an:a>');
  expression.registerFunction('range', range, '<nnn?:a<n>>');
  expression.registerFunction('hash', hash, '<xs:s>');
  expression.registerFunction('random', random, '<n?:n>');
  expression.registerFunction('uuid', () => randomUUID(), '<:s>');
  expression.registerFunction('parse', parse, '<s:x>');
}

const fromMillis = jsonata('$fromMillis($ms, $picture, $timezone)');

/**
 * `$now()` and `$millis()` on the engine's clock rather than the machine's (JSONata binds its
 * own to the real time of each evaluation), so that a test that moves the clock sees them move.
 * Both answer the same instant throughout one evaluation, as JSONata's do.
 */
export function clockFunctions(ms: number) {
  return {
    now: (picture?: string, timezone?: string) => fromMillis.evaluate(null, { ms, picture, timezone }),
    millis: () => ms,
  };
}
