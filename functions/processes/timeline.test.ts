import { describe, expect, it } from 'vitest';
import { timelineOf, withTaskLines, type HistoryEventLike } from './timeline.ts';
import { taskIdOf } from '../tasks/tasks.ts';
import type { Task } from '../contracts/tasks.ts';

let clock = Date.parse('2026-12-07T09:00:00Z');
const at = () => new Date((clock += 1_000));
const event = (type: string, details: Record<string, unknown> = {}): HistoryEventLike => ({ type, timestamp: at(), ...details });
const entered = (name: string, type = 'TaskStateEntered') => event(type, { stateEnteredEventDetails: { name } });
/** A task scheduled, and taken by the step's function (TaskSubmitted). */
const offer = (task: unknown, where: Record<string, string> = {}) => [
  event('TaskScheduled', { taskScheduledEventDetails: { resource: 'invoke.waitForTaskToken', parameters: JSON.stringify({ FunctionName: 'f', Payload: { action: 'task', ...where, task } }) } }),
  event('TaskStarted'),
  event('TaskSubmitted', { taskSubmittedEventDetails: { resource: 'invoke.waitForTaskToken', output: '{}' } }),
];
const invoke = () => event('TaskScheduled', { taskScheduledEventDetails: { resource: 'invoke', parameters: '{}' } });

describe('an instance\'s timeline from its history', () => {
  it('says who started it, who was offered the task, who completed it with which values, and the end', () => {
    const { lines } = timelineOf([
      event('ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify({ instance: { startedBy: 'ann' } }) } }),
      entered('Take order'),
      invoke(),
      event('TaskSucceeded', { taskSucceededEventDetails: { resource: 'invoke', output: '{"Payload":{}}' } }),
      entered('Fulfil'),
      ...offer({ title: 'Fulfil the order', assignee: { team: 'warehouse' }, due: '2026-12-10T09:00:00.000Z' }, { execution: 'arn:x', step: 'Fulfil', enteredAt: '2026-12-07T09:00:05.000Z' }),
      event('TaskSucceeded', { taskSucceededEventDetails: { resource: 'invoke.waitForTaskToken', output: JSON.stringify({ task: 't', answer: 't#2', by: 'bob', values: { shippedOn: '2026-12-08', note: 'by van' } }) } }),
      entered('Close'),
      invoke(),
      event('ExecutionSucceeded'),
    ]);
    expect(lines.map((l) => [l.kind, l.step, l.text, l.by])).toEqual([
      ['started', null, 'Started', 'ann'],
      ['entered', 'Take order', 'Entered Take order', null],
      ['entered', 'Fulfil', 'Entered Fulfil', null],
      ['offered', 'Fulfil', 'Task “Fulfil the order” offered to team warehouse, due 2026-12-10T09:00:00.000Z', null],
      ['completed', 'Fulfil', 'Task completed', 'bob'],
      ['entered', 'Close', 'Entered Close', null],
      ['succeeded', null, 'Ended', null],
    ]);
    expect(lines[4].values).toEqual({ shippedOn: '2026-12-08', note: 'by van' });
    expect(lines[3]).toMatchObject({ task: taskIdOf('arn:x', 'Fulfil', '2026-12-07T09:00:05.000Z'), title: 'Fulfil the order', assignee: { team: 'warehouse' }, due: '2026-12-10T09:00:00.000Z' });
    expect(lines[0].at).toBe('2026-12-07T09:00:01.000Z');
  });

  it('says a task was rejected and why, and one not done in time', () => {
    const { lines } = timelineOf([
      entered('Fulfil'),
      ...offer({ title: 'Fulfil', assignee: { user: 'cy' } }),
      event('TaskFailed', { taskFailedEventDetails: { resource: 'invoke.waitForTaskToken', error: 'TaskRejected', cause: JSON.stringify({ by: 'cy', reason: 'Out of stock' }) } }),
      entered('Fulfil'),
      ...offer({ title: 'Fulfil', assignee: { team: 'w' } }),
      event('TaskTimedOut', { taskTimedOutEventDetails: { resource: 'invoke.waitForTaskToken', error: 'States.Timeout' } }),
      entered('Pause', 'WaitStateEntered'),
      event('WaitStateExited', { stateExitedEventDetails: { name: 'Pause' } }),
    ]);
    expect(lines.map((l) => [l.kind, l.text, l.by])).toEqual([
      ['entered', 'Entered Fulfil', null],
      ['offered', 'Task “Fulfil” offered to a user', 'cy'],
      ['rejected', 'Task rejected: Out of stock', 'cy'],
      ['entered', 'Entered Fulfil', null],
      ['offered', 'Task “Fulfil” offered to team w', null],
      ['timedOut', 'Task not done by its due time', null],
      ['waiting', 'Waiting in Pause', null],
      ['waited', 'Done waiting in Pause', null],
    ]);
  });

  it('says a step failed, was retried, failed the instance, and was retried from the failed step', () => {
    const failed = () => event('TaskFailed', { taskFailedEventDetails: { resource: 'invoke', error: 'Lambda.Unknown', cause: 'boom' } });
    const { lines } = timelineOf([
      entered('Charge'),
      invoke(),
      failed(),
      invoke(),
      failed(),
      event('ExecutionFailed', { executionFailedEventDetails: { error: 'Lambda.Unknown', cause: 'boom' } }),
      event('ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: 1 } }),
      entered('Charge'),
      invoke(),
      event('TaskSucceeded', { taskSucceededEventDetails: { resource: 'invoke', output: '{}' } }),
    ]);
    expect(lines.map((l) => [l.kind, l.step, l.text, l.error ?? null])).toEqual([
      ['entered', 'Charge', 'Entered Charge', null],
      ['error', 'Charge', 'Charge failed: Lambda.Unknown', 'Lambda.Unknown'],
      ['retry', 'Charge', 'Retried Charge (attempt 2)', null],
      ['error', 'Charge', 'Charge failed: Lambda.Unknown', 'Lambda.Unknown'],
      ['failed', 'Charge', 'Failed in Charge: Lambda.Unknown', 'Lambda.Unknown'],
      ['redriven', 'Charge', 'Retried from the failed step (retry 1)', null],
      ['entered', 'Charge', 'Entered Charge', null],
    ]);
    expect(lines[1].cause).toBe('boom');
  });

  it('offers no task its step\'s function refused', () => {
    const [scheduled] = offer({ title: 'Fulfil', assignee: {} });
    const { lines } = timelineOf([entered('Fulfil'), scheduled, event('TaskFailed', { taskFailedEventDetails: { resource: 'invoke.waitForTaskToken', error: 'BadStepEventError' } })]);
    expect(lines.map((l) => l.kind)).toEqual(['entered', 'error']);
  });

  it('goes on from where the page before left off: the step, its attempts, a task being offered', () => {
    const events = [
      entered('Charge'),
      invoke(),
      event('TaskFailed', { taskFailedEventDetails: { resource: 'invoke', error: 'E' } }),
      invoke(),
      event('ExecutionFailed', { executionFailedEventDetails: { error: 'E' } }),
      entered('Fulfil'),
      ...offer({ title: 'Fulfil', assignee: { team: 'w' } }),
    ];
    const whole = timelineOf(events).lines;
    for (let cut = 0; cut <= events.length; cut++) {
      const first = timelineOf(events.slice(0, cut));
      const second = timelineOf(events.slice(cut), first.context);
      expect([...first.lines, ...second.lines], `cut at ${cut}`).toEqual(whole);
    }
    expect(whole.map((l) => [l.kind, l.step])).toEqual([['entered', 'Charge'], ['error', 'Charge'], ['retry', 'Charge'], ['failed', 'Charge'], ['entered', 'Fulfil'], ['offered', 'Fulfil']]);
  });
});

describe('an instance\'s timeline with its tasks', () => {
  const where = { execution: 'arn:x', step: 'Fulfil', enteredAt: '2026-12-07T09:00:05.000Z' };
  const id = taskIdOf(where.execution, where.step, where.enteredAt);
  const task: Task = {
    id,
    title: 'Ship',
    process: 'quick-sale',
    step: 'Fulfil',
    instance: 'b'.repeat(32),
    subject: { type: 'company', id: '01J00000000000000000000000' },
    assignee: 'bob',
    team: 'warehouse',
    due: null,
    priority: 'normal',
    form: {
      fields: [
        { key: 'carrier', label: 'Carrier', type: 'single_select', options: ['DHL', 'UPS'] },
        { key: 'insured', label: 'Insured', type: 'checkbox' },
        { key: 'extras', label: 'Extras', type: 'multi_select', options: ['Gift wrap', 'Signature'] },
        { key: 'fee', label: 'Fee', type: 'money', currency: 'EUR' },
      ],
    },
    status: 'done',
    createdAt: '2026-12-07T09:00:05.000Z',
    completion: null,
    rejection: null,
    closed: null,
    // The API's clock, not the engine's: the moves go by their task, not by their time.
    moves: [
      { at: '2026-12-01T10:00:00.000Z', kind: 'claimed', by: 'ann' },
      { at: '2026-12-01T10:05:00.000Z', kind: 'released', by: 'ann' },
      { at: '2026-12-01T10:10:00.000Z', kind: 'reassigned', by: 'sue', to: { user: 'bob' } },
    ],
    version: 5,
  };
  const values = { carrier: 'DHL', insured: true, extras: ['Gift wrap', 'Signature'], fee: { amount: '4.90', currency: 'EUR' } };

  it('says who claimed, released and reassigned a task, right after its offer, and a completed form by its labels', () => {
    const { lines } = timelineOf([
      entered('Fulfil'),
      ...offer({ title: 'Ship', assignee: { team: 'warehouse' } }, where),
      // Offered again by a step run again after a crash: its moves are told once.
      ...offer({ title: 'Ship', assignee: { team: 'warehouse' } }, where),
      event('TaskSucceeded', { taskSucceededEventDetails: { resource: 'invoke.waitForTaskToken', output: JSON.stringify({ task: id, answer: `${id}#5`, by: 'bob', values }) } }),
    ]);
    const told = withTaskLines(lines, [task]);
    expect(told.map((l) => [l.kind, l.step, l.text, l.by])).toEqual([
      ['entered', 'Fulfil', 'Entered Fulfil', null],
      ['offered', 'Fulfil', 'Task “Ship” offered to team warehouse', null],
      ['claimed', 'Fulfil', 'Claimed “Ship”', 'ann'],
      ['released', 'Fulfil', 'Released “Ship” to team warehouse', 'ann'],
      ['reassigned', 'Fulfil', 'Reassigned “Ship” to a user', 'sue'],
      ['retry', 'Fulfil', 'Retried Fulfil (attempt 2)', null],
      ['offered', 'Fulfil', 'Task “Ship” offered to team warehouse', null],
      ['completed', 'Fulfil', 'Task completed', 'bob'],
    ]);
    expect(told[4]).toMatchObject({ task: id, assignee: { user: 'bob' }, at: '2026-12-01T10:10:00.000Z' });
    expect(told[7].fields).toEqual([
      { key: 'carrier', label: 'Carrier', text: 'DHL' },
      { key: 'insured', label: 'Insured', text: 'Yes' },
      { key: 'extras', label: 'Extras', text: 'Gift wrap, Signature' },
      { key: 'fee', label: 'Fee', text: '4.90 EUR' },
    ]);
  });

  it('leaves the lines of a task it does not know as the history tells them', () => {
    const { lines } = timelineOf([entered('Fulfil'), ...offer({ title: 'Ship', assignee: { team: 'warehouse' } }, where)]);
    expect(withTaskLines(lines, [])).toEqual(lines);
  });
});
