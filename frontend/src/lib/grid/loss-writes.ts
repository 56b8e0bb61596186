/**
 * The grid's side of "lost only with a reason": of a batch of cell writes (an edit, a paste, a
 * fill), the deals whose stage cell enters a lost stage of their pipeline without the batch also
 * giving them a loss reason; and, once the loss dialog is answered, the batch with the reason and
 * comment cells of those deals added, so each deal's stage and reason go in one bulk request (the
 * server applies a record's changes together). Pure, for its unit test.
 */
import type { DealStage, Pipeline } from '$contracts/deal-stages.ts';
import { rowId, VALUE_OFFSET, type CellWrite } from './cell-writes.ts';
import { InputRefused } from '../records/cell-input.ts';
import { valueOf, type GridField } from '../records/grid-fields.ts';
import { lostStageEntered, type LossAnswer } from '../pipelines/stage-rules.ts';

export interface LossAsked {
  /** The stage writes that ask for a reason. */
  writes: CellWrite[];
  /** The first one's pipeline and stage: the dialog offers that pipeline's reasons. */
  pipeline: Pipeline;
  stage: DealStage;
}

/**
 * The writes of `batch` that move a deal into a lost stage (from another: a paste of the stage it
 * is in moves nothing) with no reason given in the batch; undefined when none does.
 */
export function lossesAsked(batch: readonly CellWrite[], fields: readonly GridField[], pipelines: readonly Pipeline[]): LossAsked | undefined {
  const pipelineAt = fields.findIndex((field) => field.key === 'pipeline');
  const stageAt = fields.findIndex((field) => field.key === 'stage');
  const reasoned = new Set(batch.filter((write) => write.field.key === 'lossReason').map((write) => rowId(write.row)));
  const asked: Array<{ write: CellWrite; pipeline: Pipeline; stage: DealStage }> = [];
  for (const write of batch) {
    if (write.field.key !== 'stage' || reasoned.has(rowId(write.row))) continue;
    const lost = lostStageEntered(pipelines, pipelineAt < 0 ? undefined : write.row[VALUE_OFFSET + pipelineAt], write.row[VALUE_OFFSET + stageAt], stageKey(write));
    if (lost) asked.push({ write, ...lost });
  }
  return asked.length ? { writes: asked.map((a) => a.write), pipeline: asked[0].pipeline, stage: asked[0].stage } : undefined;
}

/** The stage a write names (its text read as the cell reads it); a text that names none is the cell's refusal, later. */
function stageKey(write: CellWrite): unknown {
  if (write.value !== undefined) return write.value;
  try {
    return valueOf(write.field, write.text);
  } catch (err) {
    if (err instanceof InputRefused) return undefined;
    throw err;
  }
}

/**
 * The batch as it goes once the dialog is answered: with a reason (and the comment) for each deal
 * asked about, next to its stage; cancelled (`undefined`), without those stage writes.
 */
export function withLoss(batch: readonly CellWrite[], asked: LossAsked, answer: LossAnswer | undefined, fields: readonly GridField[]): CellWrite[] {
  const lost = new Set(asked.writes);
  if (!answer) return batch.filter((write) => !lost.has(write));
  const reasonField = fields.find((field) => field.key === 'lossReason');
  const commentField = fields.find((field) => field.key === 'lossComment');
  const label = asked.pipeline.lossReasons.find((reason) => reason.key === answer.lossReason)?.label ?? answer.lossReason;
  return batch.flatMap((write) => {
    if (!lost.has(write)) return [write];
    const row = write.row;
    return [
      write,
      ...(reasonField ? [{ row, field: reasonField, text: label, value: answer.lossReason }] : []),
      ...(commentField && answer.lossComment ? [{ row, field: commentField, text: answer.lossComment, value: answer.lossComment }] : []),
    ];
  });
}
