/**
 * The pipelines routes (engineer A's, `functions/api/routes/`) over the shared contracts: the
 * tenant's pipelines (any signed-in user reads them), an administrator's add, save at a version,
 * delete and stage merge, and a deal's stage moves (the card's timeline).
 */
import { z } from 'zod';
import { MergeStageAnswer, Pipeline, PipelineList, type PipelineFields } from '$contracts/deal-stages.ts';
import { StageMovePage, type StageMove } from '$contracts/stage-moves.ts';
import type { ApiClient } from '../api/api-client.ts';

const NO_BODY = z.unknown();

/** The most moves a timeline reads (a deal moving every day for 25 years). */
export const MAX_TIMELINE_MOVES = 10_000;

const at = (key: string) => `/api/pipelines/${encodeURIComponent(key)}`;

export function pipelinesApi(api: ApiClient) {
  return {
    list: async () => (await api.request('GET', '/api/pipelines', PipelineList)).items,
    create: (pipeline: PipelineFields) => api.request('POST', '/api/pipelines', Pipeline, pipeline),
    /** Saved whole at the version shown; a 409 carries the pipeline as it is now (`ApiError.current`). */
    save: (key: string, version: number, pipeline: PipelineFields) => api.request('PUT', at(key), Pipeline, { version, pipeline }),
    remove: (key: string, version: number) => api.request('DELETE', `${at(key)}?version=${version}`, NO_BODY),
    /** One round of moving a stage's deals into another: `later` while deals are left (the same request again moves the next). */
    mergeStage: (key: string, stage: string, into: string, version: number) =>
      api.request('POST', `${at(key)}/stages/${encodeURIComponent(stage)}/merge`, MergeStageAnswer, { into, version }),
    /** A deal's moves, oldest first, every page. */
    async stageMoves(dealId: string): Promise<StageMove[]> {
      const moves: StageMove[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.request('GET', `/api/deals/${encodeURIComponent(dealId)}/stage-moves${cursor ? `?after=${encodeURIComponent(cursor)}` : ''}`, StageMovePage);
        moves.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && moves.length < MAX_TIMELINE_MOVES);
      return moves;
    },
  };
}

export type PipelinesApi = ReturnType<typeof pipelinesApi>;
