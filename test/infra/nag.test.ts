import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from '../../infra/nag.ts';
import { synthStack } from '../support/synth-stack.ts';

// cdk-nag 3 runs as a policy-validation plugin at synth; validateScope is the same check,
// run directly so that a test can list what it finds.
function findings(stack: ReturnType<typeof synthStack>) {
  Template.fromStack(stack); // synthesize first, as `cdk synth` would before validating
  return new AwsSolutionsChecks().validateScope(stack).violations.map((violation) => ({
    rule: violation.ruleName,
    severity: violation.severity,
    at: violation.violatingResources.map((resource) => resource.constructPath),
  }));
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the stack with a workflow', () => {
    expect(findings(synthStack())).toEqual([]);
  });

  it('finds nothing unacknowledged in the stack as `cdk synth` builds it (no env, WORKFLOWS from app-resources)', () => {
    expect(findings(synthStack({ env: undefined, workflows: undefined, workflowsDir: undefined }))).toEqual([]);
  });

  it('is really checking: a queue without TLS enforcement or a DLQ is reported', () => {
    const stack = synthStack();
    new Queue(stack, 'Careless', { enforceSSL: false });
    expect(findings(stack).map((finding) => finding.rule)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });
});
