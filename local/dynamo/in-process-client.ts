/**
 * A DynamoDBDocumentClient's `send`, served by the local DynamoDB of this process: the request
 * goes to the endpoint's own operations (DynamoDispatch) as an object, not through the SDK's
 * middleware, signing, JSON text and a socket on both sides. The same writes, conditions and
 * durability as over HTTP (the same item writer commits them); errors carry the exception's name
 * as the SDK's do (ConditionalCheckFailedException, ...). Only the commands listed below.
 */
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDispatch } from './endpoint.ts';

/** What a component needs of a document client: its `send` (DynamoDBDocumentClient is one). */
export type DocumentSender = Pick<DynamoDBDocumentClient, 'send'>;

type Doc = Record<string, unknown>;
type AttributeMap = Record<string, any>;

const OPERATIONS = new Map<unknown, string>([
  [PutCommand, 'PutItem'],
  [GetCommand, 'GetItem'],
  [UpdateCommand, 'UpdateItem'],
  [DeleteCommand, 'DeleteItem'],
  [QueryCommand, 'Query'],
  [BatchWriteCommand, 'BatchWriteItem'],
  [DescribeTableCommand, 'DescribeTable'],
  [CreateTableCommand, 'CreateTable'],
]);

const RESULT_ITEMS = ['Item', 'Attributes', 'LastEvaluatedKey'] as const;

const toAttributes = (doc: Doc): AttributeMap => marshall(doc, { removeUndefinedValues: true });

export function inProcessDocumentClient(dispatch: DynamoDispatch): DocumentSender {
  const send = async (command: { input: Doc }) => {
    const operation = OPERATIONS.get(command.constructor);
    if (!operation) throw new Error(`${command.constructor.name} is not served in process`);
    const output = (await dispatch(operation, toRequest(command.input))) as Doc;
    return fromResult(output);
  };
  return { send } as unknown as DocumentSender;
}

/** A fresh request (validation edits it) with items in DynamoDB's attribute-value form. */
function toRequest(input: Doc): Doc {
  const { Item, Key, ExpressionAttributeValues, ExclusiveStartKey, RequestItems, ...rest } = input;
  const request: Doc = structuredClone(rest);
  for (const [member, value] of Object.entries({ Item, Key, ExpressionAttributeValues, ExclusiveStartKey })) {
    if (value !== undefined) request[member] = toAttributes(value as Doc);
  }
  if (RequestItems) {
    request.RequestItems = Object.fromEntries(
      Object.entries(RequestItems as Record<string, Doc[]>).map(([table, writes]) => [
        table,
        writes.map((w) => (w.PutRequest ? { PutRequest: { Item: toAttributes((w.PutRequest as Doc).Item as Doc) } } : { DeleteRequest: { Key: toAttributes((w.DeleteRequest as Doc).Key as Doc) } })),
      ]),
    );
  }
  return request;
}

function fromResult(output: Doc): Doc {
  const result: Doc = { ...output };
  for (const member of RESULT_ITEMS) if (output[member]) result[member] = unmarshall(output[member] as AttributeMap);
  if (output.Items) result.Items = (output.Items as AttributeMap[]).map((item) => unmarshall(item));
  return result;
}
