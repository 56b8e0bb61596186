/** Pipelines as an administrator writes them (contracts/deal-stages.ts PipelineFields), for the tests of pipelines and of every route. */
import type { PipelineFields } from '../../functions/contracts/deal-stages.ts';

export interface PipelineShape {
  /** Stages in all: open ones first, then one won and one lost (at least 2). */
  stages?: number;
  reasons?: number;
  /** Characters of each label (stages at most 60, reasons 100, the pipeline 60). */
  labels?: number;
  /** Each stage's required fields. */
  requiredFields?: string[];
  label?: string;
}

const padded = (text: string, length: number | undefined, max: number) => (length === undefined ? text : `${text} ${'x'.repeat(Math.max(0, Math.min(length, max) - text.length - 1))}`.slice(0, Math.min(length, max)));

/** A valid pipeline: `open_1`..`open_n`, then `won` and `lost`; reasons `reason_1`.. */
export function pipelineOf(key: string, shape: PipelineShape = {}): PipelineFields {
  const { stages = 4, reasons = 2, labels, requiredFields = [] } = shape;
  const open = Array.from({ length: stages - 2 }, (_, i) => ({ key: `open_${i + 1}`, label: padded(`Open ${i + 1}`, labels, 60), probability: Math.min(90, 10 * (i + 1)), forecast: 'pipeline' as const, colour: '#2563eb', requiredFields }));
  return {
    key,
    label: padded(shape.label ?? `Pipeline ${key}`, labels, 60),
    stages: [
      ...open,
      { key: 'won', label: padded('Won', labels, 60), probability: 100, forecast: 'closed', colour: '#16a34a', requiredFields: [], outcome: 'won' },
      { key: 'lost', label: padded('Lost', labels, 60), probability: 0, forecast: 'omitted', colour: '#dc2626', requiredFields: [], outcome: 'lost' },
    ],
    lossReasons: Array.from({ length: reasons }, (_, i) => ({ key: `reason_${i + 1}`, label: padded(`Reason ${i + 1}`, labels, 100) })),
  };
}

/** A second pipeline as the funnel's UI tests use it: renewals, whose Quote needs an amount and a close date to enter. */
export const RENEWALS: PipelineFields = {
  key: 'renewals',
  label: 'Renewals',
  stages: [
    { key: 'due', label: 'Due', probability: 40, forecast: 'pipeline', colour: '#0ea5e9', requiredFields: [] },
    { key: 'quote', label: 'Quote', probability: 70, forecast: 'commit', colour: '#a855f7', requiredFields: ['amount', 'expectedClose'] },
    { key: 'renewed', label: 'Renewed', probability: 100, forecast: 'closed', colour: '#16a34a', requiredFields: [], outcome: 'won' },
    { key: 'churned', label: 'Churned', probability: 0, forecast: 'omitted', colour: '#b91c1c', requiredFields: [], outcome: 'lost' },
  ],
  lossReasons: [
    { key: 'moved_away', label: 'Moved away' },
    { key: 'budget_cut', label: 'Budget cut' },
  ],
};
