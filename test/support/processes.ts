import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { expect } from 'vitest';
import { repoRoot } from '../../local/ensure-installed.mjs';

/** A port that was free a moment ago: for child processes that must be told their ports. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0];
}

/** `count` different ports that were free a moment ago: all held at once, so none is given twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Every port `npm start` listens on (local/main.ts): one left to its default would collide with another test's start. */
const START_PORTS = ['PORT', 'DYNAMODB_PORT', 'SFN_PORT', 'S3_PORT', 'SES_PORT'] as const;
export type StartPorts = Record<(typeof START_PORTS)[number], number>;

/** The environment of `npm start` on `dataDir` and ports of its own, without the demo tenant's sample (local/demo-sample). */
export async function startEnv(dataDir: string): Promise<{ env: NodeJS.ProcessEnv; ports: StartPorts }> {
  const free = await freePorts(START_PORTS.length);
  const ports = Object.fromEntries(START_PORTS.map((name, i) => [name, free[i]])) as StartPorts;
  const env = { ...process.env, SHEETFLOW_DATA: dataDir, SHEETFLOW_SAMPLE: 'off', ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])) };
  return { env, ports };
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
