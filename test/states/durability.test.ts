/**
 * Durability: the engine runs in a child process that is killed with SIGKILL mid-work, then
 * started again on the same data. Every execution continues from its last checkpoint; a step
 * that was running at the crash runs again (at-least-once); a parked human task and a 30-day
 * Wait survive, and the Wait fires on time after the restart (past setTimeout's 24.8 days).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { history, REGION, ROLE, waitForEnd, waitForEvent } from '../support/states-harness.ts';

const DAY_MS = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'states-crash-'));
let child: ChildProcess | undefined;

async function startEngine(clockOffsetMs = 0): Promise<SFNClient> {
  child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/states-engine-process.ts')], {
    env: { ...process.env, STATES_DATA_DIR: dir, STATES_CLOCK_OFFSET_MS: String(clockOffsetMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child!.once('exit', (code) => reject(new Error(`engine process exited with ${code}`)));
  });
  return new SFNClient({ endpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
}

async function kill(sfn: SFNClient): Promise<void> {
  sfn.destroy();
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child!.kill('SIGKILL');
  await exited;
  child = undefined;
}

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string) => {
  try {
    return readFileSync(join(dir, file), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

describe('durability across kill -9', () => {
  it('finishes every execution that was mid-flight, running an interrupted step again', async () => {
    let sfn = await startEngine();
    const steps = Object.fromEntries(
      [1, 2, 3, 4, 5].map((i) => [
        `S${i}`,
        {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'step', Payload: '{% $states.input %}' },
          Output: '{% $states.result.Payload %}',
          ...(i < 5 ? { Next: `S${i + 1}` } : { End: true }),
        },
      ]),
    );
    const sm = await sfn.send(
      new CreateStateMachineCommand({ name: 'five-steps', roleArn: ROLE, definition: JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'S1', States: steps }) }),
    );
    const fanOut = await sfn.send(
      new CreateStateMachineCommand({
        name: 'fan-out',
        roleArn: ROLE,
        definition: JSON.stringify({
          QueryLanguage: 'JSONata',
          StartAt: 'Each',
          States: {
            Each: {
              Type: 'Map',
              Items: '{% [0..7].{"id": $$.id & "-" & $string($), "n": $} %}',
              MaxConcurrency: 3,
              ItemProcessor: { StartAt: 'S', States: { S: { ...steps.S1, Next: undefined, End: true } } },
              Output: '{% $sum($states.result.n) %}',
              End: true,
            },
          },
        }),
      }),
    );
    const maps: string[] = [];
    for (let i = 0; i < 3; i++) {
      const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: fanOut.stateMachineArn, input: JSON.stringify({ id: `map-${i}` }) }));
      maps.push(out.executionArn!);
    }
    const arns: string[] = [];
    for (let i = 0; i < 20; i++) {
      const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, name: `run-${i}`, input: JSON.stringify({ id: `run-${i}`, n: 0 }) }));
      arns.push(out.executionArn!);
    }
    // Kill while lambdas are running.
    await expect.poll(() => lines('calls.log').length, { interval: 5 }).toBeGreaterThanOrEqual(30);
    await kill(sfn);
    // 20 executions x 5 steps + 3 maps x 8 items: the crash came before all of them ran.
    const expectedCalls = 20 * 5 + 3 * 8;
    expect(lines('calls.log').length).toBeLessThan(expectedCalls);

    sfn = await startEngine();
    const settled = async (arn: string) =>
      waitForEnd(sfn, arn, 60_000).catch(async (err) => {
        const events = await history(sfn, arn);
        throw new Error(`${err.message}; last events: ${events.slice(-4).map((e) => e.type).join(', ')}; calls: ${lines('calls.log').length}`);
      });
    for (const arn of arns) {
      const result = await settled(arn);
      expect(result.status).toBe('SUCCEEDED');
      expect(JSON.parse(result.output!)).toMatchObject({ n: 5 });
    }
    for (const arn of maps) {
      const result = await settled(arn);
      expect(result.status).toBe('SUCCEEDED');
      // Items n = 0..7, each step adds one: 1 + ... + 8.
      expect(JSON.parse(result.output!)).toBe(36);
    }
    const calls = lines('calls.log');
    // Every step ran at least once per execution; some ran twice around the crash.
    for (let i = 0; i < 20; i++) {
      for (let n = 0; n < 5; n++) expect(calls).toContain(`run-${i} ${n}`);
    }
    expect(calls.length).toBeGreaterThanOrEqual(expectedCalls);
    await kill(sfn);
  });

  it('keeps a human task and a 30-day Wait across restarts; the Wait fires on time', async () => {
    let sfn = await startEngine();
    const human = await sfn.send(
      new CreateStateMachineCommand({
        name: 'human',
        roleArn: ROLE,
        definition: JSON.stringify({
          QueryLanguage: 'JSONata',
          StartAt: 'Approve',
          States: {
            Approve: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Arguments: { FunctionName: 'park', Payload: { id: 'approve-1', token: '{% $states.context.Task.Token %}' } },
              End: true,
            },
          },
        }),
      }),
    );
    const month = await sfn.send(
      new CreateStateMachineCommand({
        name: 'month',
        roleArn: ROLE,
        definition: JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', Seconds: 30 * 86_400, End: true } } }),
      }),
    );
    // A second's Wait, started after a restart: once it has fired, any timer the restart wrongly
    // took as due (a 30-day setTimeout overflows to 1 ms) has fired too.
    const tick = await sfn.send(
      new CreateStateMachineCommand({
        name: 'tick',
        roleArn: ROLE,
        definition: JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'Tick', States: { Tick: { Type: 'Wait', Seconds: 1, End: true } } }),
      }),
    );
    const approval = (await sfn.send(new StartExecutionCommand({ stateMachineArn: human.stateMachineArn, input: '{}' }))).executionArn!;
    const sleeper = (await sfn.send(new StartExecutionCommand({ stateMachineArn: month.stateMachineArn, input: '{"slept":true}' }))).executionArn!;
    await waitForEvent(sfn, approval, (e) => e.type === 'TaskSubmitted');
    await waitForEvent(sfn, sleeper, (e) => e.type === 'WaitStateEntered');
    await kill(sfn);

    // Same clock: the task completes by its token; the month has not passed.
    sfn = await startEngine();
    const token = JSON.parse(lines('tokens.log')[0]).token;
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    expect(JSON.parse((await waitForEnd(sfn, approval)).output!)).toEqual({ approved: true });
    const ticked = (await sfn.send(new StartExecutionCommand({ stateMachineArn: tick.stateMachineArn, input: '{}' }))).executionArn!;
    expect((await waitForEnd(sfn, ticked)).status).toBe('SUCCEEDED');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: sleeper }))).status).toBe('RUNNING');
    expect((await history(sfn, sleeper)).map((e) => e.type)).not.toContain('WaitStateExited');
    await kill(sfn);

    // 30 days and a minute later: the Wait is due and fires right after start-up.
    sfn = await startEngine(30 * DAY_MS + 60_000);
    const woke = await waitForEnd(sfn, sleeper, 30_000);
    expect(woke.status).toBe('SUCCEEDED');
    expect(JSON.parse(woke.output!)).toEqual({ slept: true });
    await kill(sfn);
  });
});
