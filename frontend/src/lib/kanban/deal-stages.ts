/**
 * The board's pipeline and what the UI adds to its stages: a colour by stage key. The stages
 * themselves are the server's (`$contracts/deal-stages.ts`); a deal whose stored stage names
 * none of them (a value typed while the stage was free text) still gets a column (board.ts).
 */
import { DEFAULT_PIPELINE, type Pipeline } from '$contracts/deal-stages.ts';

/** The pipeline the board shows: the one every tenant has until pipelines are configurable. */
export const BOARD_PIPELINE: Pipeline = DEFAULT_PIPELINE;

const COLOURS: Record<string, string> = {
  new: '#64748b',
  qualified: '#0ea5e9',
  proposal: '#8b5cf6',
  negotiation: '#f59e0b',
  won: '#16a34a',
  lost: '#dc2626',
};

/** A stage's colour (its column's top edge, its dot on a card); grey for one the UI has none for. */
export const stageColour = (key: string | null): string => (key && COLOURS[key]) || '#94a3b8';
