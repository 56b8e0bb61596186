/** A deal's own routes beyond every type's: its stage moves, oldest first, a page at a time (the deal card's timeline). */
import { dealType } from '../../contracts/deal.ts';
import { StageMoveQuery, type StageMovePage } from '../../contracts/stage-moves.ts';
import { dealStageMovePage } from '../../deals/stage-moves.ts';
import { json, readQuery } from '../http.ts';
import type { Route } from '../router.ts';
import { access } from '../route-access.ts';
import { recordId } from './records.ts';

/** GET /api/deals/{id}/stage-moves: the deal's moves (`{items, nextCursor?}`), to whoever may read the deal (the access rule checks it is in their scope). */
export const dealStageMovesRoute: Route = {
  method: 'GET',
  path: '/api/deals/{id}/stage-moves',
  access: access.record({ action: 'read', type: dealType }),
  handle: async (request) => {
    const query = readQuery(request.event, StageMoveQuery);
    return json(200, (await dealStageMovePage(request.principal.tenant, recordId(request), { limit: query.limit ?? 100, after: query.after })) satisfies StageMovePage);
  },
};
