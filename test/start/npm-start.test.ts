/**
 * `npm start` as a user runs it: a real process on its own ports and data folder. Ctrl-C stops
 * it cleanly, a second start on the same folder refuses, and a restart finds every record.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { npmStart, startEnv, waitForOutput, type Started } from '../support/processes.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'sheetflow-start-'));
const running: Started[] = [];

function start(env: NodeJS.ProcessEnv): Started {
  const p = npmStart(env);
  running.push(p);
  return p;
}

async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: (await (await fetch(`${url}/config.json`)).json()).auth.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).AuthenticationResult.IdToken;
}

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves the app, refuses a second start, stops on Ctrl-C and keeps data across restarts', async () => {
    const env = startEnv(dataDir);
    const first = start(env);
    const [, url] = await waitForOutput(first, /running at (http:\/\/\S+)/, 120_000);
    const [, email, password] = await waitForOutput(first, /Sign in as (\S+) with password (\S+)/);
    // Any AWS SDK or the CLI can use the local endpoints it printed.
    const [, sfnEndpoint] = await waitForOutput(first, /Step Functions +(http:\/\/\S+)/);
    const sfn = new SFNClient({ endpoint: sfnEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines).toBeInstanceOf(Array);
    sfn.destroy();

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');

    const token = await signIn(url, email, password);
    const created = await fetch(`${url}/api/companies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Kept Across Restarts Ltd' }),
    });
    expect(created.status).toBe(201);
    const company = await created.json();

    const second = start(env);
    expect(await second.exited, second.output()).toBe(2);
    expect(second.output()).toMatch(/already running/);

    first.child.kill('SIGINT');
    expect(await first.exited, first.output()).toBe(0);
    expect(first.output()).toContain('stopped.');

    const again = start(env);
    const [, urlAgain] = await waitForOutput(again, /running at (http:\/\/\S+)/, 120_000);
    expect(again.output()).not.toMatch(/with password/); // the admin exists already
    const token2 = await signIn(urlAgain, email, password);
    const fetched = await fetch(`${urlAgain}/api/companies/${company.id}`, { headers: { authorization: `Bearer ${token2}` } });
    expect(fetched.status).toBe(200);
    expect((await fetched.json()).name).toBe('Kept Across Restarts Ltd');
    again.child.kill('SIGTERM');
    expect(await again.exited, again.output()).toBe(0);
  }, 300_000);
});
