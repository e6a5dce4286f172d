import { cloudEvent, TASK_EVENT_TYPES, type Task } from '@todo/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { notifyAssignees } from '../../src/notifications/assignment.consumer.js';
import { snapshot } from '../support/snapshot.js';
import { createTask } from '../support/task-requests.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

type Auth = { authorization: string };
const HOUR = 3_600_000;

describe.each(STORAGES)('assignment, project filters and date views on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  let alice: { id: string; auth: Auth };
  let bob: { id: string; auth: Auth };
  let stranger: { id: string; auth: Auth };
  let projectId: string;

  const call = (auth: Auth, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.server.inject({ method, url: `/api/v1${url}`, headers: auth, ...(payload ? { payload } : {}) });
  const ids = async (auth: Auth, query: string) => {
    const res = await call(auth, 'GET', `/tasks?${query}`);
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    return (res.json().items as Task[]).map((x) => x.title);
  };
  const notifications = async (auth: Auth) =>
    (await call(auth, 'GET', '/notifications')).json().items as {
      type: string;
      taskId: string;
      title: string;
    }[];

  beforeAll(async () => {
    [alice, bob, stranger] = [await t.user(), await t.user(), await t.user()];
    projectId = (await call(alice.auth, 'POST', '/projects', { name: 'Team' })).json().id;
    const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [bob.id]);
    await call(alice.auth, 'POST', `/projects/${projectId}/members`, {
      email: rows[0]!.email,
      role: 'editor',
    });
  });

  it('notifies a member a task is assigned to, not one who assigns itself', async () => {
    const created = await createTask(t, alice.auth, { title: 'Review', projectId, assigneeId: bob.id });
    const later = await createTask(t, alice.auth, { title: 'Later', projectId });
    await call(alice.auth, 'PATCH', `/tasks/${later.id}`, { assigneeId: bob.id });
    await createTask(t, bob.auth, { title: 'Mine', projectId, assigneeId: bob.id });
    await t.events.drained();
    const bobs = await notifications(bob.auth);
    expect(bobs.filter((n) => n.type === 'assigned').map((n) => [n.taskId, n.title])).toEqual([
      [later.id, 'Later'],
      [created.id, 'Review'],
    ]);
    expect(await notifications(alice.auth)).toEqual([]);
    // Unchanged assignee, no second notification.
    await call(alice.auth, 'PATCH', `/tasks/${later.id}`, { assigneeId: bob.id, title: 'Later!' });
    await t.events.drained();
    expect((await notifications(bob.auth)).length).toBe(2);
  });

  it('applies a batch of assignments in one go: each readable one notified once, a replay adds nothing', async () => {
    const [one, two] = [
      await createTask(t, alice.auth, { title: 'Batch one', projectId }),
      await createTask(t, alice.auth, { title: 'Batch two', projectId }),
    ];
    await t.events.drained();
    const assigned = (task: Task, assigneeId: string) =>
      cloudEvent(TASK_EVENT_TYPES.updated, task.id, {
        ...task,
        assigneeId,
        actorId: alice.id,
        changedFields: ['assigneeId'],
      });
    const batch = [
      assigned(one, bob.id),
      assigned(two, bob.id),
      // The stranger is no member: it cannot read the task, so it is not told about it.
      assigned(two, stranger.id),
      // Alice assigning herself: nobody to tell.
      assigned(one, alice.id),
    ];
    const before = (await notifications(bob.auth)).length;
    const effect = notifyAssignees(undefined);
    await t.db.transaction((tx) => effect(tx, batch));
    const bobs = await notifications(bob.auth);
    expect(
      bobs
        .slice(0, bobs.length - before)
        .map((n) => n.title)
        .sort(),
    ).toEqual(['Batch one', 'Batch two']);
    expect(await notifications(stranger.auth)).toEqual([]);
    expect(await notifications(alice.auth)).toEqual([]);
    await t.db.transaction((tx) => effect(tx, batch));
    expect((await notifications(bob.auth)).length).toBe(bobs.length);
  });

  it('refuses an assignee outside the project, or malformed, with nothing written', async () => {
    const task = await createTask(t, alice.auth, { title: 'Guarded', projectId });
    const before = await snapshot(t.db);
    for (const [method, url, assigneeId, status] of [
      ['POST', '/tasks', stranger.id, 422],
      ['POST', '/tasks', 'no-such-user', 422],
      ['PATCH', `/tasks/${task.id}`, stranger.id, 422],
      ['POST', '/tasks', 'a b', 400],
      ['POST', '/tasks', '', 400],
      ['POST', '/tasks', 'x'.repeat(201), 400],
      ['POST', '/tasks', 42, 400],
      ['POST', '/tasks', 'evil\u0000', 400],
    ] as const) {
      const body = method === 'POST' ? { title: 'Assigned', projectId, assigneeId } : { assigneeId };
      const res = await call(alice.auth, method, url, body);
      expect(res.statusCode, `${method} ${url} ${String(assigneeId)}`).toBe(status);
      if (status === 422)
        expect(problemOf(res).errors).toEqual([
          { path: 'assigneeId', message: 'is not a member of the project' },
        ]);
    }
    // Into one's own Inbox, only oneself can be assigned.
    expect((await call(alice.auth, 'POST', '/tasks', { title: 'x', assigneeId: bob.id })).statusCode).toBe(
      422,
    );
    expect(await snapshot(t.db)).toBe(before);
  });

  it('filters by project and assignee, and answers the Today and Upcoming views in the given zone', async () => {
    const now = Date.now();
    const carol = await t.user();
    const own = async (title: string, dueAt: number | null, extra: object = {}) =>
      createTask(t, carol.auth, {
        title,
        dueAt: dueAt === null ? null : new Date(dueAt).toISOString(),
        ...extra,
      });
    await own('overdue', now - 3 * 24 * HOUR);
    await own('in a week', now + 7 * 24 * HOUR);
    await own('in a month', now + 30 * 24 * HOUR);
    await own('undated', null);
    const done = await own('done long ago', now - 5 * 24 * HOUR);
    await call(carol.auth, 'POST', `/tasks/${done.id}/complete`);
    expect(await ids(carol.auth, 'view=today&timeZone=UTC')).toEqual(['overdue']);
    expect(await ids(carol.auth, 'view=upcoming&timeZone=Pacific/Kiritimati')).toEqual(['in a week']);
    expect(await ids(carol.auth, 'view=today&status=all')).toEqual(['overdue']);

    const inTeam = await ids(bob.auth, `projectId=${projectId}&status=all`);
    expect(inTeam).toEqual(expect.arrayContaining(['Review', 'Mine', 'Guarded']));
    expect(await ids(bob.auth, `projectId=${projectId}&assignee=me&sort=title`)).toEqual([
      'Later!',
      'Mine',
      'Review',
    ]);
    expect(await ids(alice.auth, `assignee=${bob.id}&sort=title`)).toEqual(['Later!', 'Mine', 'Review']);
    expect(await ids(alice.auth, 'assignee=me')).toEqual([]);
    expect(await ids(stranger.auth, `projectId=${projectId}`)).toEqual([]);
    expect(await ids(stranger.auth, `assignee=${bob.id}`)).toEqual([]);
  });

  it('refuses malformed project, assignee, view and zone parameters', async () => {
    for (const [query, status] of [
      ['projectId=not-a-uuid', 400],
      ['view=yesterday', 400],
      ['view=today&timeZone=Not/AZone', 422],
      ['view=today&timeZone=%00', 400],
      ['assignee=', 400],
      [`assignee=${'x'.repeat(201)}`, 400],
      ['assignee=a%20b', 400],
    ] as const) {
      const res = await call(alice.auth, 'GET', `/tasks?${query}`);
      expect(res.statusCode, query).toBe(status);
      problemOf(res);
    }
  });
});

describe.each(STORAGES)('consumers and shared projects on %s', (storage) => {
  const t = useTestApp(storage, { user: false });

  it('continues a shared recurring series in its project, assigned as before, seen by every member', async () => {
    const [alice, bob] = [await t.user(), await t.user()];
    const call = (auth: Auth, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.server.inject({ method, url: `/api/v1${url}`, headers: auth, ...(payload ? { payload } : {}) });
    const projectId = (await call(alice.auth, 'POST', '/projects', { name: 'Chores' })).json().id;
    const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [bob.id]);
    await call(alice.auth, 'POST', `/projects/${projectId}/members`, {
      email: rows[0]!.email,
      role: 'viewer',
    });
    const first = await createTask(t, alice.auth, {
      title: 'Water plants',
      projectId,
      assigneeId: bob.id,
      dueAt: '2030-06-01T08:00:00Z',
      recurrence: { rule: 'FREQ=WEEKLY' },
    });
    await call(alice.auth, 'POST', `/tasks/${first.id}/complete`);
    await t.events.drained();
    const open = (await call(bob.auth, 'GET', `/tasks?projectId=${projectId}`)).json().items as Task[];
    expect(open.map((x) => [x.title, x.dueAt, x.projectId, x.assigneeId, x.seriesId])).toEqual([
      ['Water plants', '2030-06-08T08:00:00.000Z', projectId, bob.id, first.id],
    ]);
  });
});
