/**
 * Who is told of an execution's status change: the listeners of the workflows. Ends a state
 * machine cannot write itself (aborted, timed out, failed) arrive here only; process instances
 * keep their item current by theirs. The status-events function calls each listener whose
 * workflow the execution belongs to.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { instanceStatusListener } from './instance-status.ts';

/** The event's detail, as Step Functions sends it (dates in epoch milliseconds). */
export interface ExecutionStatusDetail {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  startDate: number;
  stopDate: number | null;
  input: string | null;
  output: string | null;
  error: string | null;
  cause: string | null;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  redriveCount: number;
}

export type ExecutionStatusChange = EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusDetail>;

export interface StatusListener {
  /** Workflow keys (WORKFLOWS in infra/app-resources.ts) whose executions this listener hears. */
  workflows: string[];
  /** Called at least once per status change: make it idempotent. */
  listen(event: ExecutionStatusChange): Promise<void>;
}

/** Process instances keep their item current (instance-status.ts). */
export const STATUS_LISTENERS: StatusListener[] = [instanceStatusListener];
