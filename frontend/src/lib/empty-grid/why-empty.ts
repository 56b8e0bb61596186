/**
 * Why a grid shows no records to this user, and what they may do about it: the role's scope of
 * the type and the user's teams (GET /api/me) decide what they see, so a new sales rep in no
 * team learns why their companies are empty, and whom to ask.
 */
import type { Me } from '$contracts/auth.ts';

export interface EmptyGridText {
  title: string;
  /** What this user sees of the type, and so why there is nothing. */
  why: string;
  /** Whom to ask, when only someone else can change what they see. */
  ask?: string;
}

/**
 * `label`: the type's plural in lower case (`companies`); `teamNames`: the names of the user's
 * teams, as far as known; `assigns`: the type's records are assigned to people (activities),
 * who see them as their owners do.
 */
export function whyEmpty(me: Pick<Me, 'role' | 'teams'> | undefined, typeName: string, label: string, teamNames: string[], assigns = false): EmptyGridText {
  const scope = me?.role?.types[typeName]?.scope;
  if (scope === 'own') {
    return assigns
      ? { title: `No ${label} of yours yet`, why: `You see your own ${label} and those assigned to you, and there are none yet.` }
      : { title: `No ${label} of yours yet`, why: `You see your own ${label}, and you own none yet.` };
  }
  const teamCount = me?.teams.length ?? 0;
  if (scope === 'team' && !teamCount) {
    return {
      title: `No ${label} for you yet`,
      why: `You see the ${label} of your teams, and you are in no team yet: only the ones you own${assigns ? ' or are assigned' : ''}, and ${assigns ? 'there are' : 'you own'} none.`,
      ask: 'Ask an administrator to add you to a team.',
    };
  }
  if (scope === 'team') {
    const yours = teamCount === 1 ? 'your team' : 'your teams';
    const teams = teamNames.length ? `${yours} ${teamNames.join(', ')}` : yours;
    const whose = `no one in ${teamCount === 1 ? 'it' : 'them'} ${assigns ? 'owns one or is assigned one' : 'owns one'} yet`;
    return { title: `No ${label} in ${yours} yet`, why: `You see the ${label} of ${teams}, and ${whose}.` };
  }
  return { title: `No ${label} yet`, why: `There are no ${label} in this workspace yet.` };
}
