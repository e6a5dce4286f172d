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
});
