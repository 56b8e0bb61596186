/**
 * The engine in a process of its own, for the crash test (test/states/durability.test.ts):
 * local/dynamo on disk at STATES_DATA_DIR and the engine on a free port. Prints
 * "READY <endpoint>" when it serves. STATES_CLOCK_OFFSET_MS moves its clock (to see a 30-day
 * Wait come due after a restart). Lambdas log every call to calls.log and the tokens they are
 * given to tokens.log, so the test can see at-least-once.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStates } from '../../local/states/index.ts';
import { ACCOUNT, REGION, startLocalDynamo } from './states-harness.ts';

const dir = process.env.STATES_DATA_DIR!;
const offset = Number(process.env.STATES_CLOCK_OFFSET_MS ?? 0);
const db = await startLocalDynamo(join(dir, 'db'));
const states = await startStates({
  port: 0,
  dynamo: { endpoint: db.endpoint, tableName: 'states-crash', inProcess: db.dispatch },
  region: REGION,
  accountId: ACCOUNT,
  workflows: {},
  now: () => Date.now() + offset,
  lambdas: {
    step: async (event: { id: string; n: number }) => {
      appendFileSync(join(dir, 'calls.log'), `${event.id} ${event.n}\n`);
      await new Promise((r) => setTimeout(r, 50));
      return { id: event.id, n: event.n + 1 };
    },
    park: async (event: { id: string; token: string }) => {
      appendFileSync(join(dir, 'tokens.log'), `${JSON.stringify(event)}\n`);
      return {};
    },
  },
});
process.stdout.write(`READY ${states.endpoint}\n`);
