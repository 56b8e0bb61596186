import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramOf } from './process-diagram.ts';

describe('a process diagram from its ASL', () => {
  it('has every state of the quick sale and every way between them, Catch included', () => {
    // The quick sale's first definition (kept for the instances still on it): a fixed input, so that
    // the quick sale's definition may change without this test.
    const diagram = diagramOf(readFileSync(new URL('../../test/processes/fixtures/quick-sale-first.asl.json', import.meta.url), 'utf8'));
    expect(diagram.startAt).toBe('Take order');
    expect(diagram.states.map((s) => [s.name, s.type, s.end, s.human])).toEqual([
      ['Take order', 'Task', false, false],
      ['Fulfil', 'Task', false, true],
      ['Escalate', 'Task', false, false],
      ['Close', 'Task', true, false],
    ]);
    expect(diagram.edges).toEqual(
      expect.arrayContaining([
        { from: 'Take order', to: 'Fulfil', kind: 'next' },
        { from: 'Fulfil', to: 'Close', kind: 'next' },
        { from: 'Fulfil', to: 'Close', kind: 'catch', label: 'TaskRejected' },
        { from: 'Fulfil', to: 'Escalate', kind: 'catch', label: 'States.Timeout' },
        { from: 'Escalate', to: 'Close', kind: 'next' },
      ]),
    );
    expect(diagram.edges).toHaveLength(5);
  });

  it('draws Choice rules and Default, and Map and Parallel as groups of their states', () => {
    const diagram = diagramOf({
      StartAt: 'Which',
      States: {
        Which: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n > 1 %}', Next: 'Each' }], Default: 'Both' },
        Each: { Type: 'Map', ItemProcessor: { StartAt: 'One', States: { One: { Type: 'Pass', End: true } } }, Next: 'Done' },
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Left', States: { Left: { Type: 'Wait', Next: 'Left done' }, 'Left done': { Type: 'Succeed' } } },
            { StartAt: 'Right', States: { Right: { Type: 'Fail' } } },
          ],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    });
    expect(diagram.states.map((s) => [s.id, s.type, s.parent])).toEqual([
      ['Which', 'Choice', null],
      ['Each', 'Map', null],
      ['One', 'Pass', 'Each'],
      ['Both', 'Parallel', null],
      ['Both#1', 'Branch', 'Both'],
      ['Left', 'Wait', 'Both#1'],
      ['Left done', 'Succeed', 'Both#1'],
      ['Both#2', 'Branch', 'Both'],
      ['Right', 'Fail', 'Both#2'],
      ['Done', 'Succeed', null],
    ]);
    expect(diagram.edges).toEqual([
      { from: 'Which', to: 'Each', kind: 'choice', label: '$states.input.n > 1' },
      { from: 'Which', to: 'Both', kind: 'default' },
      { from: 'Each', to: 'Done', kind: 'next' },
      { from: 'Each', to: 'One', kind: 'start' },
      { from: 'Both', to: 'Done', kind: 'next' },
      { from: 'Both#1', to: 'Left', kind: 'start' },
      { from: 'Left', to: 'Left done', kind: 'next' },
      { from: 'Both#2', to: 'Right', kind: 'start' },
    ]);
  });
});
