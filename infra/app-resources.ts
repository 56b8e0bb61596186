/**
 * The one list of the application's cloud resources. The CDK app (infra/) builds AWS resources
 * from it and the embedded cloud (local/) builds its stand-ins from it, so a table index, a
 * function or a state machine cannot exist in one cloud and be missing in the other.
 *
 * Pure data: no CDK or AWS SDK imports, so local/ and functions/ can import it cheaply.
 */
import { BUILT_IN_ROLE_IDS } from '../functions/contracts/role-ids.ts';

/** Environment variable names the functions read. Only endpoints and names come from here. */
export const ENV = {
  tableName: 'TABLE_NAME',
  /** JSON object: workflow key -> state machine ARN. */
  stateMachineArns: 'STATE_MACHINE_ARNS',
  /** Issuer URL of the identity provider (Cognito user pool, or the local one). */
  authIssuer: 'AUTH_ISSUER',
  /** The files bucket (FILES_BUCKET): CSV files uploaded for import, exports too large for a response. */
  filesBucket: 'FILES_BUCKET',
  /** The Cognito user pool the API administers users in (AdminCreateUser, ...). */
  userPoolId: 'USER_POOL_ID',
  /** The address people open the app at (https://crm.example.com), or empty: the invitation links to its sign-in page. */
  appUrl: 'APP_URL',
} as const;

/** The single DynamoDB table. Every GSI is declared here up front: dynalite cannot add one later. */
export const TABLE = {
  /** Logical name; the deployed name comes from CloudFormation, the local one is this. */
  name: 'sheetflow',
  partitionKey: 'pk',
  sortKey: 'sk',
  /**
   * Overloaded GSIs, each with string keys `${name}pk` / `${name}sk`. gsi5 (records by change
   * time) came later: local/dynamo adds a declared index an existing local table lacks.
   */
  globalSecondaryIndexes: ['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5'] as const,
  timeToLiveAttribute: 'expiresAt',
} as const;

/**
 * The files bucket: what does not fit an HTTP request or response. An import's CSV is uploaded
 * to it with a presigned PUT and read from it as a stream; an export too large for a response is
 * written to it and fetched with a presigned GET. Objects live under `prefixes` and expire after
 * `expireAfterDays` (a lifecycle rule in AWS): the bucket is a hand-over, not an archive.
 */
export const FILES_BUCKET = {
  /** Logical name; the deployed name comes from CloudFormation, the local one is this. */
  name: 'sheetflow-files',
  prefixes: { imports: 'imports/', exports: 'exports/' },
  expireAfterDays: 7,
} as const;

export type GsiName = (typeof TABLE.globalSecondaryIndexes)[number];
export const gsiKeys = (index: GsiName) => ({ pk: `${index}pk`, sk: `${index}sk` });

/**
 * Lambda functions. `entry` is relative to the repository root; `handler` is the export name.
 * `http` functions sit behind the HTTP API; `stream` consumes the table's change stream.
 */
export const FUNCTIONS = {
  api: {
    entry: 'functions/api/handler.ts',
    handler: 'handler',
    description: 'HTTP API: records, views and processes',
    memoryMiB: 1024,
    timeoutSeconds: 29,
  },
  imports: {
    entry: 'functions/imports/handler.ts',
    handler: 'handler',
    description: 'CSV import of an uploaded file, a stretch at a time (the csv-import workflow loops it)',
    memoryMiB: 1024,
    // Lambda's limit. A stretch stops well before it (functions/imports/handler.ts) and the
    // workflow invokes the function again from the job's checkpoint.
    timeoutSeconds: 900,
  },
  postAuthentication: {
    entry: 'functions/users/post-authentication.ts',
    handler: 'handler',
    description: 'Cognito post-authentication trigger: sign-ins to the audit log, new users to the directory',
    memoryMiB: 256,
    // Cognito waits at most 5 s for a trigger.
    timeoutSeconds: 5,
  },
  invitationMessage: {
    entry: 'functions/users/invitation-message.ts',
    handler: 'handler',
    description: 'Cognito custom message trigger: the invitation names the company (the tenant\'s name) and links to sign-in',
    memoryMiB: 256,
    timeoutSeconds: 5,
  },
  statusEvents: {
    entry: 'functions/processes/status-events.ts',
    handler: 'handler',
    description: "Workflow executions' status changes (EventBridge's Step Functions Execution Status Change), handed to their workflow's listeners",
    memoryMiB: 256,
    timeoutSeconds: 30,
  },
  processSteps: {
    entry: 'functions/processes/steps.ts',
    handler: 'handler',
    description: "Process steps: a process's state machine keeps its instance item current (step, assignee, outcome)",
    memoryMiB: 256,
    timeoutSeconds: 30,
  },
  stream: {
    entry: 'functions/stream/handler.ts',
    handler: 'handler',
    description: 'Table change stream consumer',
    memoryMiB: 512,
    timeoutSeconds: 60,
  },
} as const;

export type FunctionKey = keyof typeof FUNCTIONS;

/**
 * The most a synchronously invoked Lambda function may answer: its result serialised as JSON
 * (statusCode, headers and body together). Lambda documents "6 MB" and refuses a response past
 * 6,291,556 bytes (`Function.ResponseSizeTooLarge`), which an HTTP API answers with
 * `500 {"message":"Internal Server Error"}`. The local gateway enforces the same.
 */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6_291_556;

/** HTTP API routes, in API Gateway route-key syntax. The local gateway serves the same table. */
export const HTTP_ROUTES: ReadonlyArray<{ routeKey: string; function: FunctionKey; auth: 'jwt' | 'none' }> = [
  { routeKey: 'ANY /api/{proxy+}', function: 'api', auth: 'jwt' },
];

/** Stream consumers of the table (an event source mapping in AWS, the local poller here). */
export const STREAM_CONSUMERS: ReadonlyArray<{ function: FunctionKey; batchSize: number; maxRetries: number }> = [
  { function: 'stream', batchSize: 100, maxRetries: 10 },
];

/**
 * Events of the workflows' executions and the function each goes to: an EventBridge rule in AWS
 * (source aws.states, this detail-type, the stack's state machines), the local engine's delivery
 * here. At least once: the target must be idempotent.
 */
export const WORKFLOW_EVENT_RULES: ReadonlyArray<{ detailType: 'Step Functions Execution Status Change'; function: FunctionKey }> = [
  { detailType: 'Step Functions Execution Status Change', function: 'statusEvents' },
];

/**
 * State machines: key -> definition file name under workflows/ (e.g. 'quick-sale.asl.json').
 * Definitions reference resources through `${Name}` DefinitionSubstitutions, filled by
 * `definitionSubstitutions`.
 */
export const WORKFLOWS: Record<string, { file: string; description: string }> = {
  'csv-import': { file: 'csv-import.asl.json', description: 'A CSV import of an uploaded file: the imports function, stretch after stretch, until the job is done' },
  'quick-sale': { file: 'quick-sale.asl.json', description: 'A quick sale: the order taken at its start, fulfilled in its configured steps, rated, followed up, closed' },
};

/**
 * Every deploy publishes a new version of each state machine and points this alias at it;
 * processes start on the alias, so a running instance keeps the version it started on.
 */
export const LIVE_ALIAS = 'live';

/**
 * The substitutions every definition may use, from resolved resource identifiers. CDK passes
 * tokens (function ARNs, table name); local/ passes its own ARNs. One function, both clouds.
 */
export function definitionSubstitutions(
  resolved: {
    functionArn: (key: FunctionKey) => string;
    tableName: string;
    stateMachineArn: (key: string) => string;
  },
  /** The workflows to name; tests pass their own fixtures. */
  workflows: Record<string, unknown> = WORKFLOWS,
): Record<string, string> {
  const subs: Record<string, string> = { TableName: resolved.tableName };
  for (const key of Object.keys(FUNCTIONS) as FunctionKey[]) {
    subs[`${pascal(key)}FunctionArn`] = resolved.functionArn(key);
  }
  for (const key of Object.keys(workflows)) {
    subs[`${pascal(key)}StateMachineArn`] = resolved.stateMachineArn(key);
  }
  return subs;
}

function pascal(key: string): string {
  return key.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * User groups, one per built-in role (its id: functions/contracts/role-ids.ts); a user's groups
 * arrive in the `cognito:groups` claim. Cognito creates them in AWS; the local identity
 * provider knows the same names.
 */
export const USER_GROUPS = BUILT_IN_ROLE_IDS;
export type UserGroup = (typeof USER_GROUPS)[number];

/** The custom user attribute that carries the tenant; it reaches the API as `custom:tenant`. */
export const TENANT_ATTRIBUTE = 'tenant';
