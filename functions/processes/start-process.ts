/**
 * Starting a process on a record: checked whole before anything starts (the contract, the
 * process's own checks, the subject), then one execution on the workflow's `live` alias, named
 * after the instance. The instance's id derives from the tenant, the starter and their
 * idempotency key, so a retried start, or copies sent at once, meet the same execution name and
 * Step Functions runs it once; each copy then reads the execution and answers its instance. A
 * process may make something of the input first (the quick sale's order, its client created with
 * it): see process-registry.ts.
 *
 * Nothing is half-started: the instance item is written after the execution started, and should
 * the writer fail between the two, the execution's own RUNNING status event (and its first step)
 * writes the item from the execution's input.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../access/permissions.ts';
import type { ProcessInstance, ProcessSubject, StartProcessBody } from '../contracts/processes.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';
import type { RecordTypeSpec } from '../records/record-types.ts';
import { getRecord } from '../records/repository.ts';
import { describeExecution, executionArnOf, executionExists, startOnLiveAlias } from '../workflows/executions.ts';
import { readInstanceUnscoped, writeInstance, type InstanceBasics } from './instances.ts';
import { PROCESSES } from './process-registry.ts';

/**
 * What every execution of a process is given: its instance, the hash of the start request, and
 * what the process made of the start's input (the quick sale: `order` and `config`; its first
 * version was given the `input` as sent).
 */
export interface ExecutionInput {
  instance: Omit<InstanceBasics, 'startedAt'>;
  request: string;
  [prepared: string]: unknown;
}

/** The idempotency key already started another request (another process, subject or input). */
export class StartKeyReusedError extends DomainError {
  readonly code = 'IdempotencyKeyReused';

  constructor(readonly key: string) {
    super(`idempotencyKey ${key} already started another process instance; send a new key with a new start`);
    this.name = 'StartKeyReusedError';
  }

  details(): ErrorDetails {
    return { issues: [{ path: 'idempotencyKey', message: 'already started another process instance', value: this.key }] };
  }
}

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** An instance's id, and its execution's name: the same for the same tenant, starter and key. */
export const instanceIdOf = (tenant: string, sub: string, key: string) => hash('instance', tenant, sub, key).slice(0, 32);

/** Starts the process on the record (which the caller has checked the actor sees), once per key; answers the instance. */
export async function startProcess(principal: Principal, type: RecordTypeSpec, recordId: string, body: StartProcessBody): Promise<ProcessInstance> {
  const spec = PROCESSES[body.process];
  if (!spec.startsOn.includes(type.name)) {
    throw new FieldValidationError([{ path: 'process', message: `does not start on ${type.name} records (it starts on ${spec.startsOn.join(', ')})`, value: body.process }]);
  }
  // The route lets a record in the trash through (as it does to a restore): a process works a live one.
  await getRecord(principal, type.key, recordId);
  const subject: ProcessSubject = { type: type.name, id: recordId };
  const id = instanceIdOf(principal.tenant, principal.sub, body.idempotencyKey);
  const request = hash(JSON.stringify([body.process, subject, body.input]));
  let executionArn = executionArnOf(spec.workflow, id);
  // A start that makes records first (a client) looks for its execution before: a retry makes nothing again, a reused key nothing at all.
  if (!(spec.createsRecords(body.input) && (await executionExists(executionArn)))) {
    const input: ExecutionInput = { instance: { tenant: principal.tenant, id, process: body.process, subject, startedBy: principal.sub }, request, ...(await spec.prepare(principal, subject, body.input, id)) };
    ({ executionArn } = await startOnLiveAlias(spec.workflow, id, JSON.stringify(input)));
  }
  // Started now, or before (a retry, a copy, a clash of keys): the execution says which request it runs.
  const execution = await describeExecution(executionArn);
  const started = JSON.parse(execution.input) as ExecutionInput;
  if (started.request !== request) throw new StartKeyReusedError(body.idempotencyKey);
  await writeInstance({ ...started.instance, startedAt: execution.startDate.toISOString() }, { version: execution.version, request });
  return (await readInstanceUnscoped(principal.tenant, id))!;
}
