import type { Task } from '@todo/contract';
import { openEventStream, type StreamMessage } from '@todo/infra/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../support/snapshot.js';
import { createTask } from '../support/task-requests.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

type Auth = { authorization: string };
type Who = 'owner' | 'editor' | 'viewer' | 'stranger';
const MEMBERS = ['owner', 'editor', 'viewer'] as const;
const EVERYONE = [...MEMBERS, 'stranger'] as const;
const SECRET = 'Quetzalcoatl';

/**
 * Every way to see or change a shared project's tasks, by each kind of user: members read, editors and the
 * owner write, a viewer's write is 403, and a stranger gets 404s, empty lists and silence: zero leaks.
 */
describe.each(STORAGES)('the access matrix on %s', (storage) => {
  const t = useTestApp(storage, { user: false, env: { STREAM_HEARTBEAT_MS: '200' } });
  const users = {} as Record<Who, { id: string; auth: Auth }>;
  const streams = {} as Record<Who, Awaited<ReturnType<typeof openEventStream>>>;
  let projectId: string;
  let shared: Task;
  let base: string;

  const call = (who: Who, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.server.inject({
      method,
      url: `/api/v1${url}`,
      headers: users[who].auth,
      ...(payload ? { payload } : {}),
    });
  const leaks = (body: string) => body.includes(SECRET) || body.includes(shared.id);

  beforeAll(async () => {
    base = await t.server.listen({ port: 0, host: '127.0.0.1' });
    for (const who of EVERYONE) users[who] = await t.user();
    for (const who of EVERYONE)
      streams[who] = await openEventStream(`${base}/api/v1/stream`, users[who].auth);
    await Promise.all(EVERYONE.map((who) => streams[who].connected));
    projectId = (await call('owner', 'POST', '/projects', { name: 'Shared' })).json().id;
    for (const role of ['editor', 'viewer'] as const) {
      const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
        users[role].id,
      ]);
      const res = await call('owner', 'POST', `/projects/${projectId}/members`, {
        email: rows[0]!.email,
        role,
      });
      expect(res.statusCode).toBe(201);
    }
    shared = await createTask(t, users.owner.auth, {
      title: `${SECRET} plan`,
      description: 'shared notes',
      tags: ['matrix'],
      dueAt: '2030-05-01T09:00:00Z',
      projectId,
    });
    await t.events.drained();
  });

  it('lets every member read the task by id, list, search, tag, tags, calendar, feed and activity; a stranger none', async () => {
    for (const who of EVERYONE) {
      const member = who !== 'stranger';
      const get = await call(who, 'GET', `/tasks/${shared.id}`);
      expect(get.statusCode, who).toBe(member ? 200 : 404);
      if (!member) expect(leaks(problemOf(get).detail.replace(shared.id, ''))).toBe(false);
      for (const query of [
        'status=all',
        `projectId=${projectId}`,
        `q=${SECRET}`,
        'tag=matrix',
        'view=upcoming&timeZone=UTC',
      ]) {
        const list = await call(who, 'GET', `/tasks?${query}`);
        expect(list.statusCode, `${who} ${query}`).toBe(200);
        const ids = (list.json().items as Task[]).map((x) => x.id);
        if (query.startsWith('view')) expect(ids).not.toContain(shared.id);
        else expect(ids.includes(shared.id), `${who} ${query}`).toBe(member);
      }
      const tags = (await call(who, 'GET', '/tags')).json() as { name: string }[];
      expect(
        tags.some((x) => x.name === 'matrix'),
        who,
      ).toBe(member);
      const ics = await call(who, 'GET', '/calendar.ics');
      expect(ics.body.includes(SECRET), `${who} calendar.ics`).toBe(member);
      const feedUrl = new URL((await call(who, 'GET', '/calendar/feed-url')).json().url);
      const feed = await t.server.inject({ url: feedUrl.pathname });
      expect(feed.body.includes(SECRET), `${who} feed`).toBe(member);
      const activity = await call(who, 'GET', '/activity');
      expect(leaks(activity.body), `${who} activity`).toBe(member);
      const members = await call(who, 'GET', `/projects/${projectId}/members`);
      expect(members.statusCode, who).toBe(member ? 200 : 404);
      const projects = await call(who, 'GET', '/projects');
      expect(projects.body.includes(projectId), who).toBe(member);
    }
  });

  it('refuses every write of a viewer with 403 and of a stranger with 404, writing nothing', async () => {
    const before = await snapshot(t.db);
    const outbox = async () => (await t.db.query('SELECT count(*)::int AS n FROM outbox_log')).rows[0];
    const events = await outbox();
    // Member writes aim at another member than the caller: removing oneself is leaving, which anyone may.
    const writes = (other: Who): [method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object][] => [
      ['PATCH', `/tasks/${shared.id}`, { title: 'changed' }],
      ['PATCH', `/tasks/${shared.id}`, { assigneeId: users.owner.id }],
      ['POST', `/tasks/${shared.id}/complete`],
      ['POST', `/tasks/${shared.id}/reopen`],
      ['POST', `/tasks/${shared.id}/move`, {}],
      ['DELETE', `/tasks/${shared.id}`],
      ['POST', '/tasks', { title: 'sneaked in', projectId }],
      ['POST', '/tasks', { title: 'sneaked under', parentId: shared.id }],
      ['PATCH', `/projects/${projectId}`, { name: 'renamed' }],
      ['DELETE', `/projects/${projectId}`],
      ['POST', `/projects/${projectId}/members`, { email: 'someone@example.com', role: 'viewer' }],
      ['PATCH', `/projects/${projectId}/members/${users[other].id}`, { role: 'viewer' }],
      ['DELETE', `/projects/${projectId}/members/${users[other].id}`],
    ];
    for (const who of ['viewer', 'stranger'] as const) {
      for (const [method, url, payload] of writes('editor')) {
        const res = await call(who, method, url, payload);
        // A parent no one shows the caller is refused as the placement rules refuse any unknown parent (422).
        const unseen = payload && 'parentId' in payload ? 422 : 404;
        expect(res.statusCode, `${who} ${method} ${url}`).toBe(who === 'viewer' ? 403 : unseen);
        expect(leaks(problemOf(res).detail.replaceAll(shared.id, '')), `${who} ${method} ${url}`).toBe(false);
      }
    }
    // An editor manages neither the project nor its members.
    for (const [method, url, payload] of writes('viewer').slice(8)) {
      expect((await call('editor', method, url, payload)).statusCode, `editor ${method} ${url}`).toBe(403);
    }
    expect(await snapshot(t.db)).toBe(before);
    expect(await outbox()).toEqual(events);
  });

  it('lets the owner and an editor make every task write', async () => {
    for (const who of ['owner', 'editor'] as const) {
      const created = await call(who, 'POST', '/tasks', { title: `${who} task`, projectId });
      expect(created.statusCode, who).toBe(201);
      const id = created.json().id;
      expect((await call(who, 'PATCH', `/tasks/${id}`, { title: `${who} task!` })).statusCode).toBe(200);
      expect((await call(who, 'POST', `/tasks/${id}/complete`)).statusCode).toBe(200);
      expect((await call(who, 'POST', `/tasks/${id}/reopen`)).statusCode).toBe(200);
      expect((await call(who, 'POST', `/tasks/${id}/move`, {})).statusCode).toBe(200);
      expect((await call(who, 'DELETE', `/tasks/${id}`)).statusCode).toBe(204);
    }
    expect((await call('editor', 'PATCH', `/tasks/${shared.id}`, { priority: 'high' })).json().version).toBe(
      2,
    );
  });

  it("sends the project's task events to every member's stream and none to a stranger's", async () => {
    const marker = await createTask(t, users.owner.auth, { title: 'Last of the matrix', projectId });
    await t.events.drained();
    const named = (messages: StreamMessage[]) =>
      messages.filter((m) => m.event).map((m) => ({ event: m.event, data: JSON.parse(m.data!) }));
    for (const who of MEMBERS) {
      const messages = await streams[who].closeWhen((ms) => ms.some((m) => m.data?.includes(marker.id)));
      const events = named(messages).filter((e) => e.event?.startsWith('task.'));
      expect(
        events.map((e) => e.data.projectId).every((p) => p === projectId),
        who,
      ).toBe(true);
      const kinds = new Set(events.map((e) => e.event));
      expect([...kinds].sort(), who).toEqual([
        'task.completed',
        'task.created',
        'task.deleted',
        'task.updated',
      ]);
      expect(
        events.some((e) => e.data.id === shared.id && e.data.priority === 'high'),
        who,
      ).toBe(true);
      for (const e of events) expect(Object.keys(e.data)).not.toContain('audience');
    }
    // The stranger's stream: a heartbeat after everything was delivered, and not one of these events.
    const seen = streams.stranger.messages.length;
    const theirs = await streams.stranger.closeWhen(
      (ms) => ms.length > seen && ms.at(-1)?.comment === 'heartbeat',
    );
    expect(theirs.filter((m) => m.event)).toEqual([]);
  });
});
