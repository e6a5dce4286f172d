import type { Task } from '@todo/contract';
import type { TestApp } from './test-app.js';

type Auth = { authorization: string };

/** Creates a task as the user; any answer but 201 fails the test with the response body. */
export async function createTask(t: Pick<TestApp, 'server'>, auth: Auth, payload: object): Promise<Task> {
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/tasks', headers: auth, payload });
  if (res.statusCode !== 201) throw new Error(`POST /tasks → ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Every task of a recurring series, open and completed, by due date. */
export async function seriesTasks(t: Pick<TestApp, 'server'>, auth: Auth, seriesId: string): Promise<Task[]> {
  const res = await t.server.inject({ url: '/api/v1/tasks?status=all&sort=due&limit=200', headers: auth });
  return (res.json().items as Task[]).filter((task) => task.seriesId === seriesId);
}
