import { describe, expect, it } from 'vitest';
import type { Me } from '$contracts/auth.ts';
import { whyEmpty } from './why-empty.ts';

const withScope = (scope: 'own' | 'team' | 'all', teams: string[] = []): Pick<Me, 'role' | 'teams'> => ({
  role: { id: 'r', name: 'Role', builtIn: true, administer: false, types: { company: { actions: ['read'], scope, readOnlyFields: [] } } },
  teams,
});

describe('why a grid is empty for this user', () => {
  it('a team scope without a team: says so, and whom to ask', () => {
    expect(whyEmpty(withScope('team'), 'company', 'companies', [])).toEqual({
      title: 'No companies for you yet',
      why: 'You see the companies of your teams, and you are in no team yet: only the ones you own, and you own none.',
      ask: 'Ask an administrator to add you to a team.',
    });
  });

  it('a team scope in teams: names them', () => {
    expect(whyEmpty(withScope('team', ['t1']), 'company', 'companies', ['North'])).toEqual({
      title: 'No companies in your team yet',
      why: 'You see the companies of your team North, and no one in it owns one yet.',
    });
    expect(whyEmpty(withScope('team', ['t1', 't2']), 'company', 'companies', []).why).toBe('You see the companies of your teams, and no one in them owns one yet.');
  });

  it('a type whose records are assigned: those assigned to the user count as theirs', () => {
    expect(whyEmpty(withScope('own'), 'company', 'activities', [], true).why).toBe('You see your own activities and those assigned to you, and there are none yet.');
    expect(whyEmpty(withScope('team', ['t1']), 'company', 'activities', ['North'], true).why).toBe('You see the activities of your team North, and no one in it owns one or is assigned one yet.');
    expect(whyEmpty(withScope('team'), 'company', 'activities', [], true).why).toBe('You see the activities of your teams, and you are in no team yet: only the ones you own or are assigned, and there are none.');
  });

  it('own scope, all, and a user whose role is not known yet', () => {
    expect(whyEmpty(withScope('own'), 'company', 'companies', []).why).toBe('You see your own companies, and you own none yet.');
    expect(whyEmpty(withScope('all'), 'company', 'companies', []).title).toBe('No companies yet');
    expect(whyEmpty(undefined, 'company', 'companies', []).title).toBe('No companies yet');
  });
});
