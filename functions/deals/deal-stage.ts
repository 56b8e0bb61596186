/**
 * A deal's stage is one of its pipeline's stages (contracts/deal-stages.ts), stored by key: a
 * stage named by label or in another case (`Won`, `WON`) is stored as its key (`won`), any other
 * text is refused naming `stage`, and a new deal without one starts in the pipeline's first stage.
 * Checked only when `stage` or `pipeline` is written, so a deal holding a value stored before
 * stages were known (`Lost`) can still be changed otherwise; readers map such values with
 * `stageNamed` as well.
 */
import { PIPELINES, notAStage, pipelineNamed, stageNamed, type Pipeline } from '../contracts/deal-stages.ts';
import { FieldValidationError } from '../errors/field-validation-error.ts';

type Fields = Record<string, unknown>;

/** The `stage` (and `pipeline`) to store: normalised to keys, or the first stage for a new deal. */
export function deriveDealStage(next: Fields, changed: Fields, creating: boolean, pipelines: readonly Pipeline[] = PIPELINES): Fields {
  const pipelineChanged = changed.pipeline !== undefined;
  if (!creating && !pipelineChanged && !('stage' in changed)) return {};
  const pipeline = pipelineNamed(pipelines, next.pipeline);
  if (!pipeline) {
    throw new FieldValidationError([{ path: 'pipeline', message: `must be one of ${pipelines.map((p) => p.label).join(', ')}`, value: next.pipeline }]);
  }
  const derived: Fields = pipelineChanged ? { pipeline: pipeline.key } : {};
  if (creating && (next.stage === undefined || next.stage === null)) return { ...derived, stage: pipeline.stages[0].key };
  const stage = stageNamed(pipeline, next.stage);
  if (!stage) throw new FieldValidationError([{ path: 'stage', message: notAStage(pipeline), value: next.stage }]);
  return { ...derived, stage: stage.key };
}
