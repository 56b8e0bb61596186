import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnStateMachineAlias, CfnStateMachineVersion, DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge, resourceFinding } from '../nag.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitionSubstitutions, LIVE_ALIAS, WORKFLOW_EVENT_RULES, WORKFLOWS, type FunctionKey } from '../app-resources.ts';
import { repoRoot } from '../repo-root.ts';
import type { AppFunctions } from './functions.ts';
import type { DataTable } from './data-table.ts';

export type WorkflowSpecs = Record<string, { file: string; description: string }>;

export interface WorkflowsProps {
  readonly functions: AppFunctions;
  readonly table: DataTable;
  /** Defaults to WORKFLOWS; tests pass fixtures. */
  readonly workflows?: WorkflowSpecs;
  /** Where the definition files are; defaults to workflows/ in the repository. */
  readonly definitionsDir?: string;
  readonly logRetention?: RetentionDays;
}

/**
 * One STANDARD state machine per workflow, its ASL file used as written: resources are
 * filled in through DefinitionSubstitutions, the same names local/ fills.
 *
 * State machines get fixed names and are referred to by ARNs built from those names, not by
 * Ref. Functions start the machines and the machines invoke the functions (and each other);
 * with Refs both ways CloudFormation would see a dependency cycle.
 */
export class Workflows extends Construct {
  readonly stateMachines = new Map<string, StateMachine>();
  private readonly specs: WorkflowSpecs;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    this.specs = props.workflows ?? WORKFLOWS;
    const dir = props.definitionsDir ?? join(repoRoot, 'workflows');

    const substitutions = definitionSubstitutions(
      {
        functionArn: (key) => props.functions.get(key).functionArn,
        tableName: props.table.tableName,
        stateMachineArn: (key) => this.stateMachineArn(key),
      },
      this.specs,
    );
    // The same call with markers in place of values says what each placeholder stands for,
    // without restating the naming rule that lives in app-resources.ts.
    const meaning = definitionSubstitutions(
      { functionArn: (key) => `function:${key}`, tableName: 'table', stateMachineArn: (key) => `stateMachine:${key}` },
      this.specs,
    );

    // A child started with `.waitForTaskToken` answers its parent's token: granted once both exist.
    const callbackChildren: Array<{ child: string; parent: string }> = [];
    for (const [key, spec] of Object.entries(this.specs)) {
      const file = join(dir, spec.file);
      if (!existsSync(file)) throw new Error(`workflow '${key}': no definition file ${file}`);
      const definition = readFileSync(file, 'utf8');
      const placeholders = new Set([...definition.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
      const unknown = [...placeholders].filter((name) => !(name in substitutions));
      // Step Functions would leave an unknown placeholder in place and fail only at run time.
      if (unknown.length) {
        throw new Error(`workflow '${key}': ${spec.file} uses \${${unknown.join('}, ${')}}, which definitionSubstitutions() does not provide`);
      }

      const stateMachine = new StateMachine(this, key, {
        stateMachineName: this.stateMachineName(key),
        comment: spec.description,
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromString(definition),
        definitionSubstitutions: substitutions,
        tracingEnabled: true,
        logs: {
          // The vendedlogs prefix keeps CloudWatch's resource policy from growing per log group.
          destination: new LogGroup(this, `${key}Logs`, {
            logGroupName: `/aws/vendedlogs/states/${this.stateMachineName(key)}`,
            retention: props.logRetention ?? RetentionDays.ONE_MONTH,
          }),
          level: LogLevel.ALL,
          // Inputs and outputs are CRM records; they stay in the execution history, not in logs.
          includeExecutionData: false,
        },
      });
      this.stateMachines.set(key, stateMachine);
      this.publishLive(key, stateMachine);

      acknowledge(stateMachine, [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'Log delivery and X-Ray actions do not support resource-level permissions.',
          findings: ['Resource::*'],
        },
      ]);

      // Grant only what the definition refers to, and what its integration patterns need.
      for (const task of taskTargets(definition)) {
        const [kind, target] = (meaning[task.placeholder] ?? '').split(':');
        if (kind === 'function' && task.pattern === 'waitForTaskToken') {
          // Whoever is handed the token may send it back (SendTaskSuccess/Failure/Heartbeat).
          this.grantTaskResponse(props.functions.get(target as FunctionKey), key);
        } else if (kind === 'stateMachine' && task.pattern === 'sync') {
          this.grantSyncStart(stateMachine, target);
        } else if (kind === 'stateMachine' && task.pattern === 'waitForTaskToken') {
          callbackChildren.push({ child: target, parent: key });
        }
      }
      for (const name of placeholders) {
        const [kind, target] = meaning[name].split(':');
        if (kind === 'function') {
          const fn = props.functions.get(target as FunctionKey);
          fn.grantInvoke(stateMachine);
          acknowledge(stateMachine, [
            {
              id: 'AwsSolutions-IAM5',
              reason: `The definition names the ${target} function; <arn>:* covers its versions and aliases.`,
              findings: [resourceFinding(this, `${fn.functionArn}:*`)],
            },
          ]);
        } else if (kind === 'table') {
          props.table.grantReadWriteData(stateMachine);
        } else if (kind === 'stateMachine') {
          // Every pattern starts the child; `.sync` and callbacks add their grants above.
          stateMachine.addToRolePolicy(
            new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn(target)] }),
          );
        }
      }
    }
    for (const { child, parent } of callbackChildren) {
      const machine = this.stateMachines.get(child);
      if (machine) this.grantTaskResponse(machine, parent);
    }
    if (this.stateMachines.size) this.routeStatusEvents(props.functions);
  }

  /**
   * Each deploy that changes a definition publishes its revision as a new version and moves the
   * `live` alias to it; processes start on the alias, so an instance keeps the version it started
   * on. Old versions are kept (retained, not deleted with their replacement): instances still run
   * on them.
   */
  private publishLive(key: string, stateMachine: StateMachine): void {
    const version = new CfnStateMachineVersion(this, `${key}Version`, {
      stateMachineArn: stateMachine.stateMachineArn,
      stateMachineRevisionId: stateMachine.stateMachineRevisionId,
      description: 'published by the deploy',
    });
    version.applyRemovalPolicy(RemovalPolicy.RETAIN);
    new CfnStateMachineAlias(this, `${key}Live`, {
      name: LIVE_ALIAS,
      description: 'the version new instances start on',
      routingConfiguration: [{ stateMachineVersionArn: version.attrArn, weight: 100 }],
    });
  }

  /**
   * The rules of WORKFLOW_EVENT_RULES: this stack's executions' status changes to their function,
   * retried for a day, then kept on a queue rather than lost.
   */
  private routeStatusEvents(functions: AppFunctions): void {
    const failures = new Queue(this, 'StatusEventFailures', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    acknowledge(failures, [{ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the status-change rule targets.' }]);
    for (const rule of WORKFLOW_EVENT_RULES) {
      new Rule(this, `${rule.function}Rule`, {
        description: `${rule.detailType} of this stack's workflows`,
        eventPattern: {
          source: ['aws.states'],
          detailType: [rule.detailType],
          detail: { stateMachineArn: [...this.stateMachines.keys()].map((key) => this.stateMachineArn(key)) },
        },
        targets: [new LambdaFunction(functions.get(rule.function), { deadLetterQueue: failures, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
      });
    }
  }

  /** SendTaskSuccess/Failure/Heartbeat on the tasks of workflow `key`. */
  private grantTaskResponse(grantee: IGrantable, key: string): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        resources: [this.stateMachineArn(key)],
      }),
    );
  }

  /**
   * What `states:startExecution.sync:2` needs beyond StartExecution (AWS docs, "IAM policies for
   * nested workflows"): to read and stop the child's executions, and the managed rule through which
   * Step Functions hears that the child ended.
   */
  private grantSyncStart(parent: StateMachine, child: string): void {
    const stack = Stack.of(this);
    const executions = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${this.stateMachineName(child)}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    parent.addToRolePolicy(new PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [executions] }));
    parent.addToRolePolicy(
      new PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule' })],
      }),
    );
    acknowledge(parent, [
      {
        id: 'AwsSolutions-IAM5',
        reason: `A .sync:2 task waits for the ${child} executions it starts; their names are made at run time.`,
        findings: [resourceFinding(this, executions)],
      },
    ]);
  }

  stateMachineName(key: string): string {
    return stateMachineName(Stack.of(this), key);
  }

  stateMachineArn(key: string): string {
    return stateMachineArn(Stack.of(this), key);
  }

  /**
   * What the stream function does to start a stage's process for a deal that entered the stage
   * (functions/pipelines/stage-entry.ts): start it on the live alias, and read the execution a
   * start meets (a retried delivery) to answer its instance.
   */
  grantProcessStarts(grantee: IGrantable): void {
    const keys = Object.keys(this.specs);
    if (keys.length === 0) return;
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: keys.map((key) => `${this.stateMachineArn(key)}:${LIVE_ALIAS}`) }));
    this.grantDescribeExecutions(grantee);
  }

  /** What the status-change target reads of an execution whose event left its input out (past 248 KB). */
  grantDescribeExecutions(grantee: IGrantable): void {
    const keys = Object.keys(this.specs);
    if (keys.length === 0) return;
    const executionArns = keys.map((key) => this.executionArns(key));
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: executionArns }));
    if (grantee instanceof Construct) {
      acknowledge(grantee, [{ id: 'AwsSolutions-IAM5', reason: 'Executions are created at run time; the wildcard covers only the executions of this stack\'s state machines.', findings: executionArns.map((arn) => resourceFinding(this, arn)) }]);
    }
  }

  /**
   * What the stream function does to deliver a human task's recorded answer again (functions/
   * tasks/): answer its token, and read the execution's history for an answer already applied.
   */
  grantTaskAnswers(grantee: IGrantable): void {
    const keys = Object.keys(this.specs);
    if (keys.length === 0) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: keys.map((key) => this.stateMachineArn(key)) }),
    );
    const executionArns = keys.map((key) => this.executionArns(key));
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:GetExecutionHistory'], resources: executionArns }));
    if (grantee instanceof Construct) {
      acknowledge(grantee, [{ id: 'AwsSolutions-IAM5', reason: 'Executions are created at run time; the wildcard covers only the executions of this stack\'s state machines.', findings: executionArns.map((arn) => resourceFinding(this, arn)) }]);
    }
  }

  private executionArns(key: string): string {
    return Stack.of(this).formatArn({ service: 'states', resource: 'execution', resourceName: `${this.stateMachineName(key)}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  }

  /**
   * What the API does with processes: start and stop them, read their state and history, and
   * complete human tasks (the callback pattern's SendTaskSuccess/Failure/Heartbeat).
   */
  grantProcessControl(grantee: IGrantable): void {
    const keys = Object.keys(this.specs);
    if (keys.length === 0) return;
    const executionArn = (key: string) => this.executionArns(key);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'states:StartExecution',
          'states:ListExecutions',
          'states:DescribeStateMachine',
          // A task token is authorised against the state machine that issued it.
          'states:SendTaskSuccess',
          'states:SendTaskFailure',
          'states:SendTaskHeartbeat',
        ],
        resources: keys.map((key) => this.stateMachineArn(key)),
      }),
    );
    // Processes start on the live alias; a start on an alias is authorised against the alias (the monitor reads its version).
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution', 'states:DescribeStateMachineAlias'], resources: keys.map((key) => `${this.stateMachineArn(key)}:${LIVE_ALIAS}`) }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        // An instance's page: its history, and the definition (of its version) it runs.
        actions: ['states:DescribeExecution', 'states:StopExecution', 'states:GetExecutionHistory', 'states:DescribeStateMachineForExecution'],
        resources: keys.map(executionArn),
      }),
    );
    if (grantee instanceof Construct) {
      acknowledge(grantee, [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'Executions are created at run time; the wildcard covers only the executions of this stack\'s state machines.',
          findings: keys.map((key) => resourceFinding(this, executionArn(key))),
        },
      ]);
    }
  }
}

/** Names are per stack so that two stages can live in one account. */
export function stateMachineName(stack: Stack, key: string): string {
  return `${stack.stackName}-${key}`;
}

export function stateMachineArn(stack: Stack, key: string): string {
  return stack.formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineName(stack, key),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** Key -> ARN, as the functions read it from STATE_MACHINE_ARNS. Known before the machines exist. */
export function stateMachineArns(stack: Stack, workflows: WorkflowSpecs = WORKFLOWS): Record<string, string> {
  return Object.fromEntries(Object.keys(workflows).map((key) => [key, stateMachineArn(stack, key)]));
}

/** The Task states of a definition, with the placeholder their target is named by and their pattern. */
function taskTargets(definition: string): Array<{ placeholder: string; pattern: 'requestResponse' | 'sync' | 'waitForTaskToken' }> {
  const out: Array<{ placeholder: string; pattern: 'requestResponse' | 'sync' | 'waitForTaskToken' }> = [];
  const visit = (container: any) => {
    for (const state of Object.values<any>(container?.States ?? {})) {
      if (state?.Type === 'Task' && typeof state.Resource === 'string') {
        const pattern = /\.sync(:2)?$/.test(state.Resource) ? 'sync' : state.Resource.endsWith('.waitForTaskToken') ? 'waitForTaskToken' : 'requestResponse';
        const named = JSON.stringify(state.Arguments?.FunctionName ?? state.Arguments?.StateMachineArn ?? '');
        for (const [, placeholder] of named.matchAll(/\$\{(\w+)\}/g)) out.push({ placeholder, pattern });
      }
      for (const branch of state?.Branches ?? []) visit(branch);
      if (state?.ItemProcessor) visit(state.ItemProcessor);
    }
  };
  visit(JSON.parse(definition));
  return out;
}
