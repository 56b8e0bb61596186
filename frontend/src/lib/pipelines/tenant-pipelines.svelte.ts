/**
 * The tenant's pipelines as `GET /api/pipelines` gives them, read once per signed-in user and
 * shared by every page that shows stages (the board's columns, the grid's stage cells, the loss
 * dialog's reasons, the card's timeline, the admin's editor). Until they arrive, the default
 * pipeline stands in (every tenant's seed), so nothing shows a stage key where a label belongs.
 * The admin's editor hands back what it saved (`replace`), so its own pages show it at once.
 */
import { DEFAULT_PIPELINE, PIPELINE_FEED_TYPE, type Pipeline } from '$contracts/deal-stages.ts';
import type { ApiClient } from '../api/api-client.ts';
import { session } from '../auth/session.svelte.ts';
import { followChanges } from '../live/change-feed.ts';
import { pipelinesApi } from './pipelines-api.ts';

const signedInAs = () => (session.user ? `${session.user.tenant}/${session.user.email}` : '');

class TenantPipelines {
  /** The pipelines in the tenant's order; the first is where a deal without `pipeline` is. */
  list = $state.raw<readonly Pipeline[]>([DEFAULT_PIPELINE]);
  /** The server's list has arrived (for this user). */
  loaded = $state(false);
  /** Bumped whenever `list` changes: caches keyed by it (the grid's choices) are rebuilt. */
  revision = $state(0);
  #loading: { who: string; answer: Promise<readonly Pipeline[]> } | null = null;

  /** The tenant's pipelines, asked for at most once per signed-in user (a failure is asked again). */
  load(api: ApiClient): Promise<readonly Pipeline[]> {
    const who = signedInAs();
    if (this.#loading?.who === who) return this.#loading.answer;
    const answer = pipelinesApi(api)
      .list()
      .then(
        (list) => {
          if (signedInAs() === who) this.#set(list);
          return list;
        },
        (err) => {
          this.#loading = null;
          throw err;
        },
      );
    this.#loading = { who, answer };
    return answer;
  }

  /**
   * Reads them again (once read) whenever the change feed tells of a change of them, another
   * administrator's, until the returned stop: the shell follows while someone is signed in, on the
   * tab's one poll of the feed (lib/live).
   */
  follow(api: ApiClient): () => void {
    const changed = (entries: ReadonlyArray<{ type: string }>) => entries.some((entry) => entry.type === PIPELINE_FEED_TYPE);
    return followChanges(api, (entries) => (this.loaded && changed(entries) ? this.reload(api).then(() => undefined) : undefined));
  }

  /** Read again (another administrator may have changed them). */
  reload(api: ApiClient): Promise<readonly Pipeline[]> {
    this.#loading = null;
    return this.load(api);
  }

  /** One pipeline as saved here (added, changed) or gone (`null`). */
  replace(key: string, pipeline: Pipeline | null) {
    const at = this.list.findIndex((p) => p.key === key);
    if (pipeline === null) this.#set(this.list.filter((p) => p.key !== key));
    else if (at < 0) this.#set([...this.list, pipeline]);
    else this.#set(this.list.map((p, i) => (i === at ? pipeline : p)));
  }

  #set(list: readonly Pipeline[]) {
    this.list = list.length ? list : [DEFAULT_PIPELINE];
    this.loaded = true;
    this.revision++;
  }
}

export const tenantPipelines = new TenantPipelines();
