import { ConvertLeadBody } from '../../contracts/lead.ts';
import { convertLead } from '../../leads/convert-lead.ts';
import { getRecord } from '../../records/repository.ts';
import { json, readBody } from '../http.ts';
import type { Route } from '../router.ts';
import { actorOf, recordId } from './records.ts';
import { access } from '../route-access.ts';
import { leadType } from '../../contracts/lead.ts';
import { companyType } from '../../contracts/company.ts';
import { contactType } from '../../contracts/contact.ts';
import { dealType } from '../../contracts/deal.ts';

/**
 * POST /api/leads/{id}/convert: company + contact + deal from the lead, atomically. 201 the
 * first time; 200 with the same records when the lead was converted already (a retry).
 */
export const convertLeadRoute: Route = {
  method: 'POST',
  path: '/api/leads/{id}/convert',
  access: access.record({ action: 'update', type: leadType }, { action: 'create', type: companyType }, { action: 'create', type: contactType }, { action: 'create', type: dealType }),
  handle: async (request) => {
    const id = recordId(request);
    // A lead that is not there is a 404 whatever the body, as for every route that names a record.
    await getRecord(actorOf(request), 'LEAD', id);
    const body = readBody(request.event, ConvertLeadBody);
    const { replayed, ...conversion } = await convertLead(actorOf(request), id, body.version, body.deal);
    return json(replayed ? 200 : 201, conversion);
  },
};
