import type { ExportDocument } from '@todo/contract';
import { eventually } from '@todo/infra/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { portabilityRequests } from '../support/import-requests.js';
import { snapshot } from '../support/snapshot.js';
import { createTask } from '../support/task-requests.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

type Auth = { authorization: string };

describe.each(STORAGES)('export and import of our JSON on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  let alice: Auth;
  let exported: ExportDocument;

  const exportJson = async (auth: Auth): Promise<ExportDocument> => {
    const res = await t.server.inject({ url: '/api/v1/export?format=json', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="todo-export-.*\.json"$/);
    return res.json();
  };
  const { importFile, tasksByTitle } = portabilityRequests(t);

  beforeAll(async () => {
    alice = (await t.user()).auth;
    const plants = await createTask(t, alice, {
      title: 'Water the plants',
      description: 'Both balconies\n\tand the ficus',
      priority: 'high',
      tags: ['home', 'weekly'],
      dueAt: '2030-03-10T08:00:00+01:00',
      timeZone: 'Europe/Paris',
      reminders: [{ before: 'PT15M' }, { remindAt: '2030-03-09T20:00:00Z' }],
      recurrence: { rule: 'FREQ=WEEKLY;BYDAY=SU', from: 'due' },
    });
    const balcony = await createTask(t, alice, { title: 'Balcony', parentId: plants.id });
    await createTask(t, alice, { title: 'The ficus', parentId: balcony.id });
    const done = await createTask(t, alice, { title: '=HYPERLINK("http://evil")', priority: 'urgent' });
    await t.server.inject({ method: 'POST', url: `/api/v1/tasks/${done.id}/complete`, headers: alice });
    const home = (
      await t.server.inject({
        method: 'POST',
        url: '/api/v1/projects',
        headers: alice,
        payload: { name: 'Home' },
      })
    ).json();
    const garden = (
      await t.server.inject({
        method: 'POST',
        url: '/api/v1/projects',
        headers: alice,
        payload: { name: 'Garden', color: '#22aa44', parentId: home.id },
      })
    ).json();
    await createTask(t, alice, {
      title: 'Plain, "quoted" task',
      description: 'line one\r\nline two',
      projectId: garden.id,
    });
    exported = await exportJson(alice);
  });

  it('exports every task field in a versioned envelope', () => {
    expect(exported).toMatchObject({ format: 'todo-export', version: 1 });
    expect(exported.projects.map(({ name, color, inbox }) => ({ name, color, inbox }))).toEqual([
      { name: 'Inbox', color: null, inbox: true },
      { name: 'Home', color: null, inbox: false },
      { name: 'Garden', color: '#22aa44', inbox: false },
    ]);
    expect(exported.projects[2]!.parentId).toBe(exported.projects[1]!.id);
    expect(Date.parse(exported.exportedAt)).not.toBeNaN();
    expect(exported.tasks).toHaveLength(5);
    const plants = exported.tasks.find((x) => x.title === 'Water the plants')!;
    expect(plants).toMatchObject({
      priority: 'high',
      tags: ['home', 'weekly'],
      dueAt: '2030-03-10T07:00:00.000Z',
      timeZone: 'Europe/Paris',
      recurrence: { rule: 'FREQ=WEEKLY;BYDAY=SU', from: 'due' },
      seriesId: plants.id,
      occurrence: 1,
      seriesStart: '2030-03-10T08:00:00',
      completed: false,
    });
    expect(plants.reminders).toHaveLength(2);
    expect(exported.tasks.find((x) => x.title.startsWith('=HYPERLINK'))).toMatchObject({ completed: true });
  });

  it('imports the export into another account equal field by field, ids and versions aside', async () => {
    const bob = (await t.user()).auth;
    const res = await importFile('json', exported, { auth: bob });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: { projects: 2, tasks: 5 }, skipped: [] });
    const again = await exportJson(bob);
    const comparable = (d: ExportDocument) => {
      const ids = new Map(d.tasks.map((x, i) => [x.id, `task-${i}`]));
      // Projects get new ids like tasks: compare them by name.
      const projects = new Map(d.projects.map((p) => [p.id, p.name]));
      return d.tasks.map(({ id, version: _v, seriesId, parentId, projectId, ...rest }) => ({
        ...rest,
        project: projects.get(projectId),
        id: ids.get(id),
        seriesId: seriesId && ids.get(seriesId),
        parentId: parentId && ids.get(parentId),
      }));
    };
    expect(comparable(again)).toEqual(comparable(exported));
    expect(again.projects.map(({ id: _id, parentId: _p, order: _o, ...rest }) => rest)).toEqual(
      exported.projects.map(({ id: _id, parentId: _p, order: _o, ...rest }) => rest),
    );
    expect(again.projects[2]!.parentId).toBe(again.projects[1]!.id);
    expect(again.tasks.map((x) => x.id)).not.toContain(exported.tasks[0]!.id);
  });

  it('creates nothing when the same file is imported twice, nor when an account imports its own export', async () => {
    const carol = (await t.user()).auth;
    expect((await importFile('json', exported, { auth: carol })).json().created.tasks).toBe(5);
    const before = await snapshot(t.db);
    const second = await importFile('json', exported, { auth: carol });
    expect(second.json()).toEqual({ created: { projects: 0, tasks: 0 }, skipped: [] });
    const own = await importFile('json', exported, { auth: alice });
    expect(own.json()).toEqual({ created: { projects: 0, tasks: 0 }, skipped: [] });
    expect(await snapshot(t.db)).toBe(before);
  });

  it('creates each task once when the same file is imported twice at the same moment', async () => {
    const { id, auth } = await t.user();
    const answers = await Promise.all([
      importFile('json', exported, { auth }),
      importFile('json', exported, { auth }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    expect(answers.map((a) => a.json().created.tasks).sort()).toEqual([0, 5]);
    const { rows } = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tasks WHERE user_id = $1',
      [id],
    );
    expect(rows[0]!.n).toBe(5);
  });

  it('records a created event for every imported task, seen in the audit trail like any other create', async () => {
    const dave = (await t.user()).auth;
    await importFile('json', exported, { auth: dave });
    const items = await eventually('the imported tasks in the audit trail', async () => {
      const page = (await t.server.inject({ url: '/api/v1/activity?limit=10', headers: dave })).json();
      expect(page.items).toHaveLength(5);
      return page.items as { type: string; title: string }[];
    });
    expect(new Set(items.map((i) => i.type))).toEqual(new Set(['task.created']));
    expect(items.map((i) => i.title).sort()).toEqual(exported.tasks.map((x) => x.title).sort());
  });

  it("puts a task whose project is not in the file into the Inbox, and a subtask into its parent's project", async () => {
    const { auth } = await t.user();
    const res = await importFile(
      'json',
      {
        format: 'todo-export',
        version: 1,
        projects: [{ id: 'p1', name: 'Work' }],
        tasks: [
          { id: 'a', title: 'Lost', projectId: 'nowhere' },
          { id: 'b', title: 'Report', projectId: 'p1' },
          { id: 'c', title: 'Charts', projectId: 'nowhere', parentId: 'b' },
        ],
      },
      { auth },
    );
    expect(res.json()).toEqual({
      created: { projects: 1, tasks: 3 },
      skipped: [{ line: 1, reason: 'its project is not in the file: imported into the Inbox' }],
    });
    const projects = (await t.server.inject({ url: '/api/v1/projects', headers: auth })).json() as {
      id: string;
      name: string;
      inbox: boolean;
    }[];
    const tasks = await tasksByTitle(auth);
    expect(tasks.Lost!.projectId).toBe(projects.find((p) => p.inbox)!.id);
    expect(tasks.Report!.projectId).toBe(projects.find((p) => p.name === 'Work')!.id);
    expect(tasks.Charts!.projectId).toBe(tasks.Report!.projectId);
  });

  it('exports only the projects the user owns, not a project shared with them', async () => {
    const owner = await t.user();
    const member = await t.user();
    const shared = (
      await t.server.inject({
        method: 'POST',
        url: '/api/v1/projects',
        headers: owner.auth,
        payload: { name: 'Shared' },
      })
    ).json();
    const { rows } = await t.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
      member.id,
    ]);
    const invited = await t.server.inject({
      method: 'POST',
      url: `/api/v1/projects/${shared.id}/members`,
      headers: owner.auth,
      payload: { email: rows[0]!.email, role: 'editor' },
    });
    expect(invited.statusCode).toBe(201);
    await createTask(t, owner.auth, { title: 'Owner secret', projectId: shared.id });
    const mine = await exportJson(member.auth);
    expect(mine.projects.map((p) => p.name)).toEqual(['Inbox']);
    expect(JSON.stringify(mine)).not.toContain('Owner secret');
  });

  it("never exports another user's tasks", async () => {
    const eve = (await t.user()).auth;
    await createTask(t, eve, { title: 'Eve only' });
    const mine = await exportJson(eve);
    expect(mine.tasks.map((x) => x.title)).toEqual(['Eve only']);
    expect(JSON.stringify(mine)).not.toContain('Water the plants');
    const csv = await t.server.inject({ url: '/api/v1/export?format=csv', headers: eve });
    expect(csv.body).not.toContain('Water the plants');
  });

  it('skips a task the task rules refuse, with its position and reason, and imports the rest', async () => {
    const frank = (await t.user()).auth;
    const document = {
      format: 'todo-export',
      version: 1,
      tasks: [
        { id: 'a', title: 'Fine' },
        {
          id: 'b',
          title: 'Repeats from a due date it lacks',
          recurrence: { rule: 'FREQ=DAILY', from: 'due' },
        },
        { id: 'c', title: 'Bad rule', dueAt: '2030-01-01T09:00:00Z', recurrence: { rule: 'FREQ=SOMETIMES' } },
        { id: 'd', title: 'Child of a refused task', parentId: 'b' },
        { id: 'e', title: 'Child of nobody', parentId: 'nobody' },
        { id: 'f', title: 'Loop one', parentId: 'g' },
        { id: 'g', title: 'Loop two', parentId: 'f' },
        { id: 'h', title: 'Child of Fine', parentId: 'a' },
      ],
    };
    const res = await importFile('json', document, { auth: frank });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.created.tasks).toBe(6);
    expect(body.skipped.map((s: { line: number }) => s.line)).toEqual([2, 3, 4, 5, 7]);
    expect(body.skipped[0].reason).toMatch(/dueAt/);
    expect(body.skipped.slice(2).map((s: { reason: string }) => s.reason)).toEqual([
      'its parent was not imported: imported at the top level',
      'its parent is not in the file: imported at the top level',
      'its parents form a cycle: imported at the top level',
    ]);
    const tasks = await tasksByTitle(frank);
    expect(tasks['Child of Fine']!.parentId).toBe(tasks.Fine!.id);
    expect(tasks['Loop one']!.parentId).toBe(tasks['Loop two']!.id);
    expect(tasks['Loop two']!.parentId).toBeNull();
  });

  it('refuses a document of another format or version, or with a malformed task, and writes nothing', async () => {
    const gina = (await t.user()).auth;
    const before = await snapshot(t.db);
    const bad = [
      { format: 'other', version: 1, tasks: [] },
      { format: 'todo-export', version: 2, tasks: [] },
      {
        format: 'todo-export',
        version: 1,
        tasks: [
          { id: 'x', title: 'ok' },
          { id: 'y', title: 'bad\u0000nul' },
        ],
      },
      { format: 'todo-export', version: 1, tasks: [{ id: 'x', title: 'x'.repeat(501) }] },
      { format: 'todo-export', version: 1, tasks: [{ id: 'x', title: 'x', dueAt: '2030-02-30T09:00:00Z' }] },
      { format: 'todo-export', version: 1, tasks: [{ id: 'x', title: 'x', priority: 'p1' }] },
      [],
    ];
    for (const payload of bad) {
      const res = await importFile('json', payload, { auth: gina });
      expect([400, 422], JSON.stringify(payload).slice(0, 80)).toContain(res.statusCode);
      expect(problemOf(res).status).toBe(res.statusCode);
    }
    const unknownZone = await importFile(
      'json',
      {
        format: 'todo-export',
        version: 1,
        tasks: [{ id: 'x', title: 'x', timeZone: 'Mars/Olympus' }],
      },
      { auth: gina },
    );
    expect(problemOf(unknownZone)).toMatchObject({ status: 422, errors: [{ path: 'tasks.0.timeZone' }] });
    const nul = await importFile('json', bad[2], { auth: gina });
    expect(problemOf(nul).errors?.[0]?.path).toBe('tasks.1.title');
    expect(await snapshot(t.db)).toBe(before);
  });

  it('refuses more than 10,000 tasks with 413 and a body over 16 MiB with 413', async () => {
    const hal = (await t.user()).auth;
    const many = {
      format: 'todo-export',
      version: 1,
      tasks: Array.from({ length: 10_001 }, (_, i) => ({ id: `t${i}`, title: `Task ${i}` })),
    };
    const tooMany = await importFile('json', many, { auth: hal });
    expect(tooMany.statusCode).toBe(413);
    expect(problemOf(tooMany).detail).toMatch(/10,001 tasks.*at most 10,000/);
    const huge = await importFile('todoist-csv', `TYPE,CONTENT\n${'task,x\n'.repeat(2_500_000)}`, {
      auth: hal,
      contentType: 'text/csv',
    });
    expect(huge.statusCode).toBe(413);
    expect(problemOf(huge).detail).toBe('The request body exceeds the 16 MiB limit.');
  });

  it('answers 422 when format and Content-Type disagree, and 415 for a media type it does not read', async () => {
    const ivy = (await t.user()).auth;
    const mismatch = await importFile('ics', 'TYPE,CONTENT\n', { auth: ivy, contentType: 'text/csv' });
    expect(mismatch.statusCode).toBe(422);
    const xml = await importFile(null, '<tasks/>', { auth: ivy, contentType: 'application/xml' });
    expect(xml.statusCode).toBe(415);
  });
});

describe('the CSV export', () => {
  const t = useTestApp('pglite');

  it('is RFC 4180 with a header, quoted cells, CRLF and formula cells made text', async () => {
    await createTask(t, t.auth, { title: '=1+2', tags: ['a', 'b'], description: 'say "hi", then\nleave' });
    await createTask(t, t.auth, { title: '@SUM(A1)' });
    await createTask(t, t.auth, { title: '-3+4' });
    const res = await t.server.inject({ url: '/api/v1/export?format=csv', headers: t.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const body = res.body.replace(/^\uFEFF/, '');
    const [header] = body.split('\r\n');
    expect(header).toBe(
      '"id","title","description","completed","completedAt","priority","tags","dueAt","timeZone","recurrence","recurrenceFrom","reminders","seriesId","parentId","project","createdAt","updatedAt"',
    );
    expect(body).toContain(`"'=1+2","say ""hi"", then\nleave","false","","none","a b",""`);
    expect(body).toContain(`"'@SUM(A1)"`);
    expect(body).toContain(`"'-3+4"`);
    expect(body.endsWith('\r\n')).toBe(true);
  });

  it('answers 400 for an unknown format and 401 without a token', async () => {
    expect((await t.server.inject({ url: '/api/v1/export?format=xlsx', headers: t.auth })).statusCode).toBe(
      400,
    );
    expect((await t.server.inject({ url: '/api/v1/export' })).statusCode).toBe(401);
  });
});

describe('the OpenAPI document of export and import', () => {
  const t = useTestApp('pglite', { user: false });

  it('documents the export in JSON and CSV and the import body in JSON, CSV and iCalendar', async () => {
    const document = (await t.server.inject({ url: '/api/openapi.json' })).json();
    const exportOp = document.paths['/api/v1/export'].get;
    expect(Object.keys(exportOp.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    const importOp = document.paths['/api/v1/import'].post;
    expect(Object.keys(importOp.requestBody.content)).toEqual([
      'application/json',
      'text/csv',
      'text/calendar',
    ]);
    expect(importOp.requestBody.content['text/csv'].schema.type).toBe('string');
    expect(Object.keys(importOp.responses)).toEqual(
      expect.arrayContaining(['200', '400', '413', '415', '422']),
    );
  });
});
