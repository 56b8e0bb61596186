/**
 * The DynamoDB integrations (`dynamodb:getItem|putItem|updateItem|deleteItem` and
 * `aws-sdk:dynamodb:...` including query) against the local table. Arguments are the DynamoDB
 * API request (typed attribute values); the result is the API response, as in AWS.
 */
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { StatesError } from '../errors.ts';
import type { Json } from '../expressions.ts';
import type { ResourceRef } from './index.ts';

const COMMANDS: Record<string, new (input: any) => any> = {
  getItem: GetItemCommand,
  putItem: PutItemCommand,
  updateItem: UpdateItemCommand,
  deleteItem: DeleteItemCommand,
  query: QueryCommand,
};

export async function callDynamo(client: DynamoDBClient, ref: ResourceRef, args: Json): Promise<Json> {
  const Command = COMMANDS[ref.action];
  try {
    const { $metadata, ...response } = await client.send(new Command(args));
    return JSON.parse(JSON.stringify(response)) as Json;
  } catch (err) {
    // AWS prefixes the service: 'DynamoDB.' for optimized integrations, 'DynamoDb.' for aws-sdk ones.
    const prefix = ref.resourceType === 'dynamodb' ? 'DynamoDB' : 'DynamoDb';
    const e = err as Error;
    throw new StatesError(`${prefix}.${e.name || 'AmazonDynamoDBException'}`, e.message, { cause: err });
  }
}
