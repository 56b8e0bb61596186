/**
 * CSV import over HTTP: `POST /api/imports?type=contacts[&dryRun=true][&mapping=...]` with the
 * file as the body (text/csv), imported before the answer (201, a dry run 200) when it has at most
 * INLINE_ROWS rows; a larger body is kept as an upload and imported after the answer (202, as an
 * uploaded file; imports/body-import.ts). `GET /api/imports/{id}` polls a job.
 * The body is limited by the gateway (1 MiB here; API Gateway's 10 MB and Lambda's 6 MB in AWS),
 * so larger files take the files bucket: `POST /api/imports/uploads` answers a presigned PUT,
 * and `POST /api/imports?type=...&upload=<id>` starts the import of the uploaded file, which
 * runs after the answer (202; functions/imports/import-upload.ts).
 */
import { ImportQuery, ImportUploadBody, type RememberedMapping } from '../../contracts/imports.ts';
import type { StageMoveImport } from '../../contracts/stage-moves.ts';
import { importStageHistory } from '../../pipelines/stage-history-import.ts';
import { assertCan } from '../../access/permissions.ts';
import { rememberedMapping, rememberMapping } from '../../imports/import-mappings.ts';
import { createUpload, startUploadImport } from '../../imports/import-upload.ts';
import { ObjectNotFoundError } from '../../files/files-bucket.ts';
import { runImport } from '../../imports/run-import.ts';
import { ImportNotFoundError, jobAsSeenBy, visibleJob } from '../../imports/import-job.ts';
import { bytesSource } from '../../imports/import-source.ts';
import { assertReadableText, importsAfterAnswer, keepBodyAsUpload } from '../../imports/body-import.ts';
import { assertMayImport, importSettings } from '../../imports/import-settings.ts';
import type { ColumnMapping } from '../../csv/columns.ts';
import type { RecordSchema } from '../../records/record-schema.ts';
import { RECORD_TYPES } from '../../records/record-types.ts';
import { bodyBytes, HttpError, json, readBody, readQuery } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import type { RecordTypeSpec } from '../../records/record-types.ts';
import { actorOf, typeParam } from './records.ts';
import { access } from '../route-access.ts';
import { csvFile } from './exports.ts';
import { errorFileCsv } from '../../imports/error-rows.ts';

const recordTypeOf = (plural: string, path: string) => {
  const type = RECORD_TYPES.find((t) => t.plural === plural);
  if (!type) throw new HttpError(400, 'ValidationFailed', `no record type ${plural}`, { issues: [{ path, message: `must be one of: ${[...RECORD_TYPES.map((t) => t.plural), STAGE_MOVES].join(', ')}`, value: plural }] });
  return type;
};

/** `type=stage-moves`: deals' stage histories (pipelines/stage-history-import.ts), the file as the body, imported before the answer. */
const STAGE_MOVES = 'stage-moves';

async function stageHistoryImport(request: ApiRequest, query: ImportQuery) {
  const extra = Object.keys(query).filter((key) => key !== 'type');
  if (extra.length) throw new HttpError(400, 'ValidationFailed', 'a stage history import takes no settings', { issues: extra.map((key) => ({ path: `query.${key}`, message: 'is not a setting of a stage history import' })) });
  // A history changes deals (their stage): who may import and change deals may import it.
  assertCan(request.principal, 'import', 'deal');
  assertCan(request.principal, 'update', 'deal');
  return json(200, (await importStageHistory(request.principal, bodyBytes(request.event))) satisfies StageMoveImport);
}

export const importRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/imports/uploads',
    // A place for a file in the caller's tenant, nothing more: starting its import is checked by type.
    access: access.records({ action: 'import', type: 'any' }),
    handle: async (request) => {
      recordTypeOf(readBody(request.event, ImportUploadBody).type, 'type');
      return json(201, await createUpload(actorOf(request)));
    },
  },
  {
    method: 'POST',
    path: '/api/imports',
    access: access.records({ action: 'import', type: 'query' }),
    handle: async (request) => {
      const query = readQuery(request.event, ImportQuery);
      if (query.type === STAGE_MOVES) return stageHistoryImport(request, query);
      const type = recordTypeOf(query.type, 'query.type');
      const settings = await importSettings(request.caller.tenant, query);
      const checkColumns = (mapping: ColumnMapping, schema: RecordSchema) => assertMayImport(request.principal, schema, mapping, settings);
      if (query.upload) return uploadImport(request, type, query.upload, { ...query, settings, checkColumns });
      const body = bodyBytes(request.event);
      if (importsAfterAnswer(body)) {
        await assertReadableText(body);
        const upload = await keepBodyAsUpload(actorOf(request), body, query);
        return uploadImport(request, type, upload, { ...query, settings, checkColumns, job: upload });
      }
      const job = await jobAsSeenBy(request.principal, await runImport(actorOf(request), bytesSource(body), { type, mapping: query.mapping, dryRun: query.dryRun, settings, checkColumns }));
      if (!query.dryRun) await rememberMapping(request.caller.tenant, request.caller.sub, type.key, query);
      return json(job.dryRun ? 200 : 201, job, job.dryRun ? {} : { location: `/api/imports/${job.id}` });
    },
  },
  {
    // Before `/api/imports/{id}/...`: `mappings` is no import's id.
    method: 'GET',
    path: '/api/imports/mappings/{type}',
    access: access.records({ action: 'import', type: 'path' }),
    handle: async (request) => json(200, (await rememberedMapping(request.caller.tenant, request.caller.sub, typeParam(request).key)) satisfies RememberedMapping),
  },
  {
    method: 'GET',
    path: '/api/imports/{id}/errors.csv',
    // The rows quote the file's cells: to the job's starter and administrators, as the job (imports/import-job.ts).
    access: access.records({ action: 'import', type: 'any' }),
    handle: async (request) => {
      const job = await visibleJob(request.principal, request.params.id);
      return csvFile(request.caller.tenant, `${RECORD_TYPES.find((t) => t.name === job.type)?.plural ?? job.type}-import-errors`, errorFileCsv(request.caller.tenant, job));
    },
  },
  {
    method: 'GET',
    path: '/api/imports/{id}',
    // A job shows counts and the first bad lines of a file: to its starter and administrators (imports/import-job.ts).
    access: access.records({ action: 'import', type: 'any' }),
    handle: async (request) => json(200, await visibleJob(request.principal, request.params.id)),
  },
];

/**
 * 202 with the job, which runs on: poll `Location`. A start repeated for the same upload answers
 * 200 with the job as it is; to anyone but its starter (and administrators) the upload of a
 * started job is one that does not exist.
 */
async function uploadImport(request: ApiRequest, type: RecordTypeSpec, upload: string, options: ImportQuery & Pick<Parameters<typeof startUploadImport>[2], 'settings' | 'checkColumns' | 'job'>) {
  try {
    const { job, started } = await startUploadImport(actorOf(request), type, { upload, mapping: options.mapping, dryRun: options.dryRun, settings: options.settings, checkColumns: options.checkColumns, job: options.job });
    const seen = await jobAsSeenBy(request.principal, job);
    if (!options.dryRun) await rememberMapping(request.caller.tenant, request.caller.sub, type.key, options);
    return json(started ? 202 : 200, seen, { location: `/api/imports/${job.id}` });
  } catch (err) {
    if (err instanceof ObjectNotFoundError || err instanceof ImportNotFoundError) throw new HttpError(400, 'ValidationFailed', `no uploaded file ${upload}`, { issues: [{ path: 'query.upload', message: 'names no uploaded file (not uploaded yet, or expired)', value: upload }] }, { cause: err });
    throw err;
  }
}
