// cdk-nag 3 is a CDK policy-validation plugin: findings are acknowledged with CDK's own
// Validations.of(scope).acknowledge, one rule id (or `RuleId[finding]`) at a time, and match
// exactly. These helpers keep each acknowledgement next to the construct it is about.
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import cdkNag from 'cdk-nag';
// The same flattening IAM5 applies to a policy's resources, so findings match exactly.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

// CommonJS whose named exports Node's ESM loader cannot see; take them from the default.
export const { AwsSolutionsChecks, rules } = cdkNag;

export interface Acknowledgement {
  /** e.g. 'AwsSolutions-IAM5' */
  readonly id: string;
  /** Why the finding is acceptable here. */
  readonly reason: string;
  /** Only these findings of a multi-finding rule, e.g. 'Resource::*'. */
  readonly findings?: string[];
}

/** Acknowledges findings on `scope` and everything below it. */
export function acknowledge(scope: IConstruct, acknowledgements: Acknowledgement[]): void {
  for (const { id, reason, findings } of acknowledgements) {
    const ids = findings ? findings.map((finding) => `${id}[${finding}]`) : [id];
    for (const ruleId of ids) Validations.of(scope).acknowledge({ id: ruleId, reason });
  }
}

/** How IAM5 names a resource in a finding: `Resource::<Logical.Arn>:*` for `${fn.functionArn}:*`. */
export function resourceFinding(scope: IConstruct, resource: string): string {
  return `Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}`;
}

/**
 * Acknowledges the IAM5 wildcards in the policies under `scope` as they stand now. Only for
 * constructs CDK owns (BucketDeployment's handler, say), whose policies this app does not write;
 * a statement added later is not covered and will be reported.
 */
export function acknowledgeCdkOwnedWildcards(scope: IConstruct, reason: string): void {
  for (const node of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(node)) continue;
    const findings = rules.iam.IAMNoWildcardPermissions(node);
    if (Array.isArray(findings)) acknowledge(node, [{ id: 'AwsSolutions-IAM5', reason, findings }]);
  }
}
