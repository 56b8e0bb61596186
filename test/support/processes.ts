import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { expect } from 'vitest';
import { repoRoot } from '../../local/ensure-installed.mjs';

/** A port that was free a moment ago: for child processes that must be told their ports. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The environment of `npm start` on `dataDir`, without the demo tenant's sample (local/demo-sample).
 * Every port it listens on (local/main.ts) is 0: the system picks free ones and the banner names
 * them. A port left to its default collides with another test's start; one that was free a moment
 * ago (freePort) may be taken, under load, by another process's connection before the start listens.
 */
export function startEnv(dataDir: string): NodeJS.ProcessEnv {
  return { ...process.env, SHEETFLOW_DATA: dataDir, SHEETFLOW_SAMPLE: 'off', PORT: '0', DYNAMODB_PORT: '0', SFN_PORT: '0', S3_PORT: '0', SES_PORT: '0' };
}

/** `npm start` (local/start.mjs) as a child process. */
export function npmStart(env: NodeJS.ProcessEnv): Started {
  return run(process.execPath, ['local/start.mjs'], { cwd: repoRoot, env });
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  /** The exit code, or the signal that ended the process (a crash, or a signal it did not handle). */
  exited: Promise<number | NodeJS.Signals>;
}

/** Spawn a command, keeping everything it prints, so a test can wait for a line or an exit. */
export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Started {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal!)));
  return { child, output: () => out, exited };
}

/** Resolves when the process has printed `pattern`; fails if it exits first or has not printed it within `timeout` ms. */
export async function waitForOutput(p: Started, pattern: RegExp, timeout = 60_000): Promise<RegExpMatchArray> {
  let exited = false;
  void p.exited.then(() => (exited = true));
  await expect
    .poll(() => exited || pattern.test(p.output()), { timeout })
    .toBe(true)
    .catch((err: unknown) => {
      throw new Error(`no ${pattern} within ${timeout} ms:\n${p.output()}`, { cause: err });
    });
  const match = p.output().match(pattern);
  if (!match) throw new Error(`process exited before printing ${pattern}:\n${p.output()}`);
  return match;
}
