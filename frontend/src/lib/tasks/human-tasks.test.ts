import { describe, expect, it } from 'vitest';
import type { Task as HumanTask } from '$contracts/tasks.ts';
import { inboxTaskOf, mergeLists } from './human-tasks.ts';

const human = (id: string, fields: Partial<HumanTask> = {}): HumanTask => ({
  id,
  title: `Task ${id}`,
  process: 'quick-sale',
  step: 'Fulfil',
  instance: '0'.repeat(32),
  subject: { type: 'company', id: '01JAAAAAAAAAAAAAAAAAAAAAAA' },
  assignee: null,
  team: 'warehouse',
  due: '2026-12-08T10:00:00.000Z',
  priority: 'normal',
  form: { fields: [] },
  status: 'open',
  createdAt: '2026-12-06T10:00:00.000Z',
  completion: null,
  rejection: null,
  closed: null,
  version: 1,
  ...fields,
});

describe('a process\'s human tasks in the Inbox', () => {
  it('a task is the user\'s when in their list, else their team\'s when unclaimed, else seen as supervisor; each once', () => {
    const claimed = human('a', { assignee: 'me', status: 'claimed' });
    const offered = human('b');
    const teammates = human('c', { assignee: 'ann', status: 'claimed' });
    const answered = human('d', { assignee: 'me', status: 'done', completion: { by: 'me', at: '2026-12-06T11:00:00.000Z', values: {} } });
    const tasks = mergeLists({ mine: [claimed], team: [offered], supervised: [claimed, offered, teammates], done: [answered] });
    expect(tasks.map((task) => [task.id, task.holder, task.supervised, task.done])).toEqual([
      ['a', 'me', true, false],
      ['b', 'team', true, false],
      ['c', 'other', true, false],
      ['d', 'me', false, true],
    ]);
  });

  it('shows its process, its record and its due time; answered or closed by the engine, it is done, changed when it ended', () => {
    const task = inboxTaskOf(human('e'), { holder: 'team', supervised: false });
    expect(task).toMatchObject({ source: 'TASK', title: 'Task e', kind: 'Quick sale', dueAt: '2026-12-08T10:00:00.000Z', done: false, record: { typeKey: 'COMPANY', id: '01JAAAAAAAAAAAAAAAAAAAAAAA' } });
    const closed = inboxTaskOf(human('f', { status: 'cancelled', closed: { at: '2026-12-07T09:00:00.000Z', reason: 'the sale was cancelled' } }), { holder: 'me', supervised: true });
    expect(closed).toMatchObject({ done: true, changedAt: '2026-12-07T09:00:00.000Z' });
  });
});
