/**
 * What the UI reads off a pipeline's stages: a stage's colour, whether entering it asks for a loss
 * reason, and a deal's stage moves as the card's timeline lines (days in each stage counted from
 * the moves themselves, never guessed from the deal as it is now). Pure: the board, the grid and
 * the card share it, and its unit test needs no page.
 */
import { pipelineNamed, stageNamed, type DealStage, type Pipeline } from '$contracts/deal-stages.ts';
import type { StageMove } from '$contracts/stage-moves.ts';

/** A column's top edge, a card's dot: the stage's own colour; grey for a value that names no stage. */
export const stageColour = (stage: DealStage | undefined): string => stage?.colour ?? '#94a3b8';

/** What the loss dialog answers: the pipeline's reason (its key) and a comment. */
export interface LossAnswer {
  lossReason: string;
  lossComment?: string;
}

/** Entering a lost stage asks for one of the pipeline's loss reasons (and takes a comment). */
export const asksLossReason = (stage: DealStage | undefined): boolean => stage?.outcome === 'lost';

/**
 * The lost stage a deal enters when its stage goes from `from` to `to` in its pipeline (the one
 * `pipeline` names, else the first): what asks the loss dialog. undefined when `to` is no lost
 * stage, or the deal is in it already.
 */
export function lostStageEntered(pipelines: readonly Pipeline[], pipeline: unknown, from: unknown, to: unknown): { pipeline: Pipeline; stage: DealStage } | undefined {
  const of = pipelineNamed(pipelines, pipeline);
  const stage = of && stageNamed(of, to);
  if (!of || !stage || !asksLossReason(stage) || stageNamed(of, from)?.key === stage.key) return undefined;
  return { pipeline: of, stage };
}

const DAY_MS = 86_400_000;

export interface TimelineLine {
  /** The move's own key (its sort key's parts): moves of one instant stay apart. */
  key: string;
  at: string;
  by: string;
  /** Labels as the deal's pipeline has them now; a stage since removed shows its key. */
  from: string | null;
  to: string;
  /** The stage entered's colour. */
  colour: string;
  /** Whole days the deal stayed in `to`: until the next move, or until now for the last. */
  days: number;
  /** The last move: the deal is still in `to`. */
  current: boolean;
  amount: number | null;
  currency: string | null;
  probability: number | null | undefined;
  /** The reason's label (its key when the pipeline no longer lists it). */
  lossReason?: string;
  lossComment?: string;
  /** A move to another pipeline: the one it came from. */
  fromPipeline?: string;
  source: StageMove['source'];
}

/** The moves (oldest first) as timeline lines, newest first, days counted up to `now`. */
export function timelineOf(moves: readonly StageMove[], pipelines: readonly Pipeline[], now: Date): TimelineLine[] {
  const ordered = [...moves].sort((a, b) => a.at.localeCompare(b.at) || a.dealVersion - b.dealVersion);
  const lines = ordered.map((move, i): TimelineLine => {
    const pipeline = pipelineNamed(pipelines, move.pipeline);
    const before = move.fromPipeline ? pipelineNamed(pipelines, move.fromPipeline) : pipeline;
    const to = pipeline && stageNamed(pipeline, move.to);
    const from = move.from === null ? undefined : before && stageNamed(before, move.from);
    const until = ordered[i + 1]?.at ?? now.toISOString();
    const reason = move.lossReason ? (pipeline?.lossReasons.find((r) => r.key === move.lossReason)?.label ?? move.lossReason) : undefined;
    return {
      key: `${move.at}#${move.dealVersion}`,
      at: move.at,
      by: move.by,
      from: move.from === null ? null : (from?.label ?? move.from),
      to: to?.label ?? move.to,
      colour: stageColour(to),
      days: Math.max(0, Math.floor((Date.parse(until) - Date.parse(move.at)) / DAY_MS)),
      current: i === ordered.length - 1,
      amount: move.amount,
      currency: move.currency,
      probability: move.probability,
      lossReason: reason,
      lossComment: move.lossComment || undefined,
      fromPipeline: move.fromPipeline ? (before?.label ?? move.fromPipeline) : undefined,
      source: move.source,
    };
  });
  return lines.reverse();
}
