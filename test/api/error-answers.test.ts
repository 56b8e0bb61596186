/**
 * What the API answers for each error the domain throws: status, code, message, issues, current
 * and headers, exactly as clients rely on them. Every declared domain error has its case here,
 * so a new one cannot be added without saying what it answers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpError, errorResponse, httpErrorOf } from '../../functions/api/http.ts';
import { ItemTooLargeError, RecordNotFoundError, VersionConflictError, type StoredRecord } from '../../functions/records/errors.ts';
import { FieldValidationError } from '../../functions/errors/field-validation-error.ts';
import { NotInTrashError } from '../../functions/errors/not-in-trash-error.ts';
import { StoreError } from '../../functions/store/store-error.ts';
import { FieldConflictError, FieldDefinitionError, FieldNotFoundError } from '../../functions/fields/field-definitions.ts';
import { ViewConflictError, ViewNotFoundError } from '../../functions/views/views.ts';
import { SnapshotBuildingError } from '../../functions/views/snapshot-build.ts';
import { MovesLoadingError } from '../../functions/analytics/stage-move-log.ts';
import { MergeInterruptedError } from '../../functions/duplicates/merge.ts';
import { ForbiddenError, UserDeactivatedError } from '../../functions/access/permissions.ts';
import { TenantItemConflictError, TenantItemExistsError, TenantItemNotFoundError } from '../../functions/tenant-items/tenant-items.ts';
import { BuiltInRoleError, RoleInUseError } from '../../functions/roles/roles.ts';
import { TeamNotEmptyError } from '../../functions/teams/teams.ts';
import { SelfLockoutError, UserExistsError } from '../../functions/users/users.ts';
import { AccountExistsError, InvitationAcceptedError } from '../../functions/users/identity-admin.ts';
import { IdempotencyKeyReusedError } from '../../functions/api/idempotent-answer.ts';
import { ImportNotFoundError } from '../../functions/imports/import-job.ts';
import { WorkflowNotDeployedError } from '../../functions/workflows/start-workflow.ts';
import { ObjectNotFoundError } from '../../functions/files/files-bucket.ts';
import { InstanceNotFoundError } from '../../functions/processes/instances.ts';
import { StartKeyReusedError } from '../../functions/processes/start-process.ts';
import { BadStepEventError, SubjectRecordGoneError } from '../../functions/processes/steps.ts';
import { AnswerUndecidedError, TaskNotFoundError, TaskNotOpenError } from '../../functions/tasks/tasks.ts';
import { InstanceEndedError, InstanceNotFailedError } from '../../functions/processes/instance-actions.ts';
import { NoWorkingTimeError } from '../../functions/calendars/working-time.ts';
import { MailError } from '../../functions/notifications/mailer.ts';
import type { FieldDefinition } from '../../functions/contracts/fields.ts';
import type { View } from '../../functions/contracts/views.ts';
import type { Task } from '../../functions/contracts/tasks.ts';
import type { ProcessInstance } from '../../functions/contracts/processes.ts';

const record = { id: '01J8Y0000000000000000000AA', version: 4, name: 'Acme' } as unknown as StoredRecord;
const definition = { key: 'cf_region', version: 2 } as unknown as FieldDefinition;
const view = { id: 'v1', version: 3 } as unknown as View;
const long = 'a'.repeat(250);
const closedTask = { id: '0e', status: 'cancelled', closed: { at: '2026-12-06T00:00:00.000Z', reason: 'the process was stopped' } } as unknown as Task;
const completedInstance = { id: '0f', status: 'completed', outcome: { result: 'closed' } } as unknown as ProcessInstance;

interface Answer {
  status: number;
  code: string;
  issues?: unknown[];
  current?: unknown;
  headers?: Record<string, string>;
}

/** Each error as thrown, and what the API answers for it (its message is the answer's message). */
const ANSWERS: Array<[Error, Answer]> = [
  [new RecordNotFoundError('COMPANY', 'c1'), { status: 404, code: 'NotFound' }],
  [new FieldNotFoundError('COMPANY', 'cf_region'), { status: 404, code: 'NotFound' }],
  [new ViewNotFoundError('v1'), { status: 404, code: 'NotFound' }],
  [new TenantItemNotFoundError('team', 't1'), { status: 404, code: 'NotFound' }],
  // Was answered so by its routes (api/routes/imports.ts) before it was a domain error.
  [new ImportNotFoundError('i1'), { status: 404, code: 'NotFound' }],
  [new InstanceNotFoundError('0f'), { status: 404, code: 'NotFound' }],
  [new TaskNotFoundError('0e'), { status: 404, code: 'NotFound' }],
  // A task already answered or closed by the engine: the answer carries it as it is (why it closed).
  [new TaskNotOpenError(closedTask), { status: 409, code: 'TaskNotOpen', current: closedTask }],
  // An instance action that does not fit how the instance stands: the answer carries it as it is.
  [new InstanceEndedError(completedInstance), { status: 409, code: 'InstanceEnded', current: completedInstance }],
  [new InstanceNotFailedError(completedInstance), { status: 409, code: 'InstanceNotFailed', current: completedInstance }],
  [new VersionConflictError(3, record), { status: 409, code: 'VersionConflict', current: record }],
  [new FieldConflictError(1, definition), { status: 409, code: 'VersionConflict', current: definition }],
  [new ViewConflictError(2, view), { status: 409, code: 'VersionConflict', current: view }],
  [new TenantItemConflictError(1, { id: 't1', version: 2 }), { status: 409, code: 'VersionConflict', current: { id: 't1', version: 2 } }],
  [new ForbiddenError('you may not change these fields', ['probability', 'stage']), {
    status: 403,
    code: 'Forbidden',
    issues: [{ path: 'fields.probability', message: 'is read-only for your role' }, { path: 'fields.stage', message: 'is read-only for your role' }],
  }],
  [new ForbiddenError('your role may not create deals'), { status: 403, code: 'Forbidden', issues: [] }],
  [new UserDeactivatedError(), { status: 403, code: 'UserDeactivated' }],
  [new SelfLockoutError('deactivate'), { status: 403, code: 'SelfLockout' }],
  [new BuiltInRoleError('administrator'), { status: 403, code: 'BuiltInRole' }],
  [new TenantItemExistsError('team', 't1'), { status: 409, code: 'AlreadyExists' }],
  [new UserExistsError('ann@example.com'), { status: 409, code: 'AlreadyExists', issues: [{ path: 'email', message: 'has an account already', value: 'ann@example.com' }] }],
  [new AccountExistsError('bob@example.com'), { status: 409, code: 'AlreadyExists', issues: [{ path: 'email', message: 'has an account already', value: 'bob@example.com' }] }],
  [new InvitationAcceptedError('ann@example.com'), { status: 409, code: 'InvitationAccepted' }],
  [new RoleInUseError('r1', 2), { status: 409, code: 'InUse' }],
  [new TeamNotEmptyError('t1', 3), { status: 409, code: 'InUse' }],
  [new IdempotencyKeyReusedError('k1'), { status: 422, code: 'IdempotencyKeyReused', issues: [{ path: 'idempotencyKey', message: 'was already used for another request', value: 'k1' }] }],
  [new StartKeyReusedError('k2'), { status: 422, code: 'IdempotencyKeyReused', issues: [{ path: 'idempotencyKey', message: 'already started another process instance', value: 'k2' }] }],
  [new NotInTrashError('company c1'), { status: 409, code: 'NotInTrash' }],
  [new MergeInterruptedError('c2', { cause: new Error('condition failed') }), { status: 409, code: 'MergeInterrupted' }],
  [new SnapshotBuildingError({ records: 1200, startedAt: '2026-01-01T00:00:00.000Z' }), { status: 503, code: 'Preparing', headers: { 'retry-after': '5' } }],
  [new MovesLoadingError(4000, '2026-01-01T00:00:00.000Z'), { status: 503, code: 'Preparing', headers: { 'retry-after': '1' } }],
  // Refused values are shown as sent, long strings cut, structured ones left out (their parts have issues of their own).
  [new FieldValidationError([{ path: 'name', message: 'is too long', value: long }, { path: 'address', message: 'is not an address', value: { street: 1 } }, { path: 'size', message: 'must be positive', value: -1 }]), {
    status: 400,
    code: 'ValidationFailed',
    issues: [{ path: 'name', message: 'is too long', value: `${'a'.repeat(200)}…` }, { path: 'address', message: 'is not an address' }, { path: 'size', message: 'must be positive', value: -1 }],
  }],
  [new FieldValidationError([{ path: 'name', message: 'is required' }]).under('fields'), { status: 400, code: 'ValidationFailed', issues: [{ path: 'fields.name', message: 'is required' }] }],
  [new FieldDefinitionError('target', 'no record type NOPE'), { status: 400, code: 'ValidationFailed', issues: [{ path: 'target', message: 'no record type NOPE' }] }],
  [new ItemTooLargeError(420_000, 400_000, ['notes', 'description']).under('fields'), {
    status: 413,
    code: 'ItemTooLarge',
    issues: [
      { path: 'fields.notes', message: "makes the record larger than DynamoDB's 400000 bytes per item" },
      { path: 'fields.description', message: "makes the record larger than DynamoDB's 400000 bytes per item" },
    ],
  }],
];

/** Errors no caller can act on: a 500 naming the request id, their cause in the log. */
const INTERNAL: Error[] = [
  new StoreError('could not write company c1', { cause: new Error('throttled') }),
  new WorkflowNotDeployedError('quick-sale'),
  new ObjectNotFoundError('uploads/x'),
  // Thrown in the processSteps function only (a payload no definition sends), never to a caller.
  new BadStepEventError('not a process step'),
  // Thrown in the processSteps function (the definition retries it, then the instance fails with it).
  new SubjectRecordGoneError({ type: 'company', id: '01J8Y0000000000000000000AA' }),
  // Thrown to the stream's consumer only (the API answers 202 with the task instead).
  new AnswerUndecidedError(closedTask),
  new NoWorkingTimeError(new Date(0)),
  // Thrown to the stream's mail consumer only (the record comes back, or is recorded as refused).
  new MailError('could not send an e-mail', { cause: new Error('throttled') }),
  new Error('anything else'),
];

const answerTo = (err: Error) => {
  const httpError = httpErrorOf(err);
  if (!httpError) return undefined;
  const result = errorResponse(httpError, 'request-1');
  return { result, body: JSON.parse(result.body as string).error, cause: httpError.cause };
};

describe('the answer to a domain error', () => {
  it.each(ANSWERS.map(([err, answer]) => [err.name, err, answer] as const))('%s', (_name, err, { status, code, issues, current, headers }) => {
    const answer = answerTo(err)!;
    expect(answer.result.statusCode).toBe(status);
    expect(answer.body).toStrictEqual(JSON.parse(JSON.stringify({ code, message: err.message, issues, current, requestId: 'request-1' })));
    expect(answer.result.headers).toEqual({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
    // The error stays the answer's cause, for the log.
    expect(answer.cause).toBe(err);
  });

  it('is an internal error for anything else', () => {
    for (const err of INTERNAL) expect(httpErrorOf(err)).toBeUndefined();
  });

  it('is the HttpError itself when a route threw one', () => {
    const err = new HttpError(400, 'MalformedJson', 'the body must be a JSON document');
    expect(httpErrorOf(err)).toBe(err);
  });

  it('is declared here for every error class in functions/', () => {
    const declared = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) {
          for (const match of readFileSync(path, 'utf8').matchAll(/class (\w+) extends (?:\w*Error)\b/g)) declared.add(match[1]);
        }
      }
    };
    walk(join(import.meta.dirname, '../../functions'));
    const covered = new Set([...ANSWERS.map(([err]) => err.name), ...INTERNAL.map((err) => err.name), 'HttpError', 'DomainError']);
    expect([...declared].filter((name) => !covered.has(name))).toEqual([]);
  });
});
