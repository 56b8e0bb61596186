/**
 * Who hears of a task's change: decided from the task before and after, with no table (the
 * stream's consumer acts on what this says).
 */
import { describe, expect, it } from 'vitest';
import type { Task } from '../contracts/tasks.ts';
import { noticesOfTaskChange } from './task-notices.ts';

const task = (over: Partial<Task> = {}): Task => ({
  id: 'a'.repeat(32),
  title: 'Fulfil the order',
  process: 'quick-sale',
  step: 'Fulfil',
  instance: 'b'.repeat(32),
  subject: { type: 'company', id: '01J00000000000000000000000' },
  assignee: null,
  team: 'warehouse',
  due: '2026-12-10T09:00:00.000Z',
  priority: 'normal',
  form: { fields: [] },
  status: 'open',
  createdAt: '2026-12-07T09:00:00.000Z',
  completion: null,
  rejection: null,
  closed: null,
  version: 1,
  ...over,
});

describe('the notices of a task change', () => {
  it('tells the team of a task offered to it, the assignee of one assigned, the owner of a follow-up', () => {
    expect(noticesOfTaskChange(undefined, task())).toEqual([{ kind: 'team-offered', to: { team: 'warehouse' } }]);
    expect(noticesOfTaskChange(undefined, task({ assignee: 'ann', team: null }))).toEqual([{ kind: 'offered', to: { user: 'ann' } }]);
    expect(noticesOfTaskChange(undefined, task({ assignee: 'owner', team: null, step: 'Follow up' }))).toEqual([{ kind: 'follow-up', to: { user: 'owner' } }]);
  });

  it('tells nobody of a claim, a release, a token renewed, an answer', () => {
    const open = task();
    const claimed = task({ status: 'claimed', assignee: 'ann', version: 2 });
    expect(noticesOfTaskChange(open, claimed)).toEqual([]);
    expect(noticesOfTaskChange(claimed, task({ version: 3 }))).toEqual([]);
    expect(noticesOfTaskChange(open, task({ version: 2 }))).toEqual([]);
    expect(noticesOfTaskChange(claimed, task({ status: 'completing', assignee: 'ann', version: 3 }))).toEqual([]);
    expect(noticesOfTaskChange(open, task({ status: 'completing', assignee: 'bob', version: 2 }))).toEqual([]);
  });

  it('tells the new holder of a task given to them by someone else, and a team of one moved to it', () => {
    expect(noticesOfTaskChange(task({ status: 'claimed', assignee: 'ann' }), task({ status: 'open', assignee: 'bob', version: 2 }))).toEqual([{ kind: 'reassigned', to: { user: 'bob' } }]);
    expect(noticesOfTaskChange(task(), task({ assignee: 'sue', version: 2 }))).toEqual([{ kind: 'reassigned', to: { user: 'sue' } }]);
    expect(noticesOfTaskChange(task(), task({ team: 'returns', version: 2 }))).toEqual([{ kind: 'team-offered', to: { team: 'returns' } }]);
  });

  it('tells the supervisor a late task escalated to them once: by the task offered to them, not by the late one closing', () => {
    const late = task({ status: 'escalated', closed: { at: '2026-12-10T09:00:00.000Z', reason: 'not done by its due time' }, version: 2 });
    expect(noticesOfTaskChange(task(), late)).toEqual([]);
    expect(noticesOfTaskChange(late, { ...late, version: 3 })).toEqual([]);
    const toSupervisor = task({ id: 'c'.repeat(32), assignee: 'sue', team: null, escalation: true });
    expect(noticesOfTaskChange(undefined, toSupervisor)).toEqual([{ kind: 'escalated', to: { user: 'sue' } }]);
    // A follow-up escalated to the owner's supervisor is told as an escalation too.
    expect(noticesOfTaskChange(undefined, { ...toSupervisor, step: 'Follow up' })).toEqual([{ kind: 'escalated', to: { user: 'sue' } }]);
    // A team without a supervisor has its late step offered to it again.
    expect(noticesOfTaskChange(undefined, task({ id: 'c'.repeat(32) }))).toEqual([{ kind: 'team-offered', to: { team: 'warehouse' } }]);
  });
});
