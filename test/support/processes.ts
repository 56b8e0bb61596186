import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { expect } from 'vitest';

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

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Spawn a command, keeping everything it prints, so a test can wait for a line or an exit. */
export function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Started {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
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
