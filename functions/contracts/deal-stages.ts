/**
 * Deal stages are data the server knows: a pipeline is an ordered list of stages, each with its
 * key (what a deal's `stage` stores), its label (what people read and type), the probability a
 * deal in it has unless the deal says otherwise, and whether it ends the deal (won or lost).
 *
 * Every tenant has one pipeline today, DEFAULT_PIPELINE. Pipelines configurable per tenant (the
 * funnel issue) are more `Pipeline`s of the same shape, stored instead of written here: the
 * rules below already take the pipeline they apply to, so nothing else changes. The UI adds
 * colours by key (frontend lib/kanban/deal-stages.ts).
 */
import { z } from 'zod';
import { Percent } from './values.ts';

const Key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and _, like closed_won');

export const DealStage = z.strictObject({
  key: Key,
  label: z.string().trim().min(1).max(60),
  /** Percent (0-100) a deal in this stage is likely to close at, unless the deal sets its own. */
  probability: Percent,
  /** A stage that ends the deal: won or lost. Open stages have none. */
  outcome: z.enum(['won', 'lost']).optional(),
});
export type DealStage = z.infer<typeof DealStage>;

const folded = (text: string) => text.trim().toLowerCase();

export const Pipeline = z
  .strictObject({
    key: Key,
    label: z.string().trim().min(1).max(60),
    stages: z.array(DealStage).min(1).max(30),
  })
  .superRefine((pipeline, ctx) => {
    // A stage is named by key or label, either case: no two may read alike.
    const seen = new Map<string, number>();
    pipeline.stages.forEach((stage, i) => {
      for (const name of new Set([folded(stage.key), folded(stage.label)])) {
        const other = seen.get(name);
        if (other !== undefined && other !== i) ctx.addIssue({ code: 'custom', path: ['stages', i], message: `reads like stage ${other + 1} (“${name}”)` });
        seen.set(name, i);
      }
    });
  });
export type Pipeline = z.infer<typeof Pipeline>;

/** Every tenant's pipeline until pipelines are configurable: these keys are what deals stored before. */
export const DEFAULT_PIPELINE: Pipeline = Pipeline.parse({
  key: 'default',
  label: 'Sales',
  stages: [
    { key: 'new', label: 'New', probability: 10 },
    { key: 'qualified', label: 'Qualified', probability: 25 },
    { key: 'proposal', label: 'Proposal', probability: 50 },
    { key: 'negotiation', label: 'Negotiation', probability: 75 },
    { key: 'won', label: 'Won', probability: 100, outcome: 'won' },
    { key: 'lost', label: 'Lost', probability: 0, outcome: 'lost' },
  ],
});

/** The pipelines a tenant's deals may be in; the first is where a deal without `pipeline` is. */
export const PIPELINES: readonly Pipeline[] = [DEFAULT_PIPELINE];

/**
 * The pipeline a deal's `pipeline` names (its key or label, case and outer spaces aside); no
 * pipeline named: the first. undefined when the name is no pipeline's.
 */
export function pipelineNamed(pipelines: readonly Pipeline[], name: unknown): Pipeline | undefined {
  if (name === undefined || name === null || name === '') return pipelines[0];
  if (typeof name !== 'string') return undefined;
  return pipelines.find((pipeline) => folded(pipeline.key) === folded(name) || folded(pipeline.label) === folded(name));
}

/**
 * The stage a text names in `pipeline`: its key or its label, case and outer spaces aside
 * (`won`, `WON`, ` Won ` are all `won`). Also how a value stored before stages were known
 * (`Lost`) is read: as the stage it names.
 */
export function stageNamed(pipeline: Pipeline, name: unknown): DealStage | undefined {
  if (typeof name !== 'string') return undefined;
  const wanted = folded(name);
  return pipeline.stages.find((stage) => stage.key === wanted || folded(stage.label) === wanted);
}

/** Why a text names no stage, for a message after the field's name: `must be one of New, …`. */
export const notAStage = (pipeline: Pipeline) => `must be one of ${pipeline.stages.map((stage) => stage.label).join(', ')}`;

/**
 * The percent a deal is likely to close at: a won stage 100, a lost one 0 (whatever the deal
 * says: it is decided), else the deal's own probability, else its stage's. undefined for a
 * deal in no known stage that sets none.
 */
export function dealProbability(stage: DealStage | undefined, probability: unknown): number | undefined {
  if (stage?.outcome === 'won') return 100;
  if (stage?.outcome === 'lost') return 0;
  return typeof probability === 'number' ? probability : stage?.probability;
}
