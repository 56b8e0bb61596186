/**
 * The demo tenant's sample on a first `npm start`: loaded once, into the tenant whose
 * administrator that start created, unless asked not to (`--no-sample`, `SHEETFLOW_SAMPLE=off`).
 *
 * `<data>/demo-sample.json` says where it stands: written `loading` before the first write and
 * `loaded` after the last. A start that finds `loading` (the one before stopped or crashed midway)
 * loads the same sample again, which writes only what is missing (load-sample.ts); one that finds
 * `loaded`, or no file on a tenant it did not create, loads nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.ts';
import { readDemoAdmin } from '../identity/index.ts';
import type { SampleOptions } from './sample.ts';
import { loadSample, type SampleCounts, type SampleLoadState } from './load-sample.ts';

export const SAMPLE_OFF_FLAG = '--no-sample';
export const SAMPLE_ENV = 'SHEETFLOW_SAMPLE';

/** Whether this start may load the sample: not with `--no-sample` or `SHEETFLOW_SAMPLE=off` (or 0, false, no). */
export function sampleWanted(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return !argv.includes(SAMPLE_OFF_FLAG) && !['off', '0', 'false', 'no'].includes((env[SAMPLE_ENV] ?? '').trim().toLowerCase());
}

type Marker = { state: 'loading'; sample: SampleOptions; load?: SampleLoadState } | { state: 'loaded'; sample: SampleOptions; seconds: number; counts: SampleCounts };

export interface FirstStartOptions {
  dataDir: string;
  url: string;
  clientId: string;
  /** With a password when this start created the administrator: a first start. */
  demoAdmin: { email: string; password?: string };
  wanted: boolean;
  log: (line: string) => void;
  /** Tests load a smaller one. */
  sample?: SampleOptions;
}

/** Loads the sample if this start should; answers what it did. */
export async function loadSampleOnFirstStart(options: FirstStartOptions): Promise<'loaded' | 'skipped' | 'not-first-start' | 'loaded-before'> {
  const file = join(options.dataDir, 'demo-sample.json');
  const marker = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Marker) : undefined;
  if (marker?.state === 'loaded') return 'loaded-before';
  if (!marker && !options.demoAdmin.password) return 'not-first-start';
  if (!options.wanted) {
    options.log(`[sample] not loaded (${SAMPLE_OFF_FLAG} or ${SAMPLE_ENV}=off)${marker ? '; the next start goes on with it' : ''}`);
    return 'skipped';
  }
  // Loaded only now: every later start would load faker's data for nothing.
  const { demoSampleOn, generateSample } = await import('./sample.ts');
  const sample = marker?.sample ?? options.sample ?? demoSampleOn(new Date());
  const loading = (load?: SampleLoadState) => writeFileAtomic(file, JSON.stringify({ state: 'loading', sample, load } satisfies Marker));
  loading(marker?.load);
  const password = options.demoAdmin.password ?? readDemoAdmin(join(options.dataDir, 'identity'))?.password;
  if (!password) throw new Error('the demo administrator has no password file to load the sample with');
  options.log(`[sample] ${marker ? 'going on with' : 'loading'} the demo tenant's sample (seed ${sample.seed}, as of ${sample.referenceDate}) ...`);
  const started = Date.now();
  const token = await signIn(options.url, options.clientId, options.demoAdmin.email, password);
  const counts = await loadSample({ url: options.url, token }, generateSample(sample), {
    progress: (line) => options.log(`[sample] ${line}`),
    state: marker?.load,
    saveState: loading,
  });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  writeFileAtomic(file, JSON.stringify({ state: 'loaded', sample, seconds, counts } satisfies Marker));
  options.log(`[sample] loaded in ${seconds} s`);
  return 'loaded';
}

/** An ID token through the user pool's own API, as the sign-in page gets one. */
async function signIn(url: string, clientId: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }),
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`the demo administrator could not sign in: ${JSON.stringify(body)}`);
  return body.AuthenticationResult.IdToken;
}
