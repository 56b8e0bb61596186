import { describe, expect, it } from 'vitest';
import { ACTIVITY_KINDS, ActivityKind } from './activity.ts';
import { choiceLabel, choiceNamed } from './choices.ts';

describe('choices', () => {
  it('are read by key or label in any case, stored by key; anything else is refused naming the labels', () => {
    expect(['call', 'Call', ' CALL ', 'Email', 'email'].map((text) => ActivityKind.parse(text))).toEqual(['call', 'call', 'call', 'email', 'email']);
    expect(ActivityKind.safeParse('lunch').error?.issues.map((issue) => issue.message)).toEqual(['must be one of Task, Call, Meeting, Email, Note']);
    expect(choiceNamed(ACTIVITY_KINDS, 'Meeting')?.key).toBe('meeting');
    expect(choiceLabel(ACTIVITY_KINDS, 'note')).toBe('Note');
    expect(choiceLabel(ACTIVITY_KINDS, 'something stored before')).toBe('something stored before');
  });

  it('have labels that read as their keys, case aside: a view filters by what the grid shows, the server by stored keys', () => {
    for (const kind of ACTIVITY_KINDS) expect(kind.label.toLowerCase()).toBe(kind.key);
  });
});
