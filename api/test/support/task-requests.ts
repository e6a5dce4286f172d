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

/** The types of the events recorded for a task, in the order they were written. */
export async function eventTypesOf(t: Pick<TestApp, 'db'>, taskId: string): Promise<string[]> {
  const { rows } = await t.db.query<{ type: string }>(
    "SELECT event->>'type' AS type FROM outbox_log WHERE key = $1 ORDER BY id",
    [taskId],
  );
  return rows.map((r) => r.type);
}

/** A request on a task as the user: `POST /tasks/{id}/move`, `/complete`, `DELETE /tasks/{id}` … */
export function onTask(t: Pick<TestApp, 'server'>, auth: Auth) {
  const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, headers = {}) =>
    t.server.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...auth, ...headers },
      ...(payload ? { payload } : {}),
    });
  return {
    get: (id: string) => inject('GET', `/tasks/${id}`),
    complete: (id: string) => inject('POST', `/tasks/${id}/complete`),
    reopen: (id: string) => inject('POST', `/tasks/${id}/reopen`),
    trash: (id: string) => inject('DELETE', `/tasks/${id}`),
    restore: (id: string) => inject('POST', `/trash/${id}/restore`),
    move: (id: string, body: object, headers: Record<string, string> = {}) =>
      inject('POST', `/tasks/${id}/move`, body, headers),
    /** Titles of a list's items, in the list's order. */
    async titles(query: string): Promise<string[]> {
      const res = await inject('GET', `/tasks?${query}`);
      if (res.statusCode !== 200) throw new Error(`GET /tasks?${query} → ${res.statusCode} ${res.body}`);
      return (res.json().items as Task[]).map((task) => task.title);
    },
  };
}
