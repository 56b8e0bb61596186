import { error } from '@sveltejs/kit';
import { uiRecordType } from '$lib/records/record-types.ts';
import type { PageLoad } from './$types';

/** `/companies/trash`, ...: the trash of one record type. */
export const load: PageLoad = ({ params }) => {
  const type = uiRecordType(params.type);
  if (!type) error(404, `No such page: /${params.type}/trash`);
  return { plural: type.info.plural };
};
