/**
 * Human tasks over HTTP: the caller's own and their teams' unclaimed ones, one task, what its
 * holder does with it (claim, release, complete with its form, reject with a reason), and a
 * supervisor's reassignment of many. Who may is the task's business (tasks/tasks.ts): its
 * assignee, or while unclaimed its team's members; reassigning, its team's supervisor or an
 * administrator.
 */
import { CompleteTaskBody, ReassignTasksBody, RejectTaskBody, TaskListQuery, type ReassignAnswer, type Task, type TaskPage } from '../../contracts/tasks.ts';
import { claimTaskOfInstance, reassignTasks, releaseTaskOfInstance } from '../../processes/task-reassignment.ts';
import { completeTask, listTasks, rejectTask, visibleTask } from '../../tasks/tasks.ts';
import { json, readBody, readQuery } from '../http.ts';
import type { ApiRequest, Route } from '../router.ts';
import { access } from '../route-access.ts';

const HOLDER = 'a task is acted on by its assignee, or while unclaimed by its team\'s members; anyone else is refused';
/** 202 for an answer recorded and still being delivered past the API's lease (the stream's consumer finishes it): seldom. */
const taskAnswer = async (work: Promise<Task>) => {
  const task = await work;
  return json(task.status === 'completing' || task.status === 'rejecting' ? 202 : 200, task satisfies Task);
};
const action = (verb: string, act: (request: ApiRequest) => Promise<Task>): Route => ({
  method: 'POST',
  path: `/api/tasks/{id}/${verb}`,
  access: access.signedIn(HOLDER),
  handle: (request) => taskAnswer(act(request)),
});

export const taskRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/tasks',
    access: access.signedIn('the caller\'s own tasks, or their teams\' unclaimed ones'),
    handle: async (request) => json(200, (await listTasks(request.principal, readQuery(request.event, TaskListQuery))) satisfies TaskPage),
  },
  {
    method: 'GET',
    path: '/api/tasks/{id}',
    access: access.signedIn('a task shows to its assignee, its team\'s members and administrators; anyone else is refused'),
    handle: (request) => taskAnswer(visibleTask(request.principal, request.params.id)),
  },
  {
    method: 'POST',
    path: '/api/tasks/reassign',
    access: access.signedIn('each task is reassigned by the supervisor of its team or an administrator (a result per task); another tenant\'s is not found'),
    handle: async (request) => {
      const body = readBody(request.event, ReassignTasksBody);
      return json(200, { results: await reassignTasks(request.principal, body.tasks, body.to) } satisfies ReassignAnswer);
    },
  },
  action('claim', (request) => claimTaskOfInstance(request.principal, request.params.id)),
  action('release', (request) => releaseTaskOfInstance(request.principal, request.params.id)),
  action('complete', (request) => completeTask(request.principal, request.params.id, readBody(request.event, CompleteTaskBody).form)),
  action('reject', (request) => rejectTask(request.principal, request.params.id, readBody(request.event, RejectTaskBody).reason)),
];
