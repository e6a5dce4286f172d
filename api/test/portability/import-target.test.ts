import type { Task } from '@todo/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { calendar, portabilityRequests, vtodo } from '../support/import-requests.js';
import { snapshot } from '../support/snapshot.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

type Auth = { authorization: string };
type User = { id: string; auth: Auth };
const HEADER = 'TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE,DURATION';

describe.each(STORAGES)('importing a Todoist CSV or iCalendar file into a project on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  const { importFile, tasksByTitle } = portabilityRequests(t);
  let owner: User;
  let editor: User;
  let viewer: User;
  let stranger: User;
  let shared: string;

  const newProject = async (auth: Auth, name: string): Promise<string> => {
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/projects',
      headers: auth,
      payload: { name },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  };
  const inboxOf = async (auth: Auth): Promise<string> => {
    const res = await t.server.inject({ url: '/api/v1/projects', headers: auth });
    return (res.json() as { id: string; inbox: boolean }[]).find((p) => p.inbox)!.id;
  };

  beforeAll(async () => {
    [owner, editor, viewer, stranger] = [await t.user(), await t.user(), await t.user(), await t.user()];
    shared = await newProject(owner.auth, 'Shared');
    for (const [user, role] of [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ] as const) {
      const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
        user.id,
      ]);
      const res = await t.server.inject({
        method: 'POST',
        url: `/api/v1/projects/${shared}/members`,
        headers: owner.auth,
        payload: { email: rows[0]!.email, role },
      });
      expect(res.statusCode).toBe(201);
    }
  });

  it("puts a Todoist project's tasks, subtasks and sections into the chosen project", async () => {
    const user = await t.user();
    const garden = await newProject(user.auth, 'Garden');
    const csv = [
      HEADER,
      'task,Loose task,,4,1,,,,,,',
      'section,Spring Planting,,,,,,,,,',
      'task,Sow tomatoes @seeds,,1,1,,,,,,30',
      'task,Buy compost,,2,2,,,,,,15',
      'task,Ask about peat-free,,3,3,,,,,,',
      'task,Water daily,,4,1,,,,,,',
      'section,🌱🌱,,,,,,,,,',
      'task,Prune roses,,,1,,,,,,',
    ].join('\n');
    const res = await importFile('todoist-csv', csv, { auth: user.auth, projectId: garden });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      created: { projects: 0, tasks: 6 },
      skipped: [
        {
          line: 3,
          reason:
            'section "Spring Planting": its tasks are tagged "spring-planting" (sections are kept as tags)',
        },
        { line: 4, reason: 'durations (DURATION) are not kept' },
        { line: 8, reason: 'section "🌱🌱" is not kept: its name cannot be a tag' },
      ],
    });
    const tasks = await tasksByTitle(user.auth);
    expect(Object.values(tasks).map((x) => x.projectId)).toEqual(Array(6).fill(garden));
    expect(tasks['Loose task']!.tags).toEqual([]);
    expect(tasks['Sow tomatoes']).toMatchObject({
      tags: ['seeds', 'spring-planting'],
      priority: 'urgent',
      parentId: null,
    });
    expect(tasks['Buy compost']).toMatchObject({
      parentId: tasks['Sow tomatoes']!.id,
      tags: ['spring-planting'],
    });
    expect(tasks['Ask about peat-free']).toMatchObject({
      parentId: tasks['Buy compost']!.id,
      priority: 'medium',
    });
    expect(tasks['Prune roses']!.tags).toEqual([]);
  });

  it('flattens an INDENT deeper than 4 levels to level 4 and says so', async () => {
    const user = await t.user();
    const rows = [1, 2, 3, 4, 5, 7].map((indent) => `task,Level ${indent},,,${indent},,,,,,`);
    const res = await importFile('todoist-csv', [HEADER, ...rows].join('\n'), { auth: user.auth });
    expect(res.json().skipped).toEqual([
      { line: 6, reason: 'INDENT 5: subtasks nest 4 levels at most: imported at level 4' },
      { line: 7, reason: 'INDENT 7: subtasks nest 4 levels at most: imported at level 4' },
    ]);
    const tasks = await tasksByTitle(user.auth);
    expect(tasks['Level 5']!.parentId).toBe(tasks['Level 3']!.id);
    expect(tasks['Level 7']!.parentId).toBe(tasks['Level 3']!.id);
  });

  it('reports DURATION once per file, however many rows have one', async () => {
    const user = await t.user();
    const rows = Array.from({ length: 50 }, (_, i) => `task,Timed ${i},,,1,,,,,,${i + 1}`);
    const res = await importFile('todoist-csv', [HEADER, ...rows].join('\n'), { auth: user.auth });
    expect(res.json()).toEqual({
      created: { projects: 0, tasks: 50 },
      skipped: [{ line: 2, reason: 'durations (DURATION) are not kept' }],
    });
  });

  it('puts VTODOs and their RELATED-TO subtasks into the chosen project', async () => {
    const user = await t.user();
    const trip = await newProject(user.auth, 'Trip');
    const ics = calendar(
      ...vtodo('pack', 'Pack', 'RELATED-TO;RELTYPE=PARENT:trip'),
      ...vtodo('trip', 'Trip'),
      ...vtodo('socks', 'Socks', 'RELATED-TO:pack'),
    );
    const res = await importFile('ics', ics, { auth: user.auth, projectId: trip });
    expect(res.json()).toEqual({ created: { projects: 0, tasks: 3 }, skipped: [] });
    const tasks = await tasksByTitle(user.auth);
    expect(Object.values(tasks).map((x) => x.projectId)).toEqual([trip, trip, trip]);
    expect(tasks.Pack!.parentId).toBe(tasks.Trip!.id);
    expect(tasks.Socks!.parentId).toBe(tasks.Pack!.id);
  });

  it('lands in the Inbox without a projectId, and an editor may import into a shared project', async () => {
    const user = await t.user();
    await importFile('todoist-csv', `${HEADER}\ntask,Inbox task,,,,,,,,,\n`, { auth: user.auth });
    expect((await tasksByTitle(user.auth))['Inbox task']!.projectId).toBe(await inboxOf(user.auth));
    const res = await importFile('todoist-csv', `${HEADER}\ntask,Editor's task,,,,,,,,,\n`, {
      auth: editor.auth,
      projectId: shared,
    });
    expect(res.statusCode, res.body).toBe(200);
    const seen = await tasksByTitle(owner.auth);
    expect(seen["Editor's task"]!.projectId).toBe(shared);
  });

  it("answers 403 for a viewer's project and 404 for a stranger's or an unknown one, and writes nothing", async () => {
    const before = await snapshot(t.db);
    const csv = `${HEADER}\ntask,Intruder,,,,,,,,,\n`;
    const ics = calendar(...vtodo('x', 'Intruder'));
    for (const [format, body] of [
      ['todoist-csv', csv],
      ['ics', ics],
    ] as const) {
      const asViewer = await importFile(format, body, { auth: viewer.auth, projectId: shared });
      expect(problemOf(asViewer)).toMatchObject({ status: 403 });
      const asStranger = await importFile(format, body, { auth: stranger.auth, projectId: shared });
      expect(problemOf(asStranger)).toMatchObject({
        status: 404,
        detail: `Project ${shared} does not exist.`,
      });
      const unknown = await importFile(format, body, {
        auth: owner.auth,
        projectId: '00000000-0000-4000-8000-000000000000',
      });
      expect(problemOf(unknown)).toMatchObject({ status: 404 });
    }
    expect(await snapshot(t.db)).toBe(before);
  });

  it('refuses a projectId that is no UUID (400) or given with our JSON (422), and writes nothing', async () => {
    const before = await snapshot(t.db);
    for (const bad of ['inbox', "' OR 1=1 --", 'x'.repeat(5000), '']) {
      const res = await importFile('todoist-csv', `${HEADER}\ntask,x,,,,,,,,,\n`, {
        auth: owner.auth,
        projectId: bad,
      });
      expect(res.statusCode, bad.slice(0, 20)).toBe(400);
    }
    const json = await importFile(
      'json',
      { format: 'todo-export', version: 1, tasks: [{ id: 'a', title: 'x' }] },
      { auth: owner.auth, projectId: shared },
    );
    expect(problemOf(json)).toMatchObject({ status: 422 });
    expect(await snapshot(t.db)).toBe(before);
  });

  it('creates nothing when the same file is imported again into another project', async () => {
    const user = await t.user();
    const [first, second] = [await newProject(user.auth, 'First'), await newProject(user.auth, 'Second')];
    const csv = `${HEADER}\ntask,Once,,,1,,,,,,\ntask,Its child,,,2,,,,,,\n`;
    expect(
      (await importFile('todoist-csv', csv, { auth: user.auth, projectId: first })).json().created.tasks,
    ).toBe(2);
    const before = await snapshot(t.db);
    const again = await importFile('todoist-csv', csv, { auth: user.auth, projectId: second });
    expect(again.json()).toEqual({ created: { projects: 0, tasks: 0 }, skipped: [] });
    expect(await snapshot(t.db)).toBe(before);
  });

  it("puts a subtask new in the file under its parent imported before, in the parent's project", async () => {
    const user = await t.user();
    const work = await newProject(user.auth, 'Work');
    const report = vtodo('report', 'Report');
    await importFile('ics', calendar(...report), { auth: user.auth, projectId: work });
    const charts = vtodo('charts', 'Charts', 'RELATED-TO:report');
    const res = await importFile('ics', calendar(...report, ...charts), { auth: user.auth });
    expect(res.json()).toEqual({ created: { projects: 0, tasks: 1 }, skipped: [] });
    const tasks = await tasksByTitle(user.auth);
    expect(tasks.Charts).toMatchObject({ parentId: tasks.Report!.id, projectId: work });
  });

  it('puts a new subtask at the top level when its parent imported before is no longer writable', async () => {
    const user = await t.user();
    const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [user.id]);
    const lent = await newProject(owner.auth, 'Lent');
    const invite = (role: string) =>
      t.server.inject({
        method: 'POST',
        url: `/api/v1/projects/${lent}/members`,
        headers: owner.auth,
        payload: { email: rows[0]!.email, role },
      });
    expect((await invite('editor')).statusCode).toBe(201);
    const theirs = vtodo('theirs', 'Theirs');
    await importFile('ics', calendar(...theirs), { auth: user.auth, projectId: lent });
    const removed = await t.server.inject({
      method: 'DELETE',
      url: `/api/v1/projects/${lent}/members/${user.id}`,
      headers: owner.auth,
    });
    expect(removed.statusCode).toBe(204);
    const mine = vtodo('mine', 'Mine', 'RELATED-TO:theirs');
    const res = await importFile('ics', calendar(...theirs, ...mine), { auth: user.auth });
    expect(res.json().skipped).toEqual([
      {
        line: 8,
        reason:
          'its parent, imported before, is in the Trash or no longer yours to change: imported at the top level',
      },
    ]);
    const mineTask = (await tasksByTitle(user.auth)).Mine as Task;
    expect(mineTask).toMatchObject({ parentId: null, projectId: await inboxOf(user.auth) });
  });
});
