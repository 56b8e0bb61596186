import type { PageLoad } from './$types';

/** `/processes/instances/{id}`: one instance (the page reads it, and says so when it is not there). */
export const load: PageLoad = ({ params }) => ({ id: params.id });
