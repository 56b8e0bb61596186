/**
 * Administering the tenant's pipelines (stored by deals/pipelines.ts): what a pipeline may name
 * (processes that start on deals, fields a deal has), and what its deals allow. A stage that
 * holds deals is not dropped by a PUT, and a pipeline that holds deals is not deleted (409 naming
 * the stage and its count of deals); a stage is merged into another instead: its deals move
 * there, each a change with its stage move (source `merge`), a page within the work budget per
 * request, and once it holds none it leaves the pipeline.
 *
 * Deals are counted from the type's snapshot (views/type-snapshot.ts: every live deal, caught up
 * with every change committed before the read). A deal moved into a stage while a PUT drops it is
 * not seen by that PUT (no deal write is conditional on the pipeline's version, which would make
 * every board drag wait for an administrator's edit); it keeps the stage's key, as a deal stored
 * before stages were known does, and the next move takes it out.
 */
import { PipelineFields, pipelineNamed, stageNamed, type DealStage, type MergeStageAnswer, type Pipeline, type PutPipelineBody } from '../contracts/deal-stages.ts';
import { DealFields } from '../contracts/deal.ts';
import { PROCESS_INFOS } from '../contracts/processes.ts';
import type { Principal } from '../access/permissions.ts';
import { systemActor } from '../access/actor.ts';
import { createPipeline, removePipeline, replacePipeline, tenantPipeline, tenantPipelines } from '../deals/pipelines.ts';
import { DomainError, type ErrorDetails } from '../errors/domain-error.ts';
import { FieldValidationError, type FieldIssue } from '../errors/field-validation-error.ts';
import { fieldDefinitions } from '../fields/field-definitions.ts';
import { VersionConflictError, type StoredRecord } from '../records/errors.ts';
import { recordSchemaFor } from '../records/record-schema.ts';
import { recordTypeNamed } from '../records/record-types.ts';
import { planChange } from '../records/records.ts';
import { commit, readRecordUnscoped } from '../records/repository.ts';
import { bytesRead, inParallelWithinBudget } from '../records/work-budget.ts';
import { TenantItemConflictError, TenantItemNotFoundError } from '../tenant-items/tenant-items.ts';
import { typeSnapshot } from '../views/type-snapshot.ts';

/** Deals hold what a PUT or DELETE would take away. */
export class PipelineInUseError extends DomainError {
  readonly code = 'InUse';

  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
    this.name = 'PipelineInUseError';
  }

  details(): ErrorDetails {
    return { issues: this.issues };
  }
}

const dealType = () => recordTypeNamed('deal')!;

/** The fields of a deal a stage may require: a deal's own (but those the stage rule sets) and the tenant's custom ones. */
const OWN_FIELDS = Object.keys(DealFields.shape).filter((field) => !['pipeline', 'stage', 'lossReason', 'lossComment'].includes(field));

/** Each stage's process starts on deals, each required field is a deal's; refused naming each that is not. */
async function assertNames(tenant: string, pipeline: PipelineFields, prefix: string): Promise<void> {
  const fields = new Set([...OWN_FIELDS, ...(await fieldDefinitions(tenant, dealType())).map((definition) => definition.key)]);
  const issues: FieldIssue[] = [];
  pipeline.stages.forEach((stage, i) => {
    const process = stage.onEnter?.process;
    if (process !== undefined && !PROCESS_INFOS.some((info) => info.name === process && (info.startsOn as readonly string[]).includes('deal'))) {
      issues.push({ path: `${prefix}stages.${i}.onEnter.process`, message: 'is no process that starts on deals', value: process });
    }
    stage.requiredFields.forEach((field, j) => {
      if (!fields.has(field)) issues.push({ path: `${prefix}stages.${i}.requiredFields.${j}`, message: 'is no field of a deal', value: field });
    });
  });
  if (issues.length) throw new FieldValidationError(issues);
}

export async function addPipeline(actor: Principal, fields: PipelineFields): Promise<Pipeline> {
  await assertNames(actor.tenant, fields, '');
  return createPipeline(actor, fields);
}

/** The whole pipeline over the version seen; a stage dropped while deals are in it is refused, naming it and their count. */
export async function changePipeline(actor: Principal, key: string, { version, pipeline }: PutPipelineBody): Promise<Pipeline> {
  // A pipeline that is not there is a 404 whatever the body, as for every route that names one.
  await tenantPipeline(actor.tenant, key);
  if (pipeline.key !== key) throw new FieldValidationError([{ path: 'pipeline.key', message: `is the pipeline's key (${key}), which does not change`, value: pipeline.key }]);
  await assertNames(actor.tenant, pipeline, 'pipeline.');
  const deals = await dealPlaces(actor.tenant);
  return replacePipeline(actor, key, version, pipeline, (current) => {
    const dropped = current.stages.filter((stage) => !pipeline.stages.some((kept) => kept.key === stage.key));
    const issues = dropped.flatMap((stage) => {
      const count = deals.count(key, stage.key);
      return count ? [{ path: 'pipeline.stages', message: `cannot drop stage ${stage.label}: ${count} deals are in it; merge it into another stage`, value: stage.key }] : [];
    });
    if (issues.length) throw new PipelineInUseError(issues);
  });
}

/** Deletes the pipeline at the version seen, unless deals are in it (or it is the tenant's last). */
export async function deletePipeline(actor: Principal, key: string, version: number): Promise<void> {
  const deals = await dealPlaces(actor.tenant);
  await removePipeline(actor, key, version, (current) => {
    const count = deals.count(current.key);
    if (count) throw new PipelineInUseError([{ path: 'key', message: `cannot delete pipeline ${current.label}: ${count} deals are in it; move them to another pipeline first`, value: key }]);
  });
}

/**
 * Moves the deals of `stageKey` into `into` (each a change with its stage move, source `merge`, by
 * the administrator), as many as the work budget allows; when none is left, the pipeline loses
 * the stage (version + 1). `later`: deals are left, send the same request again.
 */
export async function mergeStage(actor: Principal, key: string, stageKey: string, { into: intoKey, version }: { into: string; version: number }): Promise<MergeStageAnswer> {
  const pipeline = await tenantPipeline(actor.tenant, key);
  if (pipeline.version !== version) throw new TenantItemConflictError(version, pipeline);
  const stage = pipeline.stages.find((s) => s.key === stageKey);
  if (!stage) throw new TenantItemNotFoundError('stage', `${stageKey} of pipeline ${key}`);
  const into = pipeline.stages.find((s) => s.key === intoKey);
  const without = withoutStage(pipeline, stage);
  assertMergeable(stage, into, intoKey, without);

  const pipelines = await tenantPipelines(actor.tenant);
  const schema = await recordSchemaFor(actor.tenant, dealType());
  // Every deal of the tenant is moved (an administrator's change), by the administrator.
  const mover = systemActor(actor.tenant, actor.sub);
  const deals = [...(await typeSnapshot(actor.tenant, 'DEAL')).records.values()].filter((deal) => placeOf(pipelines, deal).key === `${key}\u0000${stageKey}`);
  let moved = 0;
  let missed = 0;
  const left = await inParallelWithinBudget(deals.sort((a, b) => (a.id < b.id ? -1 : 1)), MERGE_PARALLEL, async ({ id }) => {
    const current = await readRecordUnscoped(actor.tenant, 'DEAL', id);
    if (!current || current.deletedAt || placeOf(pipelines, current).key !== `${key}\u0000${stageKey}`) return bytesRead(current);
    try {
      await commit(mover, [await planChange(mover, schema, current, current.version, { stage: into!.key }, new Date().toISOString(), { source: 'merge', request: `merge:${key}:${stageKey}` })]);
      moved++;
    } catch (err) {
      // Changed meanwhile: the next request moves it.
      if (!(err instanceof VersionConflictError)) throw err;
      missed++;
    }
    return bytesRead(current);
  });
  // A deal that entered the stage meanwhile is moved by the next request; the stage goes once none is left.
  if (left.length || missed || (await dealPlaces(actor.tenant)).count(key, stageKey)) return { moved, later: true, pipeline };
  return { moved, later: false, pipeline: await replacePipeline(actor, key, version, without) };
}

/** Deals moved at once by a merge (each a transaction of the deal, its history and its move). */
const MERGE_PARALLEL = 8;

function withoutStage(pipeline: Pipeline, stage: DealStage): PipelineFields {
  const { version: _version, updatedAt: _at, updatedBy: _by, ...fields } = pipeline;
  return { ...fields, stages: fields.stages.filter((s) => s.key !== stage.key) };
}

/** A merge moves deals where they may go without a person's word, and leaves a valid pipeline. */
function assertMergeable(stage: DealStage, into: DealStage | undefined, intoKey: string, without: PipelineFields): void {
  if (!into) throw new FieldValidationError([{ path: 'into', message: 'is no stage of the pipeline', value: intoKey }]);
  if (into.key === stage.key) throw new FieldValidationError([{ path: 'into', message: 'is the stage merged; name another', value: intoKey }]);
  // A deal entering a lost stage needs its reason, which only a person gives (a lost stage's deals keep theirs).
  if (into.outcome === 'lost' && stage.outcome !== 'lost') throw new FieldValidationError([{ path: 'into', message: `is a lost stage: deals of ${stage.label} would be lost without a reason`, value: intoKey }]);
  const valid = PipelineFields.safeParse(without);
  if (!valid.success) throw new FieldValidationError(valid.error.issues.map((issue) => ({ path: 'stage', message: `cannot go: the pipeline ${issue.message}`, value: stage.key })));
}

/** The deal's pipeline and stage keys as one key (`<pipeline>\0<stage>`), and its pipeline's. */
function placeOf(pipelines: readonly Pipeline[], deal: StoredRecord): { pipeline: string | undefined; key: string } {
  const pipeline = pipelineNamed(pipelines, deal.pipeline);
  const stage = pipeline && stageNamed(pipeline, deal.stage);
  return { pipeline: pipeline?.key, key: `${pipeline?.key}\u0000${stage?.key ?? deal.stage}` };
}

/** How many live deals are in each pipeline and stage. */
async function dealPlaces(tenant: string): Promise<{ count(pipeline: string, stage?: string): number }> {
  const pipelines = await tenantPipelines(tenant);
  const counts = new Map<string, number>();
  for (const deal of (await typeSnapshot(tenant, 'DEAL')).records.values()) {
    const place = placeOf(pipelines, deal);
    for (const key of [place.key, String(place.pipeline)]) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { count: (pipeline, stage) => counts.get(stage === undefined ? pipeline : `${pipeline}\u0000${stage}`) ?? 0 };
}
