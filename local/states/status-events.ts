/**
 * "Step Functions Execution Status Change" events (AWS docs: "EventBridge (CloudWatch Events) for
 * Step Functions execution status changes"): when an execution starts, ends, or is redriven, the
 * event EventBridge would carry to a rule's target is handed to `deliver` (the embedded cloud:
 * the function infra/app-resources.ts names for it), at least once.
 *
 * Durable: a record whose latest status was not yet delivered carries `gsi5` (SFN#STATUS); its
 * delivery clears it. What a crash interrupted is delivered at the next start; a delivery that
 * fails is tried again with backoff, then left for the next start.
 */
import { randomUUID } from 'node:crypto';
import type { ExecutionRecord, ExecutionStatus, StatesStore } from './store.ts';

export const STATUS_CHANGE = 'Step Functions Execution Status Change';

export interface ExecutionStatusChangeEvent {
  version: '0';
  id: string;
  'detail-type': typeof STATUS_CHANGE;
  source: 'aws.states';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type StatusEventTarget = (event: ExecutionStatusChangeEvent) => Promise<void>;

/** EventBridge leaves input and output out past 248 KB (AWS docs, "EventBridge payloads"). */
const PAYLOAD_LIMIT = 248 * 1024;
const RETRIES = 5;

/** What a record's latest status change is: delivered once this is its `statusEventSent`. */
export const statusKey = (record: Pick<ExecutionRecord, 'status' | 'redriveCount'>) => `${record.status}#${record.redriveCount ?? 0}`;

export class StatusEvents {
  private started = false;
  private stopped = false;
  /** Each execution's deliveries, one after the other, in the order of its changes. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly store: StatesStore,
    private readonly options: {
      region: string;
      accountId: string;
      deliver?: StatusEventTarget;
      redriveStatus(record: ExecutionRecord): object;
      /** True while the execution is in memory and at work (it will save again). */
      busy(arn: string): boolean;
      onError(err: unknown): void;
    },
  ) {}

  /** Delivers what was left undelivered (a crash, a target that kept failing), then each change as it comes. */
  async start(): Promise<void> {
    this.started = true;
    if (!this.options.deliver) return;
    for (const arn of await this.store.pendingStatusEvents()) {
      const record = await this.store.getExecution(arn);
      if (record) void this.send(record);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /**
   * A status change was saved (the record carries its pending mark). `status` is the change to
   * announce: RUNNING for a start or a redrive, which the execution may have left already (a
   * short one has ended by the time its start is acknowledged) - its end is announced after it.
   */
  changed(record: ExecutionRecord, status: ExecutionStatus = record.status): void {
    if (!this.started) return;
    const queued = (this.queues.get(record.arn) ?? Promise.resolve()).then(() => this.send(record, status));
    this.queues.set(record.arn, queued);
    void queued.finally(() => {
      if (this.queues.get(record.arn) === queued) this.queues.delete(record.arn);
    });
  }

  private async send(record: ExecutionRecord, status: ExecutionStatus = record.status): Promise<void> {
    const { deliver } = this.options;
    if (!deliver) return;
    const key = statusKey({ status, redriveCount: record.redriveCount });
    const event = this.event(status === record.status ? record : { ...record, status, stopDate: undefined, output: undefined, error: undefined, cause: undefined });
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await deliver(event);
        break;
      } catch (err) {
        if (attempt >= RETRIES) {
          this.options.onError(new Error(`status event of ${record.arn} (${record.status}) not delivered; it is tried again at the next start`, { cause: err }));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt).unref());
      }
    }
    if (this.stopped) return;
    // The in-memory record too, so that its next save clears the mark: an execution still at
    // work saves again anyway, and only one that parked or ended needs a write of its own.
    if (statusKey(record) !== key) return; // the execution moved on: its newer change is queued
    record.statusEventSent = key;
    if (record.status === 'RUNNING' && this.options.busy(record.arn)) return;
    await this.store.markStatusEventSent(record.arn, status, record.redriveCount ?? 0).catch((err) => this.options.onError(err));
  }

  private event(record: ExecutionRecord): ExecutionStatusChangeEvent {
    const { region, accountId } = this.options;
    const output = record.output ?? null;
    const outputBytes = output === null ? 0 : Buffer.byteLength(output);
    const outputIncluded = outputBytes <= PAYLOAD_LIMIT;
    const inputIncluded = Buffer.byteLength(record.input) + (outputIncluded ? outputBytes : 0) <= PAYLOAD_LIMIT;
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': STATUS_CHANGE,
      source: 'aws.states',
      account: accountId,
      time: new Date(record.stopDate ?? record.redriveDate ?? record.startDate).toISOString().replace(/\.\d+Z$/, 'Z'),
      region,
      resources: [record.arn],
      detail: {
        executionArn: record.arn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: record.startDate,
        stopDate: record.stopDate ?? null,
        input: inputIncluded ? record.input : null,
        output: outputIncluded ? output : null,
        inputDetails: { included: inputIncluded },
        outputDetails: output === null ? null : { included: outputIncluded },
        error: record.error ?? null,
        cause: record.cause ?? null,
        ...(record.stateMachineVersionArn ? { stateMachineVersionArn: record.stateMachineVersionArn } : {}),
        ...(record.stateMachineAliasArn ? { stateMachineAliasArn: record.stateMachineAliasArn } : {}),
        redriveCount: record.redriveCount ?? 0,
        redriveDate: record.redriveDate ?? null,
        ...this.options.redriveStatus(record),
      },
    };
  }
}
