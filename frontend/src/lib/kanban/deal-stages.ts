/**
 * The stages of the deal pipeline, in order: the board's columns. A deal's `stage` is free text
 * in the contract (pipelines become configurable with the sales-funnel process); until then this
 * module is the one place the list comes from. Deals in a stage not listed here still get a
 * column (after these), so none is ever hidden.
 */
export interface DealStage {
  /** The value stored in the deal's `stage`. */
  value: string;
  label: string;
}

export const DEAL_STAGES: readonly DealStage[] = [
  { value: 'new', label: 'New' },
  { value: 'qualified', label: 'Qualified' },
  { value: 'proposal', label: 'Proposal' },
  { value: 'negotiation', label: 'Negotiation' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
];

/** The stages to choose from for a deal now in `current`: the pipeline's, and its own if unlisted. */
export function stageChoices(current: unknown): string[] {
  const values = DEAL_STAGES.map((stage) => stage.value);
  return typeof current === 'string' && current && !values.includes(current) ? [...values, current] : values;
}
