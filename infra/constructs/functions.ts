import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { acknowledge } from '../nag.ts';
import { FUNCTIONS, type FunctionKey } from '../app-resources.ts';
import { repoRoot } from '../repo-root.ts';

// ESM bundles have no `require`; some dependencies (the AWS SDK's, for one) still call it.
const CREATE_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);";

export interface AppFunctionsProps {
  /** Environment every function gets, keyed by the names in ENV. */
  readonly environment: Record<string, string>;
  readonly logRetention?: RetentionDays;
}

/** One NodejsFunction per FUNCTIONS entry, bundled by the local esbuild into ESM. */
export class AppFunctions extends Construct {
  private readonly functions = new Map<FunctionKey, NodejsFunction>();

  constructor(scope: Construct, id: string, props: AppFunctionsProps) {
    super(scope, id);

    for (const [key, spec] of Object.entries(FUNCTIONS) as [FunctionKey, (typeof FUNCTIONS)[FunctionKey]][]) {
      // An explicit log group, so retention is set by the stack and not left at "never expire".
      const logGroup = new LogGroup(this, `${key}Logs`, { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
      const fn = new NodejsFunction(this, key, {
        entry: join(repoRoot, spec.entry),
        handler: spec.handler,
        description: spec.description,
        projectRoot: repoRoot,
        depsLockFilePath: join(repoRoot, 'package-lock.json'),
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        memorySize: spec.memoryMiB,
        timeout: Duration.seconds(spec.timeoutSeconds),
        environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
        logGroup,
        loggingFormat: LoggingFormat.JSON,
        tracing: Tracing.ACTIVE,
        bundling: {
          format: OutputFormat.ESM,
          // Bundle the AWS SDK too: the runtime's copy is whatever version Lambda ships, the
          // bundled one is the version the tests ran against.
          externalModules: [],
          target: 'node22',
          platform: 'node',
          mainFields: ['module', 'main'],
          banner: CREATE_REQUIRE_BANNER,
          minify: true,
          sourceMap: true,
          forceDockerBundling: false,
        },
      });
      this.functions.set(key, fn);

      acknowledge(
        fn,
        [
          {
            id: 'AwsSolutions-L1',
            reason:
              'nodejs22.x on purpose: the bundle targets node22 and the code is tested on Node 20/22; moving to a newer runtime is a tested change, not an automatic one.',
          },
          {
            id: 'AwsSolutions-IAM4',
            reason: 'AWSLambdaBasicExecutionRole only allows writing this function\'s own CloudWatch logs.',
            findings: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
          },
          {
            id: 'AwsSolutions-IAM5',
            reason: 'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions.',
            findings: ['Resource::*'],
          },
        ],
      );
    }
  }

  get(key: FunctionKey): NodejsFunction {
    const fn = this.functions.get(key);
    if (!fn) throw new Error(`no function '${key}' in FUNCTIONS`);
    return fn;
  }
}
