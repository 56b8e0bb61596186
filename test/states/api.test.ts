/**
 * The Step Functions API as @aws-sdk/client-sfn sees it: error classes, name idempotency,
 * paging, the definition loader's refusals, and the task integrations' result shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidDefinition,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { history, REGION, ROLE, startLocalDynamo, startHarness, waitForEnd, type Harness } from '../support/states-harness.ts';

let db: Awaited<ReturnType<typeof startLocalDynamo>>;
let h: Harness;
let machines = 0;

beforeAll(async () => {
  db = await startLocalDynamo();
  h = await startHarness(db, {
    lambdas: {
      echo: async (event: unknown) => ({ echoed: event }),
      throwsString: async () => {
        throw 'not an Error';
      },
      throwsTypeError: async () => {
        throw new TypeError('bad type');
      },
    },
  });
});
afterAll(async () => {
  await h?.close();
  await db?.close();
});

async function create(definition: object): Promise<string> {
  const out = await h.sfn.send(
    new CreateStateMachineCommand({ name: `api-${++machines}`, roleArn: ROLE, definition: JSON.stringify({ QueryLanguage: 'JSONata', ...definition }) }),
  );
  return out.stateMachineArn!;
}

const waitsForever = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 99_999_999, End: true } } };

describe('state machines', () => {
  it('creates, describes, updates, lists and deletes', async () => {
    const arn = await create({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const described = await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(described).toMatchObject({ stateMachineArn: arn, status: 'ACTIVE', type: 'STANDARD', roleArn: ROLE });
    const updated = JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } } });
    await h.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: updated }));
    expect((await h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).definition).toBe(updated);
    const listed = await h.sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines!.map((s) => s.stateMachineArn)).toContain(arn);
    await h.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    await expect(h.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it.each([
    ['a JSONata field it does not know', { StartAt: 'P', States: { P: { Type: 'Pass', ResultPath: '$.x', End: true } } }, '/States/P/ResultPath'],
    ['a resource it does not run', { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } }, '/States/T/Resource'],
    [
      'a distributed Map',
      { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } },
      '/States/M/ItemProcessor/ProcessorConfig',
    ],
    ['a JSONata syntax error', { StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $states.input.( %}', End: true } } }, '/States/P/Output'],
    ['a Next naming no state', { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'Nowhere' } } }, '/States/P/Next'],
  ])('refuses %s, naming its path', async (_what, definition, path) => {
    const err = await create(definition).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidDefinition);
    expect(err.message).toContain(path);
  });
});

describe('executions', () => {
  it('is idempotent by name while running, and refuses a different input or a closed execution', async () => {
    const arn = await create(waitsForever);
    const first = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'same', input: '{"a":1}' }));
    const again = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'same', input: '{"a":1}' }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'same', input: '{"a":2}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    const quick = await create({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const done = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: quick, name: 'once', input: '{}' }));
    await waitForEnd(h.sfn, done.executionArn!);
    await expect(h.sfn.send(new StartExecutionCommand({ stateMachineArn: quick, name: 'once', input: '{}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('answers the AWS error classes for unknown things', async () => {
    await expect(h.sfn.send(new DescribeExecutionCommand({ executionArn: `arn:aws:states:${REGION}:000000000000:execution:x:y` }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(h.sfn.send(new StartExecutionCommand({ stateMachineArn: `arn:aws:states:${REGION}:000000000000:stateMachine:none` }))).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
    await expect(h.sfn.send(new SendTaskSuccessCommand({ taskToken: 'no-such-token', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it('lists executions by status, newest first, in pages', async () => {
    const arn = await create(waitsForever);
    const quick = await create({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const started: string[] = [];
    for (let i = 0; i < 5; i++) started.push((await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: `r${i}` }))).executionArn!);
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING', maxResults: 2, nextToken }));
      expect(page.executions!.length).toBeLessThanOrEqual(2);
      seen.push(...page.executions!.map((e) => e.executionArn!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual([...started].reverse());
    const done = (await h.sfn.send(new StartExecutionCommand({ stateMachineArn: quick }))).executionArn!;
    await waitForEnd(h.sfn, done);
    expect((await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: quick, statusFilter: 'SUCCEEDED' }))).executions!.map((e) => e.executionArn)).toEqual([done]);
    expect((await h.sfn.send(new ListExecutionsCommand({ stateMachineArn: quick, statusFilter: 'RUNNING' }))).executions).toEqual([]);
  });

  it('pages the history in either order, with ids and previousEventId', async () => {
    const arn = await create({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } },
    });
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"k":"v"}' }));
    await waitForEnd(h.sfn, executionArn!);
    const all = await history(h.sfn, executionArn!);
    expect(all.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all[0]).toMatchObject({ type: 'ExecutionStarted', previousEventId: 0, executionStartedEventDetails: { input: '{"k":"v"}', roleArn: ROLE } });
    expect(all[1]).toMatchObject({ type: 'PassStateEntered', previousEventId: 1, stateEnteredEventDetails: { name: 'A' } });
    expect(all[0].timestamp).toBeInstanceOf(Date);
    const reversed: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 3, nextToken }));
      reversed.push(...page.events!.map((e) => e.id!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(reversed).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });
});

describe('long histories', () => {
  it('keeps every event once, in order, when the history outgrows the execution record', async () => {
    const arn = await create({
      StartAt: 'Each',
      States: { Each: { Type: 'Map', Items: '{% [1..60] %}', MaxConcurrency: 7, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
    });
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    expect((await waitForEnd(h.sfn, executionArn!)).status).toBe('SUCCEEDED');
    const all = await history(h.sfn, executionArn!);
    // ExecutionStarted, MapStateEntered, MapStateStarted, 4 per item, MapStateSucceeded, MapStateExited, ExecutionSucceeded
    expect(all.map((e) => e.id)).toEqual(Array.from({ length: 6 + 4 * 60 }, (_, i) => i + 1));
    expect(all.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(60);
  });
});

describe('limits (local/states/README.md, "Limits")', () => {
  it('refuses an input over 256 KB, as AWS does', async () => {
    const arn = await create({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const err = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ big: 'x'.repeat(262_144) }) })).catch((e) => e);
    expect(err?.name).toBe('ValidationException');
  });

  it('fails a state whose output is over 256 KB with States.DataLimitExceeded, as AWS does', async () => {
    const arn = await create({
      StartAt: 'Each',
      States: {
        Each: { Type: 'Map', Items: '{% [1..1500] %}', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $pad("", 300, "x") %}', End: true } } }, End: true },
      },
    });
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const result = await waitForEnd(h.sfn, executionArn!);
    expect([result.status, result.error]).toEqual(['FAILED', 'States.DataLimitExceeded']);
    expect(result.cause).toContain("'Each'");
  });
});

describe('task integrations (AWS docs: "Invoke an AWS Lambda function with Step Functions", "Perform DynamoDB CRUD operations")', () => {
  it('returns the lambda:invoke result shape with Payload and StatusCode', async () => {
    const arn = await create({
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'echo', Payload: { hello: 'world' } }, End: true } },
    });
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const result = JSON.parse((await waitForEnd(h.sfn, executionArn!)).output!);
    expect(result).toMatchObject({ ExecutedVersion: '$LATEST', Payload: { echoed: { hello: 'world' } }, StatusCode: 200, SdkHttpMetadata: { HttpStatusCode: 200 } });
  });

  it.each([
    ['throwsTypeError', 'TypeError', 'bad type'],
    ['throwsString', 'Lambda.Unknown', 'not an Error'],
    ['missing', 'Lambda.ResourceNotFoundException', undefined],
  ])('names the Lambda error of %s as %s', async (fn, error, message) => {
    const arn = await create({
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: fn }, End: true } },
    });
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const result = await waitForEnd(h.sfn, executionArn!);
    expect([result.status, result.error]).toEqual(['FAILED', error]);
    if (message) expect(JSON.parse(result.cause!)).toMatchObject({ errorMessage: message, errorType: error });
  });

  it('puts, updates, gets, queries and deletes items in a table', async () => {
    const client = new DynamoDBClient({ endpoint: db.endpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await client.send(
      new CreateTableCommand({
        TableName: 'app',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      }),
    );
    client.destroy();
    const key = { pk: { S: 'T#1' }, sk: { S: 'DEAL#1' } };
    const arn = await create({
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Arguments: { TableName: 'app', Item: { ...key, stage: { S: 'new' } } }, Next: 'Update' },
        Update: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Arguments: { TableName: 'app', Key: key, UpdateExpression: 'SET stage = :s', ExpressionAttributeValues: { ':s': { S: 'won' } } },
          Next: 'Get',
        },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Arguments: { TableName: 'app', Key: key }, Assign: { got: '{% $states.result.Item.stage.S %}' }, Next: 'Query' },
        Query: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Arguments: { TableName: 'app', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'T#1' } } },
          Assign: { count: '{% $states.result.Count %}' },
          Next: 'Delete',
        },
        Delete: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:deleteItem',
          Arguments: { TableName: 'app', Key: key, ConditionExpression: 'stage = :lost', ExpressionAttributeValues: { ':lost': { S: 'lost' } } },
          Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Report' }],
          Next: 'Report',
        },
        Report: { Type: 'Pass', Output: '{% {"got": $got, "count": $count, "error": $states.input.Error} %}', End: true },
      },
    });
    const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const result = await waitForEnd(h.sfn, executionArn!);
    expect(JSON.parse(result.output!)).toEqual({ got: 'won', count: 1, error: 'DynamoDB.ConditionalCheckFailedException' });
  });
});
