import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../support/snapshot.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('isolation between users on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  let alice: { authorization: string };
  let mallory: { authorization: string };
  let taskId: string;

  beforeAll(async () => {
    alice = (await t.user()).auth;
    mallory = (await t.user()).auth;
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: alice,
      payload: { title: 'Alice secret plan', tags: ['private'], description: 'confidential' },
    });
    taskId = res.json().id;
  });

  it('hides the task from another user on read, list, search and tags', async () => {
    const get = await t.server.inject({ url: `/api/v1/tasks/${taskId}`, headers: mallory });
    expect(get.statusCode).toBe(404);
    expect(problemOf(get).detail).not.toContain('Alice');
    const list = await t.server.inject({ url: '/api/v1/tasks?status=all', headers: mallory });
    expect(list.json().items).toEqual([]);
    const search = await t.server.inject({ url: '/api/v1/tasks?q=secret', headers: mallory });
    expect(search.json().items).toEqual([]);
    const byTag = await t.server.inject({ url: '/api/v1/tasks?tag=private', headers: mallory });
    expect(byTag.json().items).toEqual([]);
    const tags = await t.server.inject({ url: '/api/v1/tags', headers: mallory });
    expect(tags.json()).toEqual([]);
  });

  it('answers 404 to every write by another user and changes nothing', async () => {
    const before = await snapshot(t.db);
    const writes = [
      { method: 'PATCH' as const, url: `/api/v1/tasks/${taskId}`, payload: { title: 'pwned' } },
      {
        method: 'PATCH' as const,
        url: `/api/v1/tasks/${taskId}`,
        payload: { title: 'pwned' },
        headers: { 'if-match': '"1"' },
      },
      { method: 'POST' as const, url: `/api/v1/tasks/${taskId}/complete` },
      { method: 'POST' as const, url: `/api/v1/tasks/${taskId}/reopen` },
      { method: 'DELETE' as const, url: `/api/v1/tasks/${taskId}` },
    ];
    for (const w of writes) {
      const res = await t.server.inject({
        method: w.method,
        url: w.url,
        headers: { ...mallory, ...w.headers },
        ...(w.payload ? { payload: w.payload } : {}),
      });
      expect(res.statusCode, `${w.method} ${w.url}`).toBe(404);
    }
    expect(await snapshot(t.db)).toBe(before);
    const mine = await t.server.inject({ url: `/api/v1/tasks/${taskId}`, headers: alice });
    expect(mine.json()).toMatchObject({ title: 'Alice secret plan', completed: false, version: 1 });
  });

  it('needs a valid token for every task route', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer nonsense' },
      { authorization: 'Basic YWxpY2U6cHc=' },
    ]) {
      const res = await t.server.inject({ url: `/api/v1/tasks/${taskId}`, headers });
      expect(res.statusCode).toBe(401);
      expect(problemOf(res).title).toBe('Unauthorized');
    }
  });
});
