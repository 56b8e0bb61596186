/**
 * The application's one DynamoDB table and the client that reaches it, created once per
 * Lambda container. Only the name comes from the environment; the endpoint is the SDK's
 * (AWS_ENDPOINT_URL_DYNAMODB points it at local/dynamo on one machine).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../infra/app-resources.ts';

export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export function tableName(): string {
  const name = process.env[ENV.tableName];
  if (!name) throw new Error(`${ENV.tableName} is not set`);
  return name;
}
