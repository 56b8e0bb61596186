/**
 * Starts a workflow of WORKFLOWS (infra/app-resources.ts) through the Step Functions API. The
 * state machines' ARNs come from the environment (STATE_MACHINE_ARNS), the endpoint from the
 * SDK's own configuration (AWS_ENDPOINT_URL_SFN points it at local/states on one machine).
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ENV } from '../../infra/app-resources.ts';

/** One client per container, shared with executions.ts. */
export const sfn = new SFNClient({});

export class WorkflowNotDeployedError extends Error {
  constructor(readonly workflow: string) {
    super(`no state machine for workflow ${workflow} in ${ENV.stateMachineArns}`);
    this.name = 'WorkflowNotDeployedError';
  }
}

/** Workflow key -> state machine ARN, as deployed. */
export const deployedStateMachineArns = (): Record<string, string> => JSON.parse(process.env[ENV.stateMachineArns] ?? '{}');

/** The ARN of a workflow's state machine, as deployed (STATE_MACHINE_ARNS). */
export function stateMachineArn(workflow: string): string {
  const arn = deployedStateMachineArns()[workflow];
  if (!arn) throw new WorkflowNotDeployedError(workflow);
  return arn;
}

/**
 * Starts one execution named `name`. Step Functions runs one execution per name: starting the
 * same name with the same input again is answered with that execution (so a retry starts
 * nothing twice), with another input it is refused, which is reported as a clash (false).
 */
export async function startWorkflow(workflow: string, name: string, input: unknown): Promise<boolean> {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(workflow), name, input: JSON.stringify(input) }));
    return true;
  } catch (err) {
    if (err instanceof ExecutionAlreadyExists) return false;
    throw err;
  }
}
