import { CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { ENV, FUNCTIONS, HTTP_ROUTES, STREAM_CONSUMERS, type FunctionKey } from './app-resources.ts';
import { Api } from './constructs/api.ts';
import { Auth, PASSWORD_POLICY } from './constructs/auth.ts';
import { DataTable } from './constructs/data-table.ts';
import { FilesBucket } from './constructs/files-bucket.ts';
import { AppFunctions } from './constructs/functions.ts';
import { StreamConsumer } from './constructs/stream-consumers.ts';
import { Schedules } from './constructs/schedules.ts';
import { WebHosting } from './constructs/web-hosting.ts';
import { stateMachineArns, Workflows, type WorkflowSpecs } from './constructs/workflows.ts';
import { repoRoot } from './repo-root.ts';

export interface SheetflowStackProps extends StackProps {
  /** Defaults to WORKFLOWS from app-resources.ts; tests pass fixtures. */
  readonly workflows?: WorkflowSpecs;
  /** Where the workflow definition files are; defaults to workflows/. */
  readonly workflowsDir?: string;
  /** The built SPA; defaults to frontend/build. */
  readonly frontendDir?: string;
  /** Extra origins allowed to call the API directly (e.g. http://localhost:5173). */
  readonly corsOrigins?: string[];
}

/** Everything Sheetflow needs in one AWS account and region, built from app-resources.ts. */
export class SheetflowStack extends Stack {
  readonly table: DataTable;
  readonly auth: Auth;
  readonly functions: AppFunctions;
  readonly workflows: Workflows;
  readonly api: Api;
  readonly web: WebHosting;
  readonly files: FilesBucket;

  constructor(scope: Construct, id: string, props: SheetflowStackProps = {}) {
    super(scope, id, props);
    const workflowSpecs = props.workflows;

    this.table = new DataTable(this, 'Data');
    // Known only once the distribution exists (its URL is an output), or a custom domain's.
    const appUrl = new CfnParameter(this, 'AppUrl', {
      type: 'String',
      default: '',
      allowedPattern: '^(https://[^/\\s]+)?$',
      constraintDescription: 'must be https://host, with no path, or empty',
      description: 'The address people open Sheetflow at (https://crm.example.com, or the Url output of a first deployment): the invitation e-mail links to its sign-in page. Empty: no link.',
    });
    this.auth = new Auth(this, 'Auth', { appUrl: appUrl.valueAsString });
    // Notifications are e-mailed through SES from a verified identity of the account (a domain or an address).
    const mailIdentity = new CfnParameter(this, 'MailIdentity', {
      type: 'String',
      default: '',
      allowedPattern: '^[^\\s/*]*$',
      description: 'The SES identity (a verified domain, e.g. crm.example.com, or address) notifications are e-mailed from; the functions may send from it and no other. Empty: no e-mail.',
    });
    const mailFrom = new CfnParameter(this, 'MailFrom', {
      type: 'String',
      default: '',
      description: 'The From of notification e-mails, an address of MailIdentity (e.g. Sheetflow <notify@crm.example.com>). Empty: no e-mail is sent.',
    });

    // Only names and endpoints, as local/ sets them.
    this.functions = new AppFunctions(this, 'Functions', {
      environment: {
        [ENV.tableName]: this.table.tableName,
        [ENV.stateMachineArns]: this.toJsonString(stateMachineArns(this, workflowSpecs)),
        [ENV.mailFrom]: mailFrom.valueAsString,
      },
    });

    this.workflows = new Workflows(this, 'Workflows', {
      functions: this.functions,
      table: this.table,
      workflows: workflowSpecs,
      definitionsDir: props.workflowsDir,
    });

    const api = this.functions.get('api');
    this.table.grantReadWriteData(api);
    // Users are invited, deactivated and reset through Cognito's admin API (functions/users/).
    this.auth.administeredBy(api);
    // Sign-ins go to the audit log, a new user into the directory: reads and puts, and the update
    // that moves the directory's version on with the new user (functions/tenant-items/directory-version.ts).
    const postAuthentication = this.functions.get('postAuthentication');
    this.auth.afterSignIn(postAuthentication);
    postAuthentication.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], resources: [this.table.table.tableArn] }),
    );
    // The invitation names the tenant's company: it reads the tenant's name, and nothing else.
    this.auth.invitesWith(this.functions.get('invitationMessage'), this.table.table);
    this.workflows.grantProcessControl(api);
    // A process's steps keep its instance item current; its status changes end it
    // (functions/processes/): both read and write the table's items.
    this.table.grantReadWriteData(this.functions.get('processSteps'));
    const statusEvents = this.functions.get('statusEvents');
    this.table.grantReadWriteData(statusEvents);
    this.workflows.grantDescribeExecutions(statusEvents);

    for (const consumer of STREAM_CONSUMERS) {
      const handler = this.functions.get(consumer.function);
      new StreamConsumer(this, `${consumer.function}Stream`, {
        table: this.table.table,
        handler,
        batchSize: consumer.batchSize,
        maxRetries: consumer.maxRetries,
      });
    }
    // The stream handler writes the change feed (functions/changes/feed.ts), and reads records to
    // purge a field's values (purges/field-purge.ts) and to build a type's snapshot (views/snapshot-build.ts).
    this.table.grantReadWriteData(this.functions.get('stream'));
    // ... and sends a human task's recorded answer to Step Functions again (functions/tasks/).
    this.workflows.grantTaskAnswers(this.functions.get('stream'));
    // ... and starts a stage's process for a deal that entered the stage (functions/pipelines/stage-entry.ts).
    this.workflows.grantProcessStarts(this.functions.get('stream'));
    // ... and e-mails new notifications (functions/notifications/notification-mail.ts): SendEmail from the one identity.
    this.functions.get('stream').addToRolePolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: mailIdentity.valueAsString })] }),
    );
    // Reminders that are due fire every minute (functions/notifications/reminders.ts): they read
    // tasks and reminders and write notifications.
    this.table.grantReadWriteData(this.functions.get('reminders'));
    new Schedules(this, 'Schedules', { functions: this.functions });

    this.api = new Api(this, 'Api', {
      routes: HTTP_ROUTES,
      functions: this.functions,
      auth: this.auth,
      corsOrigins: props.corsOrigins,
    });

    const signInEndpoint = `https://cognito-idp.${this.region}.${this.urlSuffix}/`;
    this.web = new WebHosting(this, 'Web', {
      assetDir: props.frontendDir ?? join(repoRoot, 'frontend', 'build'),
      apiDomainName: this.api.originDomainName,
      // Same origin as the SPA: CloudFront sends /api/* to the HTTP API.
      clientConfig: {
        apiUrl: '',
        auth: { endpoint: signInEndpoint, clientId: this.auth.client.userPoolClientId, passwordPolicy: PASSWORD_POLICY },
      },
      // The SPA signs in with Cognito and PUTs import files to the files bucket's presigned URLs.
      // Any bucket of the region: naming this one would make a cycle (its CORS names the distribution).
      connectTo: [signInEndpoint, `https://*.s3.${this.region}.${this.urlSuffix}`],
    });

    // After the web hosting: the bucket's CORS names the SPA's origin. The functions learn its
    // name now (FILES_BUCKET), which makes them depend on the bucket, not the other way round.
    this.files = new FilesBucket(this, 'Files', { corsOrigins: [this.web.url, ...(props.corsOrigins ?? [])], accessLogs: this.web.accessLogs });
    for (const key of Object.keys(FUNCTIONS) as FunctionKey[]) this.functions.get(key).addEnvironment(ENV.filesBucket, this.files.bucketName);
    this.files.grantApi(api);
    // The imports function runs an import of an uploaded file (the csv-import workflow invokes it).
    const imports = this.functions.get('imports');
    this.files.grantImportReader(imports);
    this.table.grantReadWriteData(imports);

    new CfnOutput(this, 'Url', { value: this.web.url, description: 'Open this in a browser' });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'FilesBucketName', { value: this.files.bucketName });
    new CfnOutput(this, 'ApiEndpoint', { value: this.api.httpApi.apiEndpoint });
  }
}
