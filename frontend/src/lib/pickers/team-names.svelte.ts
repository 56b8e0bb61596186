/**
 * The tenant's teams (`GET /api/teams`: name, supervisor, members), read once per signed-in user
 * and shared: the Inbox names a task's team and knows whom it supervises, the card's processes
 * name the team a step waits on. Read again on `reload` (a team made meanwhile).
 */
import { TeamList } from '$contracts/teams.ts';
import type { ApiClient } from '../api/api-client.ts';
import { session } from '../auth/session.svelte.ts';

const signedInAs = () => (session.user ? `${session.user.tenant}/${session.user.email}` : '');

class TeamNames {
  teams = $state.raw<TeamList['items']>([]);
  #read: { who: string; answer: Promise<void> } | null = null;

  load(api: ApiClient, { reload = false } = {}): Promise<void> {
    const who = signedInAs();
    if (this.#read?.who === who && !reload) return this.#read.answer;
    if (this.#read?.who !== who) this.teams = [];
    const answer = api.request('GET', '/api/teams', TeamList).then(
      (list) => void (signedInAs() === who && (this.teams = list.items)),
      () => void (this.#read = null),
    );
    this.#read = { who, answer };
    return answer;
  }

  name = (id: string) => this.teams.find((team) => team.id === id)?.name ?? 'a team';
}

export const teamNames = new TeamNames();
