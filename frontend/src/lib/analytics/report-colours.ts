/**
 * Colours of a report's marks: a stage in its pipeline's own colour (the board's, the
 * administrator's choice), a forecast category and won or lost in fixed ones; anything else
 * (loss reasons, owners, months) the chart's palette.
 */
import type { Series } from '$contracts/analytics.ts';
import type { Pipeline } from '$contracts/deal-stages.ts';

const FIXED: Record<string, string> = {
  pipeline: '#94a3b8',
  best_case: '#0ea5e9',
  commit: '#2f5bea',
  closed: '#16a34a',
  omitted: '#cbd5e1',
  won: '#16a34a',
  wonAmount: '#16a34a',
  lost: '#c8322b',
  lostAmount: '#c8322b',
};

/** The colour of a point (`x`: its category) or of a whole series (`x`: its key). */
export const reportColours = (pipeline: Pipeline | undefined) => (_series: Series, x: string) => pipeline?.stages.find((stage) => stage.key === x)?.colour ?? FIXED[x];
