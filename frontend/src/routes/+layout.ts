import { error, redirect } from '@sveltejs/kit';
import { loadConfig } from '$lib/config.ts';
import { session } from '$lib/auth/session.svelte.ts';
import type { LayoutLoad } from './$types';

// A single-page app: everything renders in the browser, which holds the session.
export const ssr = false;
export const prerender = false;

const PUBLIC_PATHS = new Set(['/signin']);

export const load: LayoutLoad = async ({ fetch, url }) => {
  // An expected error, so its message reaches the page rather than "Internal Error".
  const config = await loadConfig(fetch).catch((err: Error) => error(503, err.message));
  if (!session.signedIn && !PUBLIC_PATHS.has(url.pathname)) {
    redirect(307, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (session.signedIn && url.pathname === '/signin') redirect(307, '/companies');
  return { config };
};
