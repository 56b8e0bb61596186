/**
 * The Step Functions JSON API (awsJson1_0: POST /, `X-Amz-Target: AWSStepFunctions.<Operation>`),
 * enough for `@aws-sdk/client-sfn` and the AWS CLI. Errors answer `{__type, message}` with AWS's
 * names, so SDK callers can catch them by class. Dates are epoch seconds, as AWS sends them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import type { Engine } from '../engine.ts';
import type { AliasRecord, ExecutionRecord, StateMachineRecord, VersionRecord } from '../store.ts';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
const arn = z.string().min(1);
/** Request fields bounded as the AWS API reference bounds them (lengths in characters). */
const definitionText = z.string().min(1).max(1_048_576);
const roleArn = z.string().min(1).max(256);
const taskToken = z.string().min(1).max(2048);
const errorName = z.string().max(256);
const causeText = z.string().max(32_768);
/** SendTaskSuccess's output: 256 KiB as every state's data (UTF-8 bytes, as the engine counts a state's output). */
const taskOutput = z.string().refine((text) => Buffer.byteLength(text) <= 262_144, 'Member must have length less than or equal to 262144');
const page = { maxResults: z.number().int().min(0).max(1000).optional(), nextToken: z.string().optional() };
const STATUS = z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);

function describeStateMachine(sm: StateMachineRecord, version?: VersionRecord) {
  return {
    stateMachineArn: version?.arn ?? sm.arn,
    name: sm.name,
    status: 'ACTIVE',
    definition: version?.definition ?? sm.definition,
    roleArn: version?.roleArn ?? sm.roleArn,
    type: sm.type,
    creationDate: seconds(version?.creationDate ?? sm.creationDate),
    revisionId: version?.revisionId ?? sm.revisionId,
    ...(version?.description !== undefined ? { description: version.description } : {}),
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
  };
}

function executionListItem(e: ExecutionRecord) {
  return {
    executionArn: e.arn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
    ...(e.stopDate !== undefined ? { stopDate: seconds(e.stopDate) } : {}),
    ...(e.stateMachineVersionArn ? { stateMachineVersionArn: e.stateMachineVersionArn } : {}),
    ...(e.stateMachineAliasArn ? { stateMachineAliasArn: e.stateMachineAliasArn } : {}),
    redriveCount: e.redriveCount ?? 0,
    ...(e.redriveDate !== undefined ? { redriveDate: seconds(e.redriveDate) } : {}),
  };
}

function describeExecution(engine: Engine, e: ExecutionRecord) {
  return {
    ...executionListItem(e),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
    ...engine.redriveStatus(e),
  };
}

const versionArn = z.string().min(1);
const routing = z.array(z.object({ stateMachineVersionArn: versionArn, weight: z.number() })).min(1).max(2);

function describeAlias(alias: AliasRecord) {
  return {
    stateMachineAliasArn: alias.arn,
    name: alias.name,
    ...(alias.description !== undefined ? { description: alias.description } : {}),
    routingConfiguration: alias.routingConfiguration,
    creationDate: seconds(alias.creationDate),
    ...(alias.updateDate !== undefined ? { updateDate: seconds(alias.updateDate) } : {}),
  };
}

/** Pages over a list already in memory (versions, aliases: a thousand at most). */
function pageOf<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined): { items: T[]; nextToken?: string } {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw new ApiError('InvalidToken', `Invalid Token: '${nextToken}'`);
  const limit = maxResults || 100;
  const end = start + limit;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}) };
}

type Operation = { schema: z.ZodType; run: (engine: Engine, input: any) => Promise<unknown> };

const OPERATIONS: Record<string, Operation> = {
  CreateStateMachine: {
    schema: z.object({
      name: z.string(),
      definition: definitionText,
      roleArn,
      type: z.string().optional(),
      publish: z.boolean().optional(),
      versionDescription: z.string().max(256).optional(),
    }),
    run: async (engine, input) => {
      const { sm, version } = await engine.createStateMachine(input);
      return { stateMachineArn: sm.arn, creationDate: seconds(sm.creationDate), ...(version ? { stateMachineVersionArn: version.arn } : {}) };
    },
  },
  UpdateStateMachine: {
    schema: z.object({
      stateMachineArn: arn,
      definition: definitionText.optional(),
      roleArn: roleArn.optional(),
      publish: z.boolean().optional(),
      versionDescription: z.string().max(256).optional(),
    }),
    run: async (engine, input) => {
      const { sm, version } = await engine.updateStateMachine(input);
      return { updateDate: seconds(sm.updateDate), revisionId: sm.revisionId, ...(version ? { stateMachineVersionArn: version.arn } : {}) };
    },
  },
  DeleteStateMachine: {
    schema: z.object({ stateMachineArn: arn }),
    run: async (engine, input) => (await engine.deleteStateMachine(input.stateMachineArn), {}),
  },
  DescribeStateMachine: {
    schema: z.object({ stateMachineArn: arn }),
    run: async (engine, input) => {
      const { sm, version } = await engine.describeStateMachine(input.stateMachineArn);
      return describeStateMachine(sm, version);
    },
  },
  DescribeStateMachineForExecution: {
    schema: z.object({ executionArn: arn }),
    run: async (engine, input) => {
      const { record, sm } = await engine.stateMachineForExecution(input.executionArn);
      return {
        stateMachineArn: sm.arn,
        name: sm.name,
        definition: record.definition,
        roleArn: sm.roleArn,
        updateDate: seconds(sm.updateDate ?? sm.creationDate),
        ...(record.revisionId !== undefined ? { revisionId: record.revisionId } : {}),
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      };
    },
  },
  PublishStateMachineVersion: {
    schema: z.object({ stateMachineArn: arn, revisionId: z.string().optional(), description: z.string().max(256).optional() }),
    run: async (engine, input) => {
      const version = await engine.versions.publish(input.stateMachineArn, input);
      return { creationDate: seconds(version.creationDate), stateMachineVersionArn: version.arn };
    },
  },
  ListStateMachineVersions: {
    schema: z.object({ stateMachineArn: arn, ...page }),
    run: async (engine, input) => {
      const { items, nextToken } = pageOf(await engine.versions.listVersions(input.stateMachineArn), input.maxResults, input.nextToken);
      return { stateMachineVersions: items.map((v) => ({ stateMachineVersionArn: v.arn, creationDate: seconds(v.creationDate) })), ...(nextToken ? { nextToken } : {}) };
    },
  },
  DeleteStateMachineVersion: {
    schema: z.object({ stateMachineVersionArn: versionArn }),
    run: async (engine, input) => (await engine.versions.deleteVersion(input.stateMachineVersionArn), {}),
  },
  CreateStateMachineAlias: {
    schema: z.object({ name: z.string(), description: z.string().max(256).optional(), routingConfiguration: routing }),
    run: async (engine, input) => {
      const alias = await engine.versions.createAlias(input);
      return { stateMachineAliasArn: alias.arn, creationDate: seconds(alias.creationDate) };
    },
  },
  UpdateStateMachineAlias: {
    schema: z.object({ stateMachineAliasArn: arn, description: z.string().max(256).optional(), routingConfiguration: routing.optional() }),
    run: async (engine, input) => ({ updateDate: seconds((await engine.versions.updateAlias(input)).updateDate) }),
  },
  DescribeStateMachineAlias: {
    schema: z.object({ stateMachineAliasArn: arn }),
    run: async (engine, input) => describeAlias(await engine.versions.alias(input.stateMachineAliasArn)),
  },
  ListStateMachineAliases: {
    schema: z.object({ stateMachineArn: arn, ...page }),
    run: async (engine, input) => {
      const { items, nextToken } = pageOf(await engine.versions.listAliases(input.stateMachineArn), input.maxResults, input.nextToken);
      return { stateMachineAliases: items.map((a) => ({ stateMachineAliasArn: a.arn, creationDate: seconds(a.creationDate) })), ...(nextToken ? { nextToken } : {}) };
    },
  },
  DeleteStateMachineAlias: {
    schema: z.object({ stateMachineAliasArn: arn }),
    run: async (engine, input) => (await engine.versions.deleteAlias(input.stateMachineAliasArn), {}),
  },
  ListStateMachines: {
    schema: z.object(page),
    run: async (engine, input) => {
      const { items, nextToken } = await engine.listStateMachines(input.maxResults || 100, input.nextToken);
      return {
        stateMachines: items.map((sm) => ({ stateMachineArn: sm.arn, name: sm.name, type: sm.type, creationDate: seconds(sm.creationDate) })),
        ...(nextToken ? { nextToken } : {}),
      };
    },
  },
  ValidateStateMachineDefinition: {
    schema: z.object({ definition: definitionText, type: z.string().optional() }),
    run: async (engine, input) => {
      const diagnostics = engine.validate(input.definition);
      return { result: diagnostics.length ? 'FAIL' : 'OK', diagnostics, truncated: false };
    },
  },
  StartExecution: {
    schema: z.object({ stateMachineArn: arn, name: z.string().optional(), input: z.string().optional() }),
    run: async (engine, input) => {
      const e = await engine.startExecution(input);
      return { executionArn: e.arn, startDate: seconds(e.startDate) };
    },
  },
  DescribeExecution: {
    schema: z.object({ executionArn: arn }),
    run: async (engine, input) => describeExecution(engine, await engine.describeExecution(input.executionArn)),
  },
  RedriveExecution: {
    schema: z.object({ executionArn: arn, clientToken: z.string().min(1).max(64).optional() }),
    run: async (engine, input) => ({ redriveDate: seconds((await engine.redriveExecution(input.executionArn, input.clientToken)).redriveDate) }),
  },
  StopExecution: {
    schema: z.object({ executionArn: arn, error: errorName.optional(), cause: causeText.optional() }),
    run: async (engine, input) => {
      const e = await engine.stopExecution(input.executionArn, input.error, input.cause);
      return { stopDate: seconds(e.stopDate ?? engine.now()) };
    },
  },
  ListExecutions: {
    schema: z.object({ stateMachineArn: arn, statusFilter: STATUS.optional(), redriveFilter: z.enum(['REDRIVEN', 'NOT_REDRIVEN']).optional(), ...page }),
    run: async (engine, input) => {
      const { items, nextToken } = await engine.listExecutions(input.stateMachineArn, input.statusFilter, input.maxResults || 100, input.nextToken, input.redriveFilter);
      return { executions: items.map(executionListItem), ...(nextToken ? { nextToken } : {}) };
    },
  },
  GetExecutionHistory: {
    schema: z.object({ executionArn: arn, reverseOrder: z.boolean().optional(), includeExecutionData: z.boolean().optional(), ...page }),
    run: async (engine, input) => {
      const { items, nextToken } = await engine.history(input.executionArn, input.maxResults || 100, input.reverseOrder ?? false, input.nextToken);
      return { events: items.map((e) => ({ ...e, timestamp: seconds(e.timestamp) })), ...(nextToken ? { nextToken } : {}) };
    },
  },
  SendTaskSuccess: {
    schema: z.object({ taskToken, output: taskOutput }),
    run: async (engine, input) => (await engine.sendTaskSuccess(input.taskToken, input.output), {}),
  },
  SendTaskFailure: {
    schema: z.object({ taskToken, error: errorName.optional(), cause: causeText.optional() }),
    run: async (engine, input) => (await engine.sendTaskFailure(input.taskToken, input.error, input.cause), {}),
  },
  SendTaskHeartbeat: {
    schema: z.object({ taskToken }),
    run: async (engine, input) => (await engine.sendTaskHeartbeat(input.taskToken), {}),
  },
};

export async function startApiServer(engine: Engine, port: number, host: string): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((req, res) => void handle(engine, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, endpoint: `http://${host}:${(server.address() as AddressInfo).port}` };
}

async function handle(engine: Engine, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    const name = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
    const operation = OPERATIONS[name];
    if (req.method !== 'POST' || !operation) throw new ApiError('UnknownOperationException', `Unknown operation: '${target}'`);
    const body = await readBody(req);
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : {};
    } catch (err) {
      throw new ApiError('SerializationException', 'Request body is not JSON', 400, { cause: err });
    }
    const parsed = operation.schema.safeParse(json);
    if (!parsed.success) throw new ApiError('ValidationException', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    reply(res, 200, await operation.run(engine, parsed.data));
  } catch (err) {
    if (err instanceof ApiError) reply(res, err.status, { __type: err.type, message: err.message });
    else {
      console.error('[states api]', err);
      reply(res, 500, { __type: 'InternalFailure', message: (err as Error)?.message ?? String(err) });
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': crypto.randomUUID() });
  res.end(text);
}
