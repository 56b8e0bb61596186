import { describe, expect, it } from 'vitest';
import { byUrgency, groupOf, inList, isDue, listed, taskCounts, today, type Task } from './task.ts';

/** 14:00 on 10 June 2025, the user's local time. */
const NOW = new Date(2025, 5, 10, 14, 0).getTime();
const at = (day: number, hour: number) => new Date(2025, 5, day, hour, 0).toISOString();

const task = (title: string, fields: Partial<Task> = {}): Task => ({
  source: 'activity',
  id: title,
  version: 1,
  title,
  done: false,
  changedAt: '2025-06-01T00:00:00.000Z',
  record: { typeKey: 'ACTIVITY', id: title },
  about: [],
  ...fields,
});

const earlierToday = task('Call at nine', { dueAt: at(10, 9) });
const laterToday = task('Call at five', { dueAt: at(10, 17) });
const yesterday = task('Missed yesterday', { dueAt: at(9, 11) });
const tomorrow = task('Tomorrow', { dueAt: at(11, 10) });
const undated = task('Some day');
const doneToday = task('Done at ten', { dueAt: at(10, 10), done: true, changedAt: '2025-06-10T10:00:00.000Z' });
const doneEarlier = task('Done last week', { done: true, changedAt: '2025-06-03T10:00:00.000Z' });
const all = [tomorrow, doneEarlier, undated, laterToday, yesterday, doneToday, earlierToday];

describe('tasks in lists', () => {
  it('today is local midnight to midnight', () => {
    const { start, end } = today(NOW);
    expect(new Date(start).getHours()).toBe(0);
    expect(new Date(start).getDate()).toBe(10);
    expect(new Date(end).getDate()).toBe(11);
  });

  it('mine: every open task, the most overdue first, those without a due time last', () => {
    expect(listed(all, 'mine', NOW).map((t) => t.title)).toEqual(['Missed yesterday', 'Call at nine', 'Call at five', 'Tomorrow', 'Some day']);
  });

  it('overdue: open and past its due time', () => {
    expect(listed(all, 'overdue', NOW).map((t) => t.title)).toEqual(['Missed yesterday', 'Call at nine']);
    expect(inList(doneToday, 'overdue', NOW)).toBe(false);
  });

  it('done: the latest changed first', () => {
    expect(listed(all, 'done', NOW).map((t) => t.title)).toEqual(['Done at ten', 'Done last week']);
  });

  it('counts each list, and as due the open ones due today or overdue (the navigation\'s count)', () => {
    expect(taskCounts(all, NOW)).toEqual({ mine: 5, team: 0, overdue: 2, done: 2, supervised: 0, due: 3 });
    expect([earlierToday, laterToday, yesterday, tomorrow, undated, doneToday].map((t) => isDue(t, NOW))).toEqual([true, true, true, false, false, false]);
  });

  it('groups open tasks under Overdue, Today, Upcoming, No due date; a task becomes overdue when its time passes', () => {
    expect(all.map((t) => groupOf(t, NOW))).toEqual(['Upcoming', 'Done', 'No due date', 'Today', 'Overdue', 'Done', 'Overdue']);
    expect(groupOf(laterToday, new Date(2025, 5, 10, 17, 1).getTime())).toBe('Overdue');
    expect(byUrgency(laterToday, doneToday)).toBeLessThan(0);
  });

  it('a team\'s unclaimed task is in `team` and overdue when late, not in `mine`, nor counted as due; one held by another shows only to its supervisor', () => {
    const toClaim = task('Pick the order', { holder: 'team', dueAt: at(9, 9), supervised: true });
    const theirs = task('Ship the order', { holder: 'other', dueAt: at(9, 9), supervised: true });
    const mineSupervised = task('Check the order', { dueAt: at(11, 9), supervised: true });
    const answered = task('Packed', { done: true, holder: 'me', supervised: false });
    const tasks = [toClaim, theirs, mineSupervised, answered];
    expect(listed(tasks, 'mine', NOW).map((t) => t.title)).toEqual(['Check the order']);
    expect(listed(tasks, 'team', NOW).map((t) => t.title)).toEqual(['Pick the order']);
    expect(listed(tasks, 'overdue', NOW).map((t) => t.title)).toEqual(['Pick the order']);
    expect(listed(tasks, 'supervised', NOW).map((t) => t.title)).toEqual(['Pick the order', 'Ship the order', 'Check the order']);
    expect(listed(tasks, 'done', NOW).map((t) => t.title)).toEqual(['Packed']);
    expect(taskCounts(tasks, NOW)).toEqual({ mine: 1, team: 1, overdue: 1, done: 1, supervised: 3, due: 0 });
  });
});
