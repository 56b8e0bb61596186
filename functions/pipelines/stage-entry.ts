/**
 * A stage's entry hook: a deal entering a stage with `onEnter.process` starts that process with
 * the deal as its subject, once per move. The move carries the process (deals/deal-stage.ts sets
 * it from the stage as it was at the move; imported and merged moves start none), and the table's
 * stream hands every new move here (stream/consumers.ts). The start goes through the ordinary one
 * (processes/start-process.ts) as the person who moved the deal, with an idempotency key of the
 * deal's id and the version the move made: a record delivered again meets the same execution.
 *
 * A start the deal cannot make (no lines, no company address: FieldValidationError; the mover
 * deactivated meanwhile) is logged and dropped, not retried: the deal stays where it was moved.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { ProcessName, StartProcessBody } from '../contracts/processes.ts';
import { principalOf } from '../access/permissions.ts';
import { stageMoveOf, stageMoveTenant } from '../deals/stage-moves.ts';
import { DomainError } from '../errors/domain-error.ts';
import { PROCESSES } from '../processes/process-registry.ts';
import { startProcess } from '../processes/start-process.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import { readRecordUnscoped } from '../records/repository.ts';
import { itemOfImage } from '../store/stream-images.ts';

/** Whether the item is a stage move (the consumer's `takes`). */
export const isStageMove = ({ pk, sk }: { pk: string; sk: string }) => stageMoveTenant(pk, sk) !== undefined;

/** The idempotency key of the start a move makes: one per deal and version. */
export const stageEntryKey = (deal: string, dealVersion: number) => `stage-${deal}-${dealVersion}`;

export async function stageEntryStep(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return;
  const item = itemOfImage(image);
  const tenant = item.tenant as string;
  const move = stageMoveOf(item);
  const spec = move.process ? PROCESSES[move.process as ProcessName] : undefined;
  if (!spec) return;
  const deal = await readRecordUnscoped(tenant, 'DEAL', move.deal);
  if (!deal || deal.deletedAt) return;
  try {
    const principal = await principalOf({ tenant, sub: move.by, groups: [] });
    const input = await spec.inputOfDeal(principal, deal);
    const body: StartProcessBody = { process: spec.name, idempotencyKey: stageEntryKey(move.deal, move.dealVersion), input };
    await startProcess(principal, recordTypeNamed('deal')!, deal.id, body);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    console.warn(JSON.stringify({ level: 'warn', message: `stage ${move.to} did not start ${spec.name} for deal ${move.deal}`, tenant, error: err.message, code: err.code }));
  }
}
