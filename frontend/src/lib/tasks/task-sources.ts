/**
 * Where the Inbox finds the user's tasks: a list of sources (`TaskSource`, task.ts), each knowing
 * how to load its tasks, which changes of the feed concern them, and how to mark one done. The
 * page and the navigation's count know only `Task`. Activities, and a process's human tasks
 * (human-tasks.ts); a record type that assigns its records (a service request) joins by one more
 * `recordTasks(...)`.
 */
import { uiRecordType } from '../records/record-types.ts';
import { recordTasks } from './record-tasks.ts';
import { humanTasks } from './human-tasks.ts';
import type { TaskSource } from './task.ts';

export const TASK_SOURCES: readonly TaskSource[] = [recordTasks(uiRecordType('activities')!, { title: 'name', due: 'dueAt', done: 'done', kind: 'kind' }), humanTasks];

export const taskSource = (key: string): TaskSource | undefined => TASK_SOURCES.find((source) => source.key === key);
