import { ConvertLeadBody } from '../../contracts/lead.ts';
import { convertLead } from '../../leads/convert-lead.ts';
import { getRecord } from '../../records/repository.ts';
import { json, readBody } from '../http.ts';
import type { Route } from '../router.ts';
import { actorOf, recordId } from './records.ts';

/**
 * POST /api/leads/{id}/convert: company + contact + deal from the lead, atomically. 201 the
 * first time; 200 with the same records when the lead was converted already (a retry).
 */
export const convertLeadRoute: Route = {
  method: 'POST',
  path: '/api/leads/{id}/convert',
  handle: async (request) => {
    const id = recordId(request);
    // A lead that is not there is a 404 whatever the body, as for every route that names a record.
    await getRecord(actorOf(request), 'LEAD', id);
    const body = readBody(request.event, ConvertLeadBody);
    const { replayed, ...conversion } = await convertLead(actorOf(request), id, body.version, body.deal);
    return json(replayed ? 200 : 201, conversion);
  },
};
