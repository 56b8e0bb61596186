/**
 * "Step Functions Execution Status Change" events (developer guide: "EventBridge (CloudWatch
 * Events) for Step Functions execution status changes"): one per start, end and redrive, in
 * EventBridge's envelope, delivered at least once - also across a crash - and, in the embedded
 * cloud, to the function infra/app-resources.ts names in WORKFLOW_EVENT_RULES.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, RedriveExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { ExecutionStatusChangeEvent } from '../../local/states/status-events.ts';
import { startEmbeddedCloud } from '../../local/embedded-cloud.ts';
import { STATUS_LISTENERS, type ExecutionStatusChange } from '../../functions/workflows/status-listeners.ts';
import { ACCOUNT, REGION } from '../support/states-harness.ts';
import { startLocalEngine, type LocalEngine } from '../support/states-engine.ts';

const received: ExecutionStatusChangeEvent[] = [];
/** While set, delivery fails (a target that is down). */
let targetDown = false;
let e: LocalEngine | undefined;
/** The execution of the first test, all of whose events were delivered. */
let delivered = '';
afterAll(async () => e?.close());

const statusesOf = (arn: string) => received.filter((ev) => ev.detail.executionArn === arn).map((ev) => ev.detail.status);

describe('status change events from the engine', () => {
  it('are sent for start, end and redrive, in the shape EventBridge delivers', async () => {
    let failNext = true;
    e = await startLocalEngine({
      lambdas: {
        flaky: async () => {
          if (failNext) throw Object.assign(new Error('not yet'), { name: 'NotYet' });
          return { ok: true };
        },
      },
      statusEvents: async (event) => {
        if (targetDown) throw new Error('target down');
        received.push(event);
      },
    });
    const sm = await e.machine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'flaky' }, Output: '{% $states.result.Payload %}', End: true } } });
    const arn = await e.start(sm, { order: 1 });
    await e.ended(arn);
    await expect.poll(() => statusesOf(arn)).toEqual(['RUNNING', 'FAILED']);
    const failed = received.find((ev) => ev.detail.executionArn === arn && ev.detail.status === 'FAILED')!;
    expect(failed).toMatchObject({
      version: '0',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: ACCOUNT,
      region: REGION,
      resources: [arn],
      detail: { executionArn: arn, stateMachineArn: sm, status: 'FAILED', input: '{"order":1}', inputDetails: { included: true }, output: null, error: 'NotYet', redriveCount: 0, redriveStatus: 'REDRIVABLE' },
    });
    expect(typeof failed.detail.startDate).toBe('number');
    expect(failed.detail.stopDate).toBeGreaterThanOrEqual(failed.detail.startDate as number);

    failNext = false;
    await e.sfn.send(new RedriveExecutionCommand({ executionArn: arn }));
    await e.ended(arn);
    await expect.poll(() => statusesOf(arn)).toEqual(['RUNNING', 'FAILED', 'RUNNING', 'SUCCEEDED']);
    expect(received.filter((ev) => ev.detail.executionArn === arn).at(-1)!.detail).toMatchObject({ output: '{"ok":true}', redriveCount: 1 });
    delivered = arn;
  });

  it('are delivered after a restart when the target was down, and an aborted end is one of them', async () => {
    const sm = await e!.machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    targetDown = true;
    const arn = await e!.start(sm);
    await e!.sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Cancelled', cause: 'by the customer' }));
    expect((await e!.ended(arn)).status).toBe('ABORTED');
    expect(statusesOf(arn)).toEqual([]);
    await e!.restart({ statusEvents: async (event) => void received.push(event) });
    targetDown = false;
    await expect.poll(() => statusesOf(arn)).toContain('ABORTED');
    // What was delivered before the restart is not delivered again.
    expect(statusesOf(delivered)).toEqual(['RUNNING', 'FAILED', 'RUNNING', 'SUCCEEDED']);
    expect(received.find((ev) => ev.detail.executionArn === arn && ev.detail.status === 'ABORTED')!.detail).toMatchObject({ error: 'Cancelled', cause: 'by the customer' });
  });

  it('leave out an input or output over 248 KiB in UTF-8 bytes, as EventBridge does, and keep one at the limit', async () => {
    const sm = await e!.machine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const limit = 248 * 1024;
    // A JSON string of exactly `bytes` bytes, made of two-byte characters (half as many characters).
    const text = (bytes: number) => JSON.stringify('é'.repeat((bytes - 2) / 2));
    const atLimit = await e!.start(sm, JSON.parse(text(limit)));
    const over = await e!.start(sm, JSON.parse(text(limit + 2)));
    for (const arn of [atLimit, over]) await e!.ended(arn);
    await expect.poll(() => [statusesOf(atLimit), statusesOf(over)]).toEqual([['RUNNING', 'SUCCEEDED'], ['RUNNING', 'SUCCEEDED']]);
    const detail = (arn: string, status: string) => received.find((ev) => ev.detail.executionArn === arn && ev.detail.status === status)!.detail;
    expect(detail(atLimit, 'RUNNING')).toMatchObject({ input: text(limit), inputDetails: { included: true } });
    expect(detail(over, 'RUNNING')).toMatchObject({ input: null, inputDetails: { included: false } });
    expect(detail(over, 'SUCCEEDED')).toMatchObject({ input: null, output: null, inputDetails: { included: false }, outputDetails: { included: false } });
  });
});

describe('status change events in the embedded cloud', () => {
  it("reach the function WORKFLOW_EVENT_RULES names, which hands them to the workflow's listeners", async () => {
    const heard: ExecutionStatusChange[] = [];
    STATUS_LISTENERS.push({ workflows: ['csv-import'], listen: async (event) => void heard.push(event) });
    const dataDir = mkdtempSync(join(tmpdir(), 'states-status-cloud-'));
    const cloud = await startEmbeddedCloud({ dataDir, httpPort: 0, dynamoPort: 0, sfnPort: 0 });
    const sfn = new SFNClient({ endpoint: cloud.sfnEndpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const stateMachineArn = JSON.parse(process.env.STATE_MACHINE_ARNS!)['csv-import'];
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ tenant: 't', jobId: 'no-such-job' }) }));
      await sfn.send(new StopExecutionCommand({ executionArn }));
      await expect.poll(() => heard.filter((ev) => ev.detail.executionArn === executionArn).map((ev) => ev.detail.status)).toHaveLength(2);
      const [first, last] = heard.filter((ev) => ev.detail.executionArn === executionArn);
      expect(first.detail.status).toBe('RUNNING');
      expect(last.detail.status).toBe((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status);
    } finally {
      STATUS_LISTENERS.pop();
      sfn.destroy();
      await cloud.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
