/**
 * `arn:aws:states:::lambda:invoke`: calls the handler registered for the function in process and
 * answers with AWS's result shape; a thrown error becomes the Lambda error as Step Functions
 * reports it (error = the error's name, cause = {errorMessage, errorType, trace}).
 */
import { randomUUID } from 'node:crypto';
import { lambdaContext, type LambdaHandler } from '../../lambda.ts';
import { StatesError } from '../errors.ts';
import type { Json } from '../expressions.ts';

export type LambdaRegistry = Record<string, LambdaHandler>;

/** The function name from a name, a partial ARN or a full ARN (optionally qualified). */
export function functionName(nameOrArn: string): string {
  const arn = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(nameOrArn);
  if (arn) return arn[1];
  const partial = /^[^:]+:function:([^:]+)/.exec(nameOrArn);
  if (partial) return partial[1];
  return nameOrArn.split(':')[0];
}

export async function invokeLambda(lambdas: LambdaRegistry, args: Json): Promise<Json> {
  const request = (args ?? {}) as Record<string, Json>;
  if (typeof request.FunctionName !== 'string') {
    throw new StatesError('States.Runtime', 'lambda:invoke needs Arguments.FunctionName');
  }
  const name = functionName(request.FunctionName);
  const handler = lambdas[name];
  if (!handler) {
    throw new StatesError(
      'Lambda.ResourceNotFoundException',
      `Function not found: ${request.FunctionName} (Service: Lambda, Status Code: 404, Error Code: ResourceNotFoundException)`,
    );
  }
  const payload = typeof request.Payload === 'string' ? safeParse(request.Payload) : (request.Payload ?? {});
  let result: unknown;
  try {
    result = await handler(payload, lambdaContext(name));
  } catch (err) {
    throw lambdaError(err);
  }
  const requestId = randomUUID();
  const headers = { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId };
  return {
    ExecutedVersion: '$LATEST',
    Payload: result === undefined ? null : (JSON.parse(JSON.stringify(result)) as Json),
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function lambdaError(err: unknown): StatesError {
  if (err instanceof Error) {
    const errorType = err.name || 'Error';
    const cause = JSON.stringify({ errorMessage: err.message, errorType, trace: (err.stack ?? '').split('\n') });
    return new StatesError(errorType, cause, { cause: err });
  }
  return new StatesError('Lambda.Unknown', JSON.stringify({ errorMessage: String(err), errorType: 'Lambda.Unknown', trace: [] }), {
    cause: err,
  });
}
