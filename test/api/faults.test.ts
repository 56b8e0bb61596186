/**
 * Faults behind the API: an unexpected failure is a 500 ApiErrorBody carrying a request id, and
 * the log line under that id carries the cause.
 */
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { ApiErrorBody } from '../../functions/contracts/errors.ts';
import { ENV } from '../../infra/app-resources.ts';
import { lambdaContext } from '../../local/lambda.ts';
import { startTestCloud, type ApiClient, type TestCloud } from '../support/cloud.ts';

let cloud: TestCloud;
let user: ApiClient;
let tableName: string | undefined;

beforeAll(async () => {
  cloud = await startTestCloud();
  user = await cloud.userOf('faulty');
  tableName = process.env[ENV.tableName];
});
afterEach(() => {
  process.env[ENV.tableName] = tableName;
  vi.restoreAllMocks();
});
afterAll(() => cloud?.stop());

it('answers a failing table with 500, a request id, and the cause in the log', async () => {
  const logged: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
  // The function reads its table name per request, as it reads its configuration in AWS.
  process.env[ENV.tableName] = 'no-such-table';
  const response = await user.get('/api/companies');
  expect(response.status).toBe(500);
  const error = ApiErrorBody.parse(response.json).error;
  expect(error.code).toBe('InternalError');
  expect(error.requestId).toBeTruthy();
  expect(error.message).toContain(error.requestId);
  expect(response.headers.get('apigw-requestid')).toBe(error.requestId);
  const line = logged.find((l) => l.includes(error.requestId!));
  expect(line).toBeDefined();
  expect(JSON.parse(line!).error.cause.name).toBe('ResourceNotFoundException');

  process.env[ENV.tableName] = tableName;
  expect((await user.get('/api/companies')).status).toBe(200);
});

it('answers an event it cannot read with 500 JSON rather than throwing', async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const { handler } = await import('../../functions/api/handler.ts');
  const context = lambdaContext('api');
  for (const event of [{}, { requestContext: {} }, { rawPath: 7, requestContext: { http: { method: 'GET' } } }]) {
    const result = await handler(event as never, context);
    expect(result.statusCode).toBe(500);
    expect(ApiErrorBody.parse(JSON.parse(result.body!)).error.requestId).toBe(context.awsRequestId);
  }
});
