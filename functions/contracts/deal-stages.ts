/**
 * Deal stages are data the server knows: a tenant's pipelines (1 to MAX_PIPELINES, stored per
 * tenant: functions/pipelines/), each an ordered list of stages. A stage has its key (what a
 * deal's `stage` stores), its label (what people read and type), the probability a deal in it
 * has unless the deal says otherwise, its forecast category, its colour, the fields a deal must
 * have to enter it, how many days a deal should stay in it at most, the process a deal entering
 * it starts, and whether it ends the deal (won or lost). A pipeline also lists the reasons a deal
 * is lost for (a deal entering a lost stage names one).
 *
 * A tenant that never saved a pipeline has DEFAULT_PIPELINE (version 0): the keys deals stored
 * before pipelines were configurable are its keys, so old deals need no migration.
 */
import { z } from 'zod';
import { Percent } from './values.ts';

const Key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and _, like closed_won');

/** At most so many pipelines per tenant, stages per pipeline, loss reasons per pipeline, fields a stage requires. */
export const MAX_PIPELINES = 20;

/** The change feed's type of a change of the tenant's pipelines (no record type has it: a record type's key is its own word); its id is the pipeline's key. */
export const PIPELINE_FEED_TYPE = 'PIPELINE';
export const MAX_STAGES = 30;
export const MAX_LOSS_REASONS = 50;
export const MAX_REQUIRED_FIELDS = 50;
/** A loss comment's length at most. */
export const MAX_LOSS_COMMENT = 1_000;

/** Where a stage's deals count in a forecast (Salesforce's categories). */
export const FORECAST_CATEGORIES = ['pipeline', 'best_case', 'commit', 'closed', 'omitted'] as const;
export const ForecastCategory = z.enum(FORECAST_CATEGORIES);
export type ForecastCategory = z.infer<typeof ForecastCategory>;

/** A colour as `#rrggbb`, stored in lower case. */
export const Colour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a7f37')
  .transform((colour) => colour.toLowerCase());

/** A field a stage requires, by its key: a deal's own (`amount`, `expectedClose`) or a custom one (`cf_...`). */
export const FieldKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a field key like amount or cf_budget');

export const DealStage = z.strictObject({
  key: Key,
  label: z.string().trim().min(1).max(60),
  /** Percent (0-100) a deal in this stage is likely to close at, unless the deal sets its own. */
  probability: Percent,
  forecast: ForecastCategory,
  colour: Colour,
  /** Fields a deal must have (not empty) to enter the stage; checked on entry only. */
  requiredFields: z.array(FieldKey).max(MAX_REQUIRED_FIELDS).default([]),
  /** Days a deal should stay in the stage at most; past them it is stalled. */
  maxDays: z.number().int().min(1).max(3650).optional(),
  /** A process a deal entering the stage starts, with the deal as its subject (once per move). */
  // A process's name (contracts/processes.ts PROCESS_NAMES, which this module cannot import: it
  // imports the record types); the server refuses a name it has no process of.
  onEnter: z.strictObject({ process: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a process name like quick-sale') }).optional(),
  /** A stage that ends the deal: won or lost. Open stages have none. */
  outcome: z.enum(['won', 'lost']).optional(),
});
export type DealStage = z.infer<typeof DealStage>;

/** Why a deal was lost: `key` is what the deal's `lossReason` stores. */
export const LossReason = z.strictObject({ key: Key, label: z.string().trim().min(1).max(100) });
export type LossReason = z.infer<typeof LossReason>;

const folded = (text: string) => text.trim().toLowerCase();

/** Refuses items of a list named alike (by key or label, either case) at `[list, i]`. */
function distinctNames(list: 'stages' | 'lossReasons', what: string, items: ReadonlyArray<{ key: string; label: string }>, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    for (const name of new Set([folded(item.key), folded(item.label)])) {
      const other = seen.get(name);
      if (other !== undefined && other !== i) ctx.addIssue({ code: 'custom', path: [list, i], message: `reads like ${what} ${other + 1} (“${name}”)` });
      seen.set(name, i);
    }
  });
}

const pipelineShape = {
  key: Key,
  label: z.string().trim().min(1).max(60),
  stages: z.array(DealStage).min(2).max(MAX_STAGES),
  lossReasons: z.array(LossReason).min(1).max(MAX_LOSS_REASONS),
};

/** A pipeline's rules beyond each field: names told apart, a won and a lost stage. */
function checkPipeline(pipeline: { stages: DealStage[]; lossReasons: LossReason[] }, ctx: z.RefinementCtx): void {
  // A stage is named by key or label, either case: no two may read alike; reasons likewise.
  distinctNames('stages', 'stage', pipeline.stages, ctx);
  distinctNames('lossReasons', 'reason', pipeline.lossReasons, ctx);
  for (const outcome of ['won', 'lost'] as const) {
    if (!pipeline.stages.some((stage) => stage.outcome === outcome)) ctx.addIssue({ code: 'custom', path: ['stages'], message: `needs a ${outcome} stage (outcome: ${outcome})` });
  }
}

/** What an administrator writes of a pipeline (POST /api/pipelines, the `pipeline` of a PUT). */
export const PipelineFields = z.strictObject(pipelineShape).superRefine(checkPipeline);
export type PipelineFields = z.infer<typeof PipelineFields>;

/** A pipeline as stored and answered: version 0 is the seed of a tenant that never saved one. */
export const Pipeline = z
  .strictObject({
    ...pipelineShape,
    version: z.number().int().min(0),
    updatedAt: z.string().optional(),
    updatedBy: z.string().optional(),
  })
  .superRefine(checkPipeline);
export type Pipeline = z.infer<typeof Pipeline>;

/** `GET /api/pipelines`: the tenant's pipelines in their order (the first is a new deal's without one). */
export const PipelineList = z.object({ items: z.array(Pipeline) });
export type PipelineList = z.infer<typeof PipelineList>;

/** `PUT /api/pipelines/{key}`: the whole pipeline over the version seen (409 with the current one otherwise); its key stays. */
export const PutPipelineBody = z.strictObject({ version: z.number().int().min(0), pipeline: PipelineFields });
export type PutPipelineBody = z.infer<typeof PutPipelineBody>;

/** `DELETE /api/pipelines/{key}?version=N`. */
export const DeletePipelineQuery = z.strictObject({ version: z.coerce.number().int().min(0) });

/** `POST /api/pipelines/{key}/stages/{stage}/merge`: the stage's deals move to `into`, then the stage goes. */
export const MergeStageBody = z.strictObject({ into: Key, version: z.number().int().min(0) });
export type MergeStageBody = z.infer<typeof MergeStageBody>;

/**
 * The merge's answer: `moved` deals this request; `later` true when deals are left (the work
 * budget ran out; send the same request again), with the pipeline unchanged; else the pipeline
 * without the stage (200).
 */
export const MergeStageAnswer = z.object({ moved: z.number().int(), later: z.boolean(), pipeline: Pipeline });
export type MergeStageAnswer = z.infer<typeof MergeStageAnswer>;

/** The seed of every tenant's pipelines: these keys are what deals stored before pipelines were the tenant's. */
export const DEFAULT_PIPELINE: Pipeline = Pipeline.parse({
  key: 'default',
  label: 'Sales',
  version: 0,
  stages: [
    { key: 'new', label: 'New', probability: 10, forecast: 'pipeline', colour: '#6b7280' },
    { key: 'qualified', label: 'Qualified', probability: 25, forecast: 'pipeline', colour: '#2563eb' },
    { key: 'proposal', label: 'Proposal', probability: 50, forecast: 'best_case', colour: '#7c3aed' },
    { key: 'negotiation', label: 'Negotiation', probability: 75, forecast: 'commit', colour: '#d97706' },
    { key: 'won', label: 'Won', probability: 100, forecast: 'closed', colour: '#16a34a', outcome: 'won' },
    { key: 'lost', label: 'Lost', probability: 0, forecast: 'omitted', colour: '#dc2626', outcome: 'lost' },
  ],
  lossReasons: [
    { key: 'price', label: 'Price' },
    { key: 'competitor', label: 'Competitor' },
    { key: 'no_budget', label: 'No budget' },
    { key: 'no_decision', label: 'No decision' },
    { key: 'timing', label: 'Timing' },
    { key: 'other', label: 'Other' },
  ],
});

/**
 * The seed alone, for the frontend's code that has not yet read GET /api/pipelines (its board and
 * grid cells); the server reads the tenant's (functions/pipelines/pipelines.ts) and never this.
 * @deprecated read the tenant's pipelines
 */
export const PIPELINES: readonly Pipeline[] = [DEFAULT_PIPELINE];

/** A pipeline as far as naming stages and reasons goes (a stored one or what an editor holds). */
type Named = Pick<Pipeline, 'key' | 'label' | 'stages'>;

/**
 * The pipeline a deal's `pipeline` names (its key or label, case and outer spaces aside); no
 * pipeline named: the first. undefined when the name is no pipeline's.
 */
export function pipelineNamed<P extends Named>(pipelines: readonly P[], name: unknown): P | undefined {
  if (name === undefined || name === null || name === '') return pipelines[0];
  if (typeof name !== 'string') return undefined;
  return pipelines.find((pipeline) => folded(pipeline.key) === folded(name) || folded(pipeline.label) === folded(name));
}

/**
 * The stage a text names in `pipeline`: its key or its label, case and outer spaces aside
 * (`won`, `WON`, ` Won ` are all `won`). Also how a value stored before stages were known
 * (`Lost`) is read: as the stage it names.
 */
export function stageNamed(pipeline: Named, name: unknown): DealStage | undefined {
  if (typeof name !== 'string') return undefined;
  const wanted = folded(name);
  return pipeline.stages.find((stage) => stage.key === wanted || folded(stage.label) === wanted);
}

/** The loss reason a text names in `pipeline` (its key or label, case aside). */
export function lossReasonNamed(pipeline: Pick<Pipeline, 'lossReasons'>, name: unknown): LossReason | undefined {
  if (typeof name !== 'string') return undefined;
  const wanted = folded(name);
  return pipeline.lossReasons.find((reason) => reason.key === wanted || folded(reason.label) === wanted);
}

/** Why a text names no stage, for a message after the field's name: `must be one of New, …`. */
export const notAStage = (pipeline: Named) => `must be one of ${pipeline.stages.map((stage) => stage.label).join(', ')}`;

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
