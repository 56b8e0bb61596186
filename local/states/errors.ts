/**
 * The errors of the engine. A `StatesError` is an error inside an execution (it can be retried,
 * caught, or fail the execution); an `ApiError` is an answer of the Step Functions API, named as
 * AWS names it so that `@aws-sdk/client-sfn` callers can catch it by class.
 */

/** An error raised while running a state: `error` is the ASL error name, matched by Retry/Catch. */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly causeText?: string,
    options?: { cause?: unknown },
  ) {
    super(`${error}${causeText ? `: ${causeText}` : ''}`, options);
    this.name = 'StatesError';
  }
}

/**
 * A save (or a start) after the engine began to close: refused, so that what an execution does
 * past the close (a step's late answer, a failure because the functions are gone) is not kept and
 * the next start goes on from its last save before it, as after a crash.
 */
export class EngineClosedError extends Error {
  constructor() {
    super('the engine is closed: nothing more is saved; the execution goes on from its last save at the next start');
    this.name = 'EngineClosedError';
  }
}

/** A JSONata expression failed or returned something the field cannot take. */
export class QueryEvaluationError extends StatesError {
  constructor(
    causeText: string,
    /** The field, as AWS reports it in EvaluationFailed: 'Output/result', 'Items'... */
    readonly location: string | undefined,
    options?: { cause?: unknown },
  ) {
    super('States.QueryEvaluationError', causeText, options);
    this.name = 'QueryEvaluationError';
  }
}

/** A definition the engine refuses, with the JSON pointer of the offending field. */
export class DefinitionError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly code = 'SCHEMA_VALIDATION_FAILED',
  ) {
    super(message);
    this.name = 'DefinitionError';
  }
}

/** An error answer of the Step Functions API; `type` becomes the response's `__type`. */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = type;
  }
}
