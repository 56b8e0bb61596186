/**
 * The one rule of a deal's place in the funnel, applied to every write of a deal (a creation, a
 * PATCH, a paste, an import, a merge of records, a process's step, a stage merge: they all plan
 * through records/records.ts, which runs the deal's write rules, deal-writes.ts):
 *
 * - its pipeline is one of the tenant's and its stage one of that pipeline's, stored by key (a
 *   stage named by label or in another case, `Won`, `WON`, is stored as `won`); a new deal
 *   without one starts in the pipeline's first stage; a stage of another pipeline is refused;
 * - entering a stage needs the stage's `requiredFields` (each missing one named), but for a
 *   stage merge, which moves deals an administrator decided on;
 * - entering a lost stage needs a `lossReason` of the pipeline's list (`lossComment` optional);
 *   a deal that is not lost has neither (leaving a lost stage clears them; the move that lost
 *   the deal keeps them);
 * - every move (a creation, a change of stage or pipeline) is a StageMove written in the same
 *   transaction (stage-moves.ts), so the deal and its history commit together or not at all.
 *
 * Checked only when the stage, pipeline or loss fields are written, so a deal holding a value
 * stored before stages were known (`Lost`) can still be changed otherwise; readers map such
 * values with `stageNamed` as well.
 */
import { dealProbability, lossReasonNamed, notAStage, pipelineNamed, stageNamed, type DealStage, type Pipeline } from '../contracts/deal-stages.ts';
import type { Money } from '../contracts/money.ts';
import type { StageMove, StageMoveSource } from '../contracts/stage-moves.ts';
import { FieldValidationError, type FieldIssue } from '../errors/field-validation-error.ts';

type Fields = Record<string, unknown>;

/** A write of a deal as the rule sees it (records/record-types.ts `TypedWrite`). */
export interface DealWrite {
  writer: { sub: string };
  id: string;
  at: string;
  current?: Fields & { owner?: unknown };
  next: Fields;
  changed: Fields;
  version: number;
  source: StageMoveSource;
}

/** A move of an imported stage history: the file's, in time order; checked against the pipeline as a move is. */
export interface GivenMove {
  /** The row's label in the file, for the issues' paths (`line 12`). */
  line: number;
  from: string | null;
  to: string;
  at: string;
  by: string;
  amount?: number | null;
  lossReason?: string | null;
  lossComment?: string | null;
}

/** What the rule makes of a write: the fields to store and the moves to write with it. */
export interface StagePlan {
  fields: Fields;
  moves: StageMove[];
}

/** The fields that, when written, bring the rule into play. */
const STAGE_FIELDS = ['stage', 'pipeline', 'lossReason', 'lossComment'];

/** Sources whose moves start no process: an imported history happened before; a merge is an administrator's tidying. */
const QUIET_SOURCES: ReadonlySet<StageMoveSource> = new Set(['import', 'merge']);

/** Whether the rule has anything to say of the write: a creation, or a write of the stage, pipeline or loss. */
export const touchesStage = (write: Pick<DealWrite, 'current' | 'changed'>) => !write.current || STAGE_FIELDS.some((field) => field in write.changed);

export function planDealStage(pipelines: readonly Pipeline[], write: DealWrite, given?: readonly GivenMove[]): StagePlan {
  const { current, next, changed } = write;
  if (!touchesStage(write)) return { fields: {}, moves: [] };
  const pipeline = pipelineNamed(pipelines, next.pipeline);
  if (!pipeline) throw new FieldValidationError([{ path: 'pipeline', message: `must be one of ${pipelines.map((p) => p.label).join(', ')}`, value: next.pipeline }]);
  const stage = !current && (next.stage === undefined || next.stage === null) ? pipeline.stages[0] : stageNamed(pipeline, next.stage);
  if (!stage) throw new FieldValidationError([{ path: 'stage', message: notAStage(pipeline), value: next.stage }]);

  const before = current && placeOf(pipelines, current);
  const moved = !before || before.pipeline !== pipeline.key || before.stage !== stage.key;
  const fields: Fields = { pipeline: pipeline.key, stage: stage.key };
  const issues: FieldIssue[] = [];
  if (stage.outcome === 'lost') {
    if (moved || 'lossReason' in changed) {
      const reason = lossReasonNamed(pipeline, next.lossReason);
      if (reason) fields.lossReason = reason.key;
      else issues.push({ path: 'lossReason', message: `${next.lossReason == null ? `is required to enter ${stage.label}` : 'is no loss reason of the pipeline'}: ${reasonList(pipeline)}`, value: next.lossReason });
    }
  } else {
    for (const field of ['lossReason', 'lossComment']) {
      if (changed[field] != null) issues.push({ path: field, message: `is only for a lost deal (stage ${stage.label} is not lost)`, value: changed[field] });
      // Reopened: the loss is history now (its move keeps it).
      else if (moved && current?.[field] != null) fields[field] = null;
    }
  }
  if (moved && !given && write.source !== 'merge') {
    const after = { ...next, ...fields };
    for (const field of stage.requiredFields) if (isEmpty(after[field])) issues.push({ path: field, message: `is required to enter ${stage.label}` });
  }
  if (issues.length) throw new FieldValidationError(issues);

  const after = { ...next, ...fields };
  const owner = (changed.owner ?? current?.owner ?? write.writer.sub) as string;
  if (given) return { fields, moves: givenMoves(pipeline, stage, write, given, owner, after) };
  if (!moved) return { fields, moves: [] };
  const money = after.amount as Money | undefined;
  const move: StageMove = {
    deal: write.id,
    pipeline: pipeline.key,
    ...(before && before.pipeline !== pipeline.key ? { fromPipeline: before.pipeline } : {}),
    from: before ? before.stage : null,
    to: stage.key,
    at: write.at,
    by: write.writer.sub,
    amount: money ? Number(money.amount) : null,
    currency: money?.currency ?? null,
    probability: dealProbability(stage, after.probability) ?? null,
    owner,
    ...(stage.outcome === 'lost' ? lossOf(after) : {}),
    dealVersion: write.version,
    source: write.source,
    ...(stage.onEnter && !QUIET_SOURCES.has(write.source) ? { process: stage.onEnter.process } : {}),
  };
  return { fields, moves: [move] };
}

/**
 * The moves of an imported history, each checked as a move is (its stages the pipeline's, a
 * lost one with a reason of its list), ending where the deal does; refused naming each line.
 */
function givenMoves(pipeline: Pipeline, last: DealStage, write: DealWrite, given: readonly GivenMove[], owner: string, deal: Fields): StageMove[] {
  const issues: FieldIssue[] = [];
  const money = deal.amount as Money | undefined;
  const moves = given.map((move, i): StageMove | undefined => {
    const path = `line ${move.line}`;
    const to = stageNamed(pipeline, move.to);
    const from = move.from === null ? null : stageNamed(pipeline, move.from);
    if (!to) issues.push({ path: `${path}.to`, message: notAStage(pipeline), value: move.to });
    if (from === undefined) issues.push({ path: `${path}.from`, message: notAStage(pipeline), value: move.from });
    if (i === given.length - 1 && to && to.key !== last.key) issues.push({ path: `${path}.to`, message: `is not the deal's stage (${last.label})`, value: move.to });
    const reason = to?.outcome === 'lost' ? lossReasonNamed(pipeline, move.lossReason) : undefined;
    if (to?.outcome === 'lost' && !reason) issues.push({ path: `${path}.lossReason`, message: `is required into ${to.label}: ${reasonList(pipeline)}`, value: move.lossReason });
    if (!to || from === undefined) return undefined;
    return {
      deal: write.id,
      pipeline: pipeline.key,
      from: from?.key ?? null,
      to: to.key,
      at: move.at,
      by: move.by,
      amount: move.amount ?? null,
      currency: move.amount == null ? null : (money?.currency ?? null),
      probability: dealProbability(to, undefined) ?? null,
      owner,
      ...(reason ? { lossReason: reason.key, ...(move.lossComment ? { lossComment: move.lossComment } : {}) } : {}),
      dealVersion: write.version,
      source: 'import',
    };
  });
  if (issues.length) throw new FieldValidationError(issues);
  return moves as StageMove[];
}

/** Where a stored deal is: its pipeline's key and its stage's key (or the value it holds, if that names no stage). */
function placeOf(pipelines: readonly Pipeline[], deal: Fields): { pipeline: string; stage: string | null } {
  const pipeline = pipelineNamed(pipelines, deal.pipeline);
  const stage = pipeline && stageNamed(pipeline, deal.stage);
  return { pipeline: pipeline?.key ?? String(deal.pipeline), stage: stage?.key ?? (typeof deal.stage === 'string' ? deal.stage : null) };
}

const lossOf = (deal: Fields) => ({
  ...(typeof deal.lossReason === 'string' ? { lossReason: deal.lossReason } : {}),
  ...(typeof deal.lossComment === 'string' && deal.lossComment ? { lossComment: deal.lossComment } : {}),
});

const reasonList = (pipeline: Pipeline) => `one of ${pipeline.lossReasons.map((reason) => reason.label).join(', ')}`;

/** Nothing there: absent, null, blank text or an empty list. */
const isEmpty = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
