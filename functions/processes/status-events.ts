/**
 * The target of the "Step Functions Execution Status Change" rule (EventBridge in AWS, the local
 * engine here): hands each event to the listeners of its workflow (status-listeners.ts). A
 * listener that throws fails the invocation, and the event is delivered again.
 */
import { deployedStateMachineArns } from '../workflows/start-workflow.ts';
import { STATUS_LISTENERS, type ExecutionStatusChange, type StatusListener } from './status-listeners.ts';

/** The workflow key of a state machine ARN, from STATE_MACHINE_ARNS (versions and aliases included). */
function workflowOf(stateMachineArn: string): string | undefined {
  return Object.entries(deployedStateMachineArns()).find(([, arn]) => stateMachineArn === arn || stateMachineArn.startsWith(`${arn}:`))?.[0];
}

export async function handleStatusChange(event: ExecutionStatusChange, listeners: StatusListener[] = STATUS_LISTENERS): Promise<void> {
  const workflow = workflowOf(event.detail.stateMachineArn);
  for (const listener of listeners) {
    if (workflow !== undefined && listener.workflows.includes(workflow)) await listener.listen(event);
  }
}

export const handler = (event: ExecutionStatusChange): Promise<void> => handleStatusChange(event);
