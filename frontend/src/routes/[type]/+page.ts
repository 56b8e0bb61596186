import { error } from '@sveltejs/kit';
import { uiRecordType } from '$lib/records/record-types.ts';
import type { PageLoad } from './$types';

/** `/companies`, `/deals`, ...: the grid of one record type; any other path is not a page. */
export const load: PageLoad = ({ params, url }) => {
  const type = uiRecordType(params.type);
  if (!type) error(404, `No such page: /${params.type}`);
  return { plural: type.info.plural, viewId: url.searchParams.get('view') ?? undefined };
};
