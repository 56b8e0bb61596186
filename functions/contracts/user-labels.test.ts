import { describe, expect, it } from 'vitest';
import { userLabels, userNamed } from './user-labels.ts';

const user = (sub: string, email: string, name?: string, active = true) => ({ sub, email, name, active });
const USERS = [
  user('s1', 'ann@a.example', 'Ann Lee'),
  user('s2', 'ann.lee@b.example', 'ann  lée'),
  user('s3', 'bob@a.example', 'Bob Stone'),
  user('s4', 'nameless@a.example'),
  user('s5', 'gone@a.example', 'Gone Away', false),
];
const labels = userLabels(USERS);
const named = (text: string) => userNamed(USERS, labels, text);

describe('user labels', () => {
  it('are the name, else the e-mail; a name two users share (case, accents and spaces aside) gets the e-mail beside it', () => {
    expect(Object.fromEntries(labels)).toEqual({ s1: 'Ann Lee <ann@a.example>', s2: 'ann  lée <ann.lee@b.example>', s3: 'Bob Stone', s4: 'nameless@a.example', s5: 'Gone Away' });
  });

  it('read back: a text names the one active user with that id, e-mail, name or label, else the reason', () => {
    expect(named('s3')).toEqual({ user: USERS[2] });
    expect(named('BOB@a.example')).toEqual({ user: USERS[2] });
    expect(named('bob stone')).toEqual({ user: USERS[2] });
    expect(named(labels.get('s1')!)).toEqual({ user: USERS[0] });
    expect(named('Whoever <ann.lee@b.example>')).toEqual({ user: USERS[1] });
    expect(named('nameless@a.example')).toEqual({ user: USERS[3] });
    expect(named('Ann Lee')).toEqual({ refused: '2 users are named "Ann Lee": type their e-mail' });
    expect(named('Gone Away')).toEqual({ refused: 'Gone Away is deactivated' });
    expect(named('s5')).toEqual({ refused: 'Gone Away is deactivated' });
    expect(named('Carol')).toEqual({ refused: 'no user of this workspace is named "Carol" or has that e-mail' });
  });
});
