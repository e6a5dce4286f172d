import { describe, expect, it } from 'vitest';
import { STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('optimistic concurrency on %s', (storage) => {
  const t = useTestApp(storage);

  it('lets exactly one of two PATCHes with the same If-Match win; the other gets 412', async () => {
    for (let round = 0; round < 5; round++) {
      const created = (
        await t.server.inject({
          method: 'POST',
          url: '/api/v1/tasks',
          headers: t.auth,
          payload: { title: 'contended' },
        })
      ).json();
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
