/**
 * A pipeline as the admin's editor holds it while it is changed: the contract's `PipelineFields`
 * (what a PUT sends), new stages and reasons keyed from their labels, items moved in place. Pure,
 * so the editor's rules are unit-tested without a page.
 */
import type { DealStage, LossReason, Pipeline, PipelineFields } from '$contracts/deal-stages.ts';

/** What the editor holds of a stored pipeline: its fields, without version and audit stamps. */
export function draftOf(pipeline: Pipeline): PipelineFields {
  const { key, label, stages, lossReasons } = structuredClone(pipeline);
  return { key, label, stages, lossReasons };
}

/**
 * A key from a label, as the contract's keys are (`Closed won` → `closed_won`), not one of
 * `taken` (`closed_won_2` then); a label with no letter gives `stage`.
 */
export function keyFrom(label: string, taken: Iterable<string>, fallback = 'stage'): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 36);
  const base = slug || fallback;
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** A new open stage, placed before the won and lost ones. */
export function addStage(draft: PipelineFields, label: string): DealStage {
  const stage: DealStage = { key: keyFrom(label, draft.stages.map((s) => s.key)), label, probability: 50, forecast: 'pipeline', colour: '#64748b', requiredFields: [] };
  const firstEnd = draft.stages.findIndex((s) => s.outcome);
  draft.stages.splice(firstEnd < 0 ? draft.stages.length : firstEnd, 0, stage);
  return stage;
}

export function addLossReason(draft: PipelineFields, label: string): LossReason {
  const reason = { key: keyFrom(label, draft.lossReasons.map((r) => r.key), 'reason'), label };
  draft.lossReasons.push(reason);
  return reason;
}

/** The item at `from` moved by `by` places (-1 up, 1 down); false when it cannot go further. */
export function moveItem<T>(list: T[], from: number, by: number): boolean {
  const to = from + by;
  if (from < 0 || from >= list.length || to < 0 || to >= list.length) return false;
  const [item] = list.splice(from, 1);
  list.splice(to, 0, item);
  return true;
}

/** A new pipeline's start: open stages, won and lost, one reason; its key from its label. */
export function newPipeline(label: string, taken: Iterable<string>): PipelineFields {
  const stage = (key: string, label: string, probability: number, forecast: DealStage['forecast'], colour: string, outcome?: 'won' | 'lost'): DealStage => ({
    key,
    label,
    probability,
    forecast,
    colour,
    requiredFields: [],
    ...(outcome ? { outcome } : {}),
  });
  return {
    key: keyFrom(label, taken, 'pipeline'),
    label,
    stages: [
      stage('new', 'New', 10, 'pipeline', '#6b7280'),
      stage('won', 'Won', 100, 'closed', '#16a34a', 'won'),
      stage('lost', 'Lost', 0, 'omitted', '#dc2626', 'lost'),
    ],
    lossReasons: [{ key: 'other', label: 'Other' }],
  };
}

