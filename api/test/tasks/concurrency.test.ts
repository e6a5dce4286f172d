import { describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('optimistic concurrency on %s', (storage) => {
  const t = useTestApp(storage);

  it('lets exactly one of two PATCHes with the same If-Match win; the other gets 412', async () => {
    for (let round = 0; round < 5; round++) {
      const created = await createTask(t, t.auth, { title: 'contended' });
      const patch = (title: string) =>
        t.server.inject({
          method: 'PATCH',
          url: `/api/v1/tasks/${created.id}`,
          headers: { ...t.auth, 'if-match': '"1"' },
          payload: { title },
        });
      const results = await Promise.all([patch('first'), patch('second')]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 412]);
      const winner = results.find((r) => r.statusCode === 200)!.json().title;
      const stored = (await t.server.inject({ url: `/api/v1/tasks/${created.id}`, headers: t.auth })).json();
      expect(stored).toMatchObject({ title: winner, version: 2 });
    }
  });

  const eventsOf = async (taskId: string) =>
    (
      await t.db.query<{ type: string }>(
        "SELECT event->>'type' AS type FROM outbox_log WHERE key = $1 ORDER BY id",
        [taskId],
      )
    ).rows.map((r) => r.type);

  it('completes a task once when many completes race: every answer is the completed task, one event', async () => {
    const created = await createTask(t, t.auth, { title: 'pressed twice' });
    const complete = () =>
      t.server.inject({ method: 'POST', url: `/api/v1/tasks/${created.id}/complete`, headers: t.auth });
    const results = await Promise.all(Array.from({ length: 8 }, complete));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    expect(new Set(results.map((r) => r.json().version))).toEqual(new Set([2]));
    expect(results.every((r) => r.json().completed === true)).toBe(true);
    expect(await eventsOf(created.id)).toEqual(['todo.task.created', 'todo.task.completed']);
  });

  it('keeps both a complete and an edit that race, each recorded once', async () => {
    for (let round = 0; round < 5; round++) {
      const created = await createTask(t, t.auth, { title: 'before' });
      const [completed, edited] = await Promise.all([
        t.server.inject({ method: 'POST', url: `/api/v1/tasks/${created.id}/complete`, headers: t.auth }),
        t.server.inject({
          method: 'PATCH',
          url: `/api/v1/tasks/${created.id}`,
          headers: t.auth,
          payload: { title: 'after' },
        }),
      ]);
      expect([completed.statusCode, edited.statusCode]).toEqual([200, 200]);
      const stored = (await t.server.inject({ url: `/api/v1/tasks/${created.id}`, headers: t.auth })).json();
      expect(stored).toMatchObject({ title: 'after', completed: true, version: 3 });
      expect((await eventsOf(created.id)).sort()).toEqual(
        ['todo.task.completed', 'todo.task.created', 'todo.task.updated'].sort(),
      );
    }
  });
});
