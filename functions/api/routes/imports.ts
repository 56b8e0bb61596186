/**
 * CSV import over HTTP: `POST /api/imports?type=contacts[&dryRun=true][&mapping=...]` with the
 * file as the body (text/csv), imported before the answer; `GET /api/imports/{id}` polls a job.
 * The body is limited by the gateway (1 MiB here; API Gateway's 10 MB and Lambda's 6 MB in AWS),
 * so larger files take the S3 path (see functions/imports/import-source.ts).
 */
import { ImportQuery } from '../../contracts/imports.ts';
import { runImport } from '../../imports/run-import.ts';
import { ImportNotFoundError, readJob } from '../../imports/import-job.ts';
import { textSource } from '../../imports/import-source.ts';
import { RECORD_TYPES } from '../../records/record-types.ts';
import { HttpError, json, readQuery } from '../http.ts';
import type { Route } from '../router.ts';
import { actorOf } from './records.ts';
import { access } from '../route-access.ts';

export const importRoutes: Route[] = [
  {
    method: 'POST',
    path: '/api/imports',
    access: access.records({ action: 'import', type: 'query' }),
    handle: async (request) => {
      const query = readQuery(request.event, ImportQuery);
      const type = RECORD_TYPES.find((t) => t.plural === query.type);
      if (!type) throw new HttpError(400, 'ValidationFailed', `no record type ${query.type}`, { issues: [{ path: 'query.type', message: `must be one of: ${RECORD_TYPES.map((t) => t.plural).join(', ')}`, value: query.type }] });
      const { body, isBase64Encoded } = request.event;
      const text = isBase64Encoded ? Buffer.from(body ?? '', 'base64').toString('utf8') : (body ?? '');
      const job = await runImport(actorOf(request), textSource(text), { type, mapping: query.mapping, dryRun: query.dryRun });
      return json(job.dryRun ? 200 : 201, job, job.dryRun ? {} : { location: `/api/imports/${job.id}` });
    },
  },
  {
    method: 'GET',
    path: '/api/imports/{id}',
    // A job shows counts and the first bad lines of a file, to whoever may import.
    access: access.records({ action: 'import', type: 'any' }),
    handle: async (request) => {
      try {
        return json(200, await readJob(request.caller.tenant, request.params.id));
      } catch (err) {
        if (err instanceof ImportNotFoundError) throw new HttpError(404, 'NotFound', err.message, {}, { cause: err });
        throw err;
      }
    },
  },
];
