/**
 * Errors the endpoint returns, in DynamoDB's wire shape: `__type` names the exception and the
 * SDK turns it into the matching class (ConditionalCheckFailedException, ...).
 */
import type { z } from 'zod';
import type { DynaliteError } from './dynalite.ts';

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810#';

export class DynamoServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
    /** Extra members of the error body, e.g. Item or CancellationReasons. */
    readonly fields: Record<string, unknown> = {},
    options?: { cause?: unknown; messageMember?: 'message' | 'Message' },
  ) {
    super(message, options);
    this.name = type.split('#').pop()!;
    this.messageMember = options?.messageMember ?? 'message';
  }

  private readonly messageMember: 'message' | 'Message';

  /** The JSON body AWS sends for this error. */
  body(): Record<string, unknown> {
    return { __type: this.type, [this.messageMember]: this.message, ...this.fields };
  }
}

export const validationException = (message: string) =>
  new DynamoServiceError('com.amazon.coral.validate#ValidationException', message);

/** Parses a request member the shim validates itself (dynalite does not know it). */
export function parseRequest<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (!result.success) throw validationException(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return result.data;
}

export const serializationException = (message: string) =>
  new DynamoServiceError('com.amazon.coral.service#SerializationException', message);

export const unknownOperation = () => new DynamoServiceError('com.amazon.coral.service#UnknownOperationException', '');

export const conditionalCheckFailed = (item?: Record<string, unknown>) =>
  new DynamoServiceError(`${DYNAMODB}ConditionalCheckFailedException`, 'The conditional request failed', 400, item ? { Item: item } : {});

export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Record<string, unknown>;
}

export function transactionCanceled(reasons: CancellationReason[]): DynamoServiceError {
  const message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`;
  // AWS spells this one's message member "Message".
  return new DynamoServiceError(`${DYNAMODB}TransactionCanceledException`, message, 400, { CancellationReasons: reasons }, {
    messageMember: 'Message',
  });
}

export const idempotentParameterMismatch = () =>
  new DynamoServiceError(
    `${DYNAMODB}IdempotentParameterMismatchException`,
    'Request has the same client token as a previous request but a different request payload',
  );

export const internalServerError = (cause: unknown) =>
  new DynamoServiceError(`${DYNAMODB}InternalServerError`, 'Internal server error', 500, {}, { cause });

/** Dynalite signals request errors with statusCode + body; everything else is our fault. */
export function fromDynalite(err: unknown): DynamoServiceError {
  if (err instanceof DynamoServiceError) return err;
  const e = err as DynaliteError;
  if (e && e.statusCode && e.body) {
    const { __type, message, ...rest } = e.body;
    const msg = message ?? (rest.Message as string | undefined) ?? '';
    delete rest.Message;
    return new DynamoServiceError(__type, msg, e.statusCode, rest, { cause: err });
  }
  return internalServerError(err);
}

export const isConditionalCheckFailure = (err: unknown) =>
  (err as DynaliteError)?.body?.__type?.endsWith('#ConditionalCheckFailedException') ?? false;
