/**
 * The tenant's deal pipelines: read by anyone of the tenant (the board, the grid's stage cells and
 * the reports need them), written by an administrator (pipelines/pipeline-admin.ts): created,
 * replaced whole over the version seen, deleted while no deal is in them, a stage merged into
 * another (its deals move, in pages: 202 with `later: true` until none is left, then 200).
 */
import { DeletePipelineQuery, MergeStageBody, PipelineFields, PutPipelineBody, type MergeStageAnswer, type Pipeline, type PipelineList } from '../../contracts/deal-stages.ts';
import { tenantPipelines } from '../../deals/pipelines.ts';
import { addPipeline, changePipeline, deletePipeline, mergeStage } from '../../pipelines/pipeline-admin.ts';
import { json, noContent, readBody, readQuery } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';

export const pipelineRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/pipelines',
    access: access.signedIn("the tenant's pipelines (stages, rules, loss reasons), no records"),
    handle: async ({ principal }) => json(200, { items: await tenantPipelines(principal.tenant) } satisfies PipelineList),
  },
  {
    method: 'POST',
    path: '/api/pipelines',
    access: access.administer,
    handle: async (request) => {
      const pipeline = await addPipeline(request.principal, readBody(request.event, PipelineFields));
      return json(201, pipeline satisfies Pipeline, { location: `/api/pipelines/${pipeline.key}` });
    },
  },
  {
    method: 'PUT',
    path: '/api/pipelines/{key}',
    access: access.administer,
    handle: async (request) => json(200, (await changePipeline(request.principal, request.params.key, readBody(request.event, PutPipelineBody))) satisfies Pipeline),
  },
  {
    method: 'DELETE',
    path: '/api/pipelines/{key}',
    access: access.administer,
    handle: async (request) => {
      await deletePipeline(request.principal, request.params.key, readQuery(request.event, DeletePipelineQuery).version);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/api/pipelines/{key}/stages/{stage}/merge',
    access: access.administer,
    handle: async (request) => {
      const answer = await mergeStage(request.principal, request.params.key, request.params.stage, readBody(request.event, MergeStageBody));
      return json(answer.later ? 202 : 200, answer satisfies MergeStageAnswer);
    },
  },
];
