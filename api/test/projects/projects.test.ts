import type { Project, ProjectMember, Task } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../support/snapshot.js';
import { createTask } from '../support/task-requests.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

type Auth = { authorization: string };

describe.each(STORAGES)('projects and sharing on %s', (storage) => {
  const t = useTestApp(storage, { user: false });

  const call = (auth: Auth, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.server.inject({ method, url: `/api/v1${url}`, headers: auth, ...(payload ? { payload } : {}) });
  const projectsOf = async (auth: Auth): Promise<Project[]> => (await call(auth, 'GET', '/projects')).json();
  const newProject = async (auth: Auth, payload: object): Promise<Project> => {
    const res = await call(auth, 'POST', '/projects', payload);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const emailOf = async (id: string) =>
    (await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [id])).rows[0]!.email;

  it('gives every new user an Inbox, the default home of its tasks, which cannot be deleted, renamed or shared', async () => {
    const alice = await t.user();
    const [inbox, ...rest] = await projectsOf(alice.auth);
    expect(rest).toEqual([]);
    expect(inbox).toMatchObject({
      name: 'Inbox',
      inbox: true,
      role: 'owner',
      archived: false,
      parentId: null,
    });
    const task = await createTask(t, alice.auth, { title: 'Anywhere' });
    expect(task.projectId).toBe(inbox!.id);
    expect(task.assigneeId).toBeNull();

    const bob = await t.user();
    const before = await snapshot(t.db);
    expect((await call(alice.auth, 'DELETE', `/projects/${inbox!.id}`)).statusCode).toBe(409);
    expect((await call(alice.auth, 'PATCH', `/projects/${inbox!.id}`, { name: 'Other' })).statusCode).toBe(
      409,
    );
    expect((await call(alice.auth, 'PATCH', `/projects/${inbox!.id}`, { archived: true })).statusCode).toBe(
      409,
    );
    const share = await call(alice.auth, 'POST', `/projects/${inbox!.id}/members`, {
      email: await emailOf(bob.id),
      role: 'editor',
    });
    expect(share.statusCode).toBe(409);
    expect(problemOf(share).detail).toMatch(/Inbox/);
    expect(await snapshot(t.db)).toBe(before);
    expect(
      (await call(alice.auth, 'PATCH', `/projects/${inbox!.id}`, { color: '#FF0000' })).json(),
    ).toMatchObject({
      color: '#ff0000',
      name: 'Inbox',
    });
  });

  it('creates, renames, files one level deep, archives and reorders projects', async () => {
    const alice = await t.user();
    const work = await newProject(alice.auth, { name: '  Work  ', color: '#1E90FF' });
    expect(work).toMatchObject({
      name: 'Work',
      color: '#1e90ff',
      parentId: null,
      role: 'owner',
      inbox: false,
    });
    const home = await newProject(alice.auth, { name: 'Home' });
    const garden = await newProject(alice.auth, { name: 'Garden', parentId: home.id });
    expect(garden.parentId).toBe(home.id);
    expect((await projectsOf(alice.auth)).map((p) => p.name)).toEqual(['Inbox', 'Work', 'Home', 'Garden']);

    // One level only: not into a project that is in a folder, not a folder into another, not into itself.
    for (const [id, parentId] of [
      [undefined, garden.id],
      [home.id, work.id],
      [work.id, work.id],
    ] as const) {
      const res = id
        ? await call(alice.auth, 'PATCH', `/projects/${id}`, { parentId })
        : await call(alice.auth, 'POST', '/projects', { name: 'Deep', parentId });
      expect(res.statusCode, `${id} into ${parentId}`).toBe(422);
      expect(problemOf(res).errors?.[0]?.path).toBe('parentId');
    }

    const moved = await call(alice.auth, 'PATCH', `/projects/${garden.id}`, { after: null, name: 'Yard' });
    expect(moved.json()).toMatchObject({ name: 'Yard', parentId: home.id });
    await call(alice.auth, 'PATCH', `/projects/${work.id}`, { after: home.id, archived: true });
    const list = await projectsOf(alice.auth);
    expect(list.map((p) => p.name)).toEqual(['Inbox', 'Yard', 'Home', 'Work']);
    expect(list.find((p) => p.id === work.id)?.archived).toBe(true);
    const orders = list.slice(1).map((p) => p.order);
    expect([...orders].sort()).toEqual(orders);
  });

  it('deletes a project with its tasks, each an event, and lifts its filed projects to the top level', async () => {
    const alice = await t.user();
    const folder = await newProject(alice.auth, { name: 'Folder' });
    const inside = await newProject(alice.auth, { name: 'Inside', parentId: folder.id });
    const task = await createTask(t, alice.auth, { title: 'Goes with it', projectId: folder.id });
    expect((await call(alice.auth, 'DELETE', `/projects/${folder.id}`)).statusCode).toBe(204);
    expect((await call(alice.auth, 'GET', `/tasks/${task.id}`)).statusCode).toBe(404);
    const after = await projectsOf(alice.auth);
    expect(after.map((p) => p.id)).not.toContain(folder.id);
    expect(after.find((p) => p.id === inside.id)?.parentId).toBeNull();
    const { rows } = await t.db.query<{ type: string }>(
      "SELECT event->>'type' AS type FROM outbox_log WHERE key = $1 ORDER BY id",
      [task.id],
    );
    expect(rows.map((r) => r.type)).toEqual(['todo.task.created', 'todo.task.deleted']);
    expect((await call(alice.auth, 'DELETE', `/projects/${folder.id}`)).statusCode).toBe(404);
  });

  it('shares by email, changes roles, transfers ownership, removes members and lets a member leave', async () => {
    const [alice, bob, carol] = [await t.user(), await t.user(), await t.user()];
    const shared = await newProject(alice.auth, { name: 'Shared' });
    const invite = async (by: Auth, userId: string, role: string) =>
      call(by, 'POST', `/projects/${shared.id}/members`, {
        email: (await emailOf(userId)).toUpperCase(),
        role,
      });

    const added = await invite(alice.auth, bob.id, 'editor');
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ userId: bob.id, role: 'editor', email: await emailOf(bob.id) });
    expect((await invite(alice.auth, bob.id, 'viewer')).statusCode).toBe(409);
    expect((await invite(bob.auth, carol.id, 'viewer')).statusCode).toBe(403);
    expect((await invite(carol.auth, carol.id, 'viewer')).statusCode).toBe(404);
    const unknown = await call(alice.auth, 'POST', `/projects/${shared.id}/members`, {
      email: 'nobody-here@example.com',
      role: 'viewer',
    });
    expect(unknown.statusCode).toBe(404);
    expect((await invite(alice.auth, carol.id, 'owner')).statusCode).toBe(400);
    expect((await invite(alice.auth, carol.id, 'viewer')).statusCode).toBe(201);

    expect((await projectsOf(bob.auth)).find((p) => p.id === shared.id)?.role).toBe('editor');
    const members = async (auth: Auth): Promise<ProjectMember[]> =>
      (await call(auth, 'GET', `/projects/${shared.id}/members`)).json();
    expect((await members(carol.auth)).map((m) => [m.userId, m.role])).toEqual([
      [alice.id, 'owner'],
      [bob.id, 'editor'],
      [carol.id, 'viewer'],
    ]);

    // Only the owner changes roles; the owner cannot step down except by transferring.
    expect(
      (await call(bob.auth, 'PATCH', `/projects/${shared.id}/members/${carol.id}`, { role: 'editor' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call(alice.auth, 'PATCH', `/projects/${shared.id}/members/${alice.id}`, { role: 'editor' }))
        .statusCode,
    ).toBe(409);
    const transferred = await call(alice.auth, 'PATCH', `/projects/${shared.id}/members/${bob.id}`, {
      role: 'owner',
    });
    expect(transferred.json()).toMatchObject({ userId: bob.id, role: 'owner' });
    expect((await members(alice.auth)).map((m) => [m.userId, m.role])).toEqual([
      [bob.id, 'owner'],
      [alice.id, 'editor'],
      [carol.id, 'viewer'],
    ]);
    expect(
      (await call(alice.auth, 'PATCH', `/projects/${shared.id}`, { name: 'Mine again' })).statusCode,
    ).toBe(403);
    expect((await call(bob.auth, 'DELETE', `/projects/${shared.id}/members/${bob.id}`)).statusCode).toBe(409);

    // An editor cannot remove others; a member leaves; the owner removes.
    expect((await call(alice.auth, 'DELETE', `/projects/${shared.id}/members/${carol.id}`)).statusCode).toBe(
      403,
    );
    expect((await call(carol.auth, 'DELETE', `/projects/${shared.id}/members/${carol.id}`)).statusCode).toBe(
      204,
    );
    expect((await call(carol.auth, 'GET', `/projects/${shared.id}/members`)).statusCode).toBe(404);
    expect((await projectsOf(carol.auth)).map((p) => p.id)).not.toContain(shared.id);
    expect((await call(bob.auth, 'DELETE', `/projects/${shared.id}/members/${alice.id}`)).statusCode).toBe(
      204,
    );
    expect((await call(bob.auth, 'DELETE', `/projects/${shared.id}/members/${alice.id}`)).statusCode).toBe(
      404,
    );
    expect((await members(bob.auth)).map((m) => m.userId)).toEqual([bob.id]);
  });

  it('unassigns the tasks of a member who leaves', async () => {
    const [alice, bob] = [await t.user(), await t.user()];
    const shared = await newProject(alice.auth, { name: 'Team' });
    await call(alice.auth, 'POST', `/projects/${shared.id}/members`, {
      email: await emailOf(bob.id),
      role: 'editor',
    });
    const task = await createTask(t, alice.auth, {
      title: 'For Bob',
      projectId: shared.id,
      assigneeId: bob.id,
    });
    expect(task.assigneeId).toBe(bob.id);
    expect((await call(bob.auth, 'DELETE', `/projects/${shared.id}/members/${bob.id}`)).statusCode).toBe(204);
    const after = (await call(alice.auth, 'GET', `/tasks/${task.id}`)).json();
    expect(after).toMatchObject({ assigneeId: null, version: 2 });
  });

  it('refuses malformed, oversized and hostile project and member input, writing nothing', async () => {
    const alice = await t.user();
    const project = await newProject(alice.auth, { name: 'Target' });
    const before = await snapshot(t.db);
    const projects = async () =>
      (await t.db.query('SELECT id, name, color, position FROM projects ORDER BY id')).rows;
    const projectRows = await projects();
    const cases: [string, 'POST' | 'PATCH', object | string, number][] = [
      ['/projects', 'POST', {}, 400],
      ['/projects', 'POST', { name: '' }, 400],
      ['/projects', 'POST', { name: '   ' }, 400],
      ['/projects', 'POST', { name: 'x'.repeat(121) }, 400],
      ['/projects', 'POST', { name: 'a\u0000b' }, 400],
      ['/projects', 'POST', { name: 'ok', color: 'red' }, 400],
      ['/projects', 'POST', { name: 'ok', color: '#12345' }, 400],
      ['/projects', 'POST', { name: 'ok', parentId: 'not-a-uuid' }, 400],
      ['/projects', 'POST', { name: 'ok', parentId: '00000000-0000-4000-8000-000000000000' }, 422],
      ['/projects', 'POST', { name: 'ok', owner: 'me' }, 400],
      ['/projects', 'POST', { name: "'); DROP TABLE projects; --", role: 'owner' }, 400],
      ['/projects', 'POST', '{"name": "unterminated', 400],
      ['/projects', 'POST', [{ name: 'array' }], 400],
      [`/projects/${project.id}`, 'PATCH', { name: null }, 400],
      [`/projects/${project.id}`, 'PATCH', { archived: 'yes' }, 400],
      [`/projects/${project.id}`, 'PATCH', { after: '00000000-0000-4000-8000-000000000000' }, 422],
      [`/projects/${project.id}`, 'PATCH', { inbox: true }, 400],
      [`/projects/${project.id}/members`, 'POST', { email: 'not an email', role: 'editor' }, 400],
      [
        `/projects/${project.id}/members`,
        'POST',
        { email: `${'a'.repeat(250)}@example.com`, role: 'editor' },
        400,
      ],
      [`/projects/${project.id}/members`, 'POST', { email: 'x@example.com', role: 'admin' }, 400],
      [`/projects/${project.id}/members/${alice.id}`, 'PATCH', { role: 'superuser' }, 400],
      ['/projects/not-a-uuid', 'PATCH', { name: 'x' }, 400],
    ];
    for (const [url, method, payload, status] of cases) {
      const res = await t.server.inject({
        method,
        url: `/api/v1${url}`,
        headers: { ...alice.auth, 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload).slice(0, 80)}: ${res.body}`).toBe(
        status,
      );
      problemOf(res);
    }
    const huge = await call(alice.auth, 'POST', '/projects', { name: 'x', pad: 'y'.repeat(2 * 1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(await snapshot(t.db)).toBe(before);
    expect(await projects()).toEqual(projectRows);
  });
});

describe.each(STORAGES)('moving tasks between projects on %s', (storage) => {
  const t = useTestApp(storage, { user: false });

  it('moves a task with its subtasks into a shared project, where members see them, unassigning non-members', async () => {
    const [alice, bob, carol] = [await t.user(), await t.user(), await t.user()];
    const call = (auth: Auth, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.server.inject({ method, url: `/api/v1${url}`, headers: auth, ...(payload ? { payload } : {}) });
    const emailOf = async (id: string) =>
      (await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [id])).rows[0]!.email;
    const team = (await call(alice.auth, 'POST', '/projects', { name: 'Team' })).json().id as string;
    await call(alice.auth, 'POST', `/projects/${team}/members`, {
      email: await emailOf(bob.id),
      role: 'viewer',
    });
    const carols = (await call(carol.auth, 'POST', '/projects', { name: 'Carol only' })).json().id as string;
    await call(carol.auth, 'POST', `/projects/${carols}/members`, {
      email: await emailOf(alice.id),
      role: 'viewer',
    });
    const parent = await createTask(t, alice.auth, { title: 'Plan', assigneeId: alice.id });
    const child = await createTask(t, alice.auth, { title: 'Step', parentId: parent.id });
    const other = await createTask(t, alice.auth, { title: 'Other', projectId: team });

    const before = await snapshot(t.db);
    for (const [payload, status] of [
      [{ projectId: carols }, 403],
      [{ projectId: '00000000-0000-4000-8000-000000000000' }, 404],
      [{ projectId: team, parentId: child.id }, 422],
      [{ projectId: 'inbox' }, 400],
    ] as const) {
      const res = await call(alice.auth, 'POST', `/tasks/${parent.id}/move`, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
    }
    expect(
      (await call(alice.auth, 'POST', `/tasks/${other.id}/move`, { parentId: parent.id })).statusCode,
    ).toBe(422);
    expect(await snapshot(t.db)).toBe(before);

    const moved = await call(alice.auth, 'POST', `/tasks/${parent.id}/move`, { projectId: team });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ projectId: team, parentId: null, assigneeId: alice.id });
    const seen = (await call(bob.auth, 'GET', `/tasks?projectId=${team}&sort=title`)).json().items as Task[];
    expect(seen.map((x) => [x.title, x.parentId])).toEqual([
      ['Other', null],
      ['Plan', null],
      ['Step', parent.id],
    ]);
    const back = await call(alice.auth, 'POST', `/tasks/${parent.id}/move`, { projectId: carols });
    expect(back.statusCode).toBe(403);
  });
});
