import { describe, expect, it } from 'vitest';
import { snapshot } from '../support/snapshot.js';
import { problemOf, useTestApp } from '../support/test-app.js';

describe('conditional requests on a task (RFC 9110 §13)', () => {
  const t = useTestApp('pglite');

  const create = async () => {
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: t.auth,
      payload: { title: 'Guarded' },
    });
    return res.json() as { id: string; version: number; updatedAt: string };
  };
  const patch = (
    id: string,
    ifMatch: string | undefined,
    payload: object = { title: 'Changed' },
    headers = t.auth,
  ) =>
    t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${id}`,
      headers: { ...headers, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
      payload,
    });

  it.each([
    ['a weak tag of the current version', 'W/"1"'],
    ['a list of weak and stale tags only', 'W/"1", "2", "17"'],
    ['a well-formed tag this API never issues', '"abc"'],
    // etagc admits commas: a tag holding one is still one tag (the fuzzer's list, cut down).
    ['a list whose tags hold commas and tabs', ', \tW/"x"\t, "\\<Qh],u4" \t, W/""  ,, "$z;5"'],
  ])('refuses %s with 412 and changes nothing', async (_name, ifMatch) => {
    const task = await create();
    const before = await snapshot(t.db);
    const res = await patch(task.id, ifMatch);
    expect(res.statusCode).toBe(412);
    expect(problemOf(res).title).toBe('Precondition Failed');
    expect(await snapshot(t.db)).toBe(before);
  });

  it.each([
    ['a list naming the current version among others', '"9", "1"'],
    ['a list with empty elements', ' , "1" ,'],
    ['a list where a tag before the current one holds a comma', '"a,b", "1"'],
    ['*', '*'],
  ])('updates when If-Match is %s', async (_name, ifMatch) => {
    const task = await create();
    const res = await patch(task.id, ifMatch);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: 'Changed', version: 2 });
    expect(res.headers.etag).toBe('"2"');
  });

  it.each(['1', '"1', 'W/1', '"1" "2"', '', ', ,', '"1",x'])(
    'answers the malformed If-Match %j with 400 naming it',
    async (ifMatch) => {
      const task = await create();
      const before = await snapshot(t.db);
      const res = await patch(task.id, ifMatch);
      expect(res.statusCode).toBe(400);
      expect(problemOf(res).errors?.map((e) => e.path)).toEqual(['If-Match']);
      expect(await snapshot(t.db)).toBe(before);
    },
  );

  it("answers 404, not 412, for a missing or another user's task, whatever If-Match says", async () => {
    const mine = await create();
    const other = await t.user();
    for (const ifMatch of ['*', '"1"', 'W/"1"']) {
      expect((await patch(mine.id, ifMatch, { title: 'Theirs' }, other.auth)).statusCode).toBe(404);
      expect((await patch('00000000-0000-4000-8000-000000000000', ifMatch)).statusCode).toBe(404);
    }
  });

  it('treats an empty PATCH, or one repeating the current values, as no change at all', async () => {
    const task = await create();
    const before = await snapshot(t.db);
    const events = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_log');
    for (const payload of [{}, { title: 'Guarded' }, { tags: [], priority: 'none' }]) {
      const res = await patch(task.id, '"1"', payload);
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json()).toMatchObject({ version: 1, updatedAt: task.updatedAt });
    }
    expect(await snapshot(t.db)).toBe(before);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_log')).rows).toEqual(
      events.rows,
    );
  });

  it('answers GET with 304 when If-None-Match names the current version, weakly or in a list', async () => {
    const task = await create();
    for (const ifNoneMatch of ['"1"', 'W/"1"', '"5", W/"1"', '*']) {
      const res = await t.server.inject({
        url: `/api/v1/tasks/${task.id}`,
        headers: { ...t.auth, 'if-none-match': ifNoneMatch },
      });
      expect(res.statusCode).toBe(304);
      expect(res.headers.etag).toBe('"1"');
    }
    const stale = await t.server.inject({
      url: `/api/v1/tasks/${task.id}`,
      headers: { ...t.auth, 'if-none-match': '"5"' },
    });
    expect(stale.statusCode).toBe(200);
  });
});
