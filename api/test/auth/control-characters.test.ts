import { describe, expect, it } from 'vitest';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

// PostgreSQL text cannot hold NUL; every free-text field refuses control characters in its schema, as a 400
// naming the field, before anything reaches the database.
describe.each(STORAGES)('control characters in text fields on %s', (storage) => {
  const t = useTestApp(storage);

  it.each(['\u0000', '\u0007', '\u001b', '\u007f', '\n'])(
    'a sign-up whose name holds %j is refused and creates no account',
    async (control) => {
      const email = `ctl-${control.charCodeAt(0)}@example.com`;
      const signup = (name: string) =>
        t.server.inject({
          method: 'POST',
          url: '/api/v1/auth/signup',
          payload: { email, password: 'correct horse battery', name },
        });
      const refused = await signup(`Ada${control}Lovelace`);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(problemOf(refused).errors?.map((e) => e.path)).toEqual(['name']);
      // Nothing was written: the same email signs up cleanly afterwards.
      const accepted = await signup('Ada Lovelace');
      expect(accepted.statusCode, accepted.body).toBe(201);
    },
  );

  it.each([
    ['title', { title: 'a\u0000b' }],
    ['title', { title: 'line\u000bbreak' }],
    ['description', { title: 'x', description: 'bell\u0007' }],
    ['tags.0', { title: 'x', tags: ['a\u0000'] }],
  ])('a task with a control character in %s is refused and not created', async (path, body) => {
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: t.auth,
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(problemOf(res).errors?.map((e) => e.path)).toEqual([path]);
    const list = await t.server.inject({ url: '/api/v1/tasks?status=all', headers: t.auth });
    expect(list.json().items).toEqual([]);
  });

  it('a description keeps its tabs and line breaks', async () => {
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: t.auth,
      payload: { title: 'x', description: 'one\ttwo\r\nthree' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().description).toBe('one\ttwo\r\nthree');
    await t.server.inject({ method: 'DELETE', url: `/api/v1/tasks/${res.json().id}`, headers: t.auth });
  });

  it('a search for a NUL byte is a 400 naming q, not a database error', async () => {
    const res = await t.server.inject({ url: '/api/v1/tasks?q=a%00b', headers: t.auth });
    expect(res.statusCode, res.body).toBe(400);
    expect(problemOf(res).errors?.map((e) => e.path)).toEqual(['q']);
  });
});
