/**
 * What every report reads: the deals of the report (in the caller's scope and the query's owner
 * or team, as they are now) and each one's stage moves in the pipeline reported on, as `Step`s:
 * stages by their index in the pipeline, times in milliseconds, amounts in minor units. Pure: the
 * reading (stage-move-log.ts, the deal snapshot) is elsewhere.
 */
import type { DealStage, Pipeline } from '../contracts/deal-stages.ts';
import type { StageMove } from '../contracts/stage-moves.ts';
import { minorDigits } from '../contracts/money.ts';

/** An amount in a currency's minor units (cents). */
export interface Amount {
  minor: number;
  currency: string;
}

/** A deal as it is now, as the reports read it. */
export interface DealNow {
  id: string;
  owner: string;
  /** Its pipeline's key and its stage's key (as stored). */
  pipeline: string;
  stage: string;
  amount: Amount | null;
  /** The deal's own percent, if it sets one. */
  probability: number | null;
  /** YYYY-MM-DD. */
  expectedClose: string | null;
}

/** One move of a deal, in the terms of the pipeline reported on. */
export interface Step {
  at: number;
  /** The stage entered: its index in the pipeline's stages; LEFT when the deal moved to another pipeline. */
  stage: number;
  /** The stage left, when it was one of this pipeline's (null: created, from another pipeline, or a stage the pipeline no longer has). */
  from: number | null;
  /** The stage left as the move names it (any pipeline's key), null when created. */
  fromKey: string | null;
  amount: Amount | null;
  probability: number | null;
  owner: string | null;
  lossReason: string | undefined;
}

export const LEFT = -1;

export interface DealHistory {
  deal: DealNow;
  /** Its moves concerning the pipeline, oldest first. */
  steps: Step[];
}

/** Major units (a move's `amount`) as minor units of the currency. */
export function amountOf(major: number | null, currency: string | null): Amount | null {
  if (major === null || currency === null) return null;
  return { minor: Math.round(major * 10 ** minorDigits(currency)), currency };
}

/**
 * Each deal's steps in `pipeline`: moves into one of its stages, and moves out of it to another
 * pipeline (which end a stay); moves of other pipelines are not read. `moves` are oldest first
 * (at, then the deal's version).
 */
export function stepsByDeal(pipeline: Pipeline, moves: Iterable<StageMove>): Map<string, Step[]> {
  const index = new Map(pipeline.stages.map((stage, i) => [stage.key, i]));
  const steps = new Map<string, Step[]>();
  for (const move of moves) {
    const into = move.pipeline === pipeline.key;
    const outOf = move.fromPipeline === pipeline.key && !into;
    if (!into && !outOf) continue;
    const stage = into ? index.get(move.to) : LEFT;
    if (stage === undefined) continue;
    const samePipeline = move.fromPipeline === undefined || move.fromPipeline === pipeline.key;
    let list = steps.get(move.deal);
    if (!list) steps.set(move.deal, (list = []));
    list.push({
      at: Date.parse(move.at),
      stage,
      from: samePipeline && move.from !== null ? (index.get(move.from) ?? null) : null,
      fromKey: move.from,
      amount: amountOf(move.amount, move.currency),
      probability: move.probability,
      owner: move.owner,
      lossReason: move.lossReason,
    });
  }
  return steps;
}

const NO_STEPS: Step[] = [];

/** The deals with their steps (stepsByDeal): a deal of no move in the pipeline has none; moves of other deals (out of scope, trashed) are left out. */
export function dealHistories(deals: Iterable<DealNow>, steps: ReadonlyMap<string, Step[]>): DealHistory[] {
  return Array.from(deals, (deal) => ({ deal, steps: steps.get(deal.id) ?? NO_STEPS }));
}

export const isOpen = (stage: DealStage | undefined) => stage !== undefined && stage.outcome === undefined;
