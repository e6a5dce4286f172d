import { randomUUID } from 'node:crypto';
import type { ExportDocument } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { portabilityRepository } from '../../src/portability/portability.repository.js';
import type { StoredTask } from '../../src/tasks/task-row.js';
import { portabilityRequests } from '../support/import-requests.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

type Auth = { authorization: string };
const TASKS = 20_000;
/** Tasks per family: a top-level task and its subtasks, which must stay in one part of a split file. */
const FAMILY = 5;

/**
 * The tasks of an export, ids replaced by titles (unique here) so two accounts' exports compare; sorted by
 * title, since tasks created at the same instant are ordered by their ids, which differ between accounts.
 */
function comparable(d: ExportDocument) {
  const titles = new Map(d.tasks.map((x) => [x.id, x.title]));
  const projects = new Map(d.projects.map((p) => [p.id, p.name]));
  return d.tasks
    .map(({ id, version: _v, seriesId, parentId, projectId, ...rest }) => ({
      ...rest,
      project: projects.get(projectId),
      id: titles.get(id),
      seriesId: seriesId && titles.get(seriesId),
      parentId: parentId && titles.get(parentId),
    }))
    .sort((a, b) => (a.title < b.title ? -1 : 1));
}

describe.each(STORAGES)('a streamed export of 20,000 tasks on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  const { importFile } = portabilityRequests(t);

  /** 20,000 tasks written straight to the database (the import path caps a file at 10,000). */
  async function seed(userId: string, auth: Auth): Promise<void> {
    const projectIds: string[] = [];
    for (const name of ['Home', 'Work']) {
      const res = await t.server.inject({
        method: 'POST',
        url: '/api/v1/projects',
        headers: auth,
        payload: { name },
      });
      projectIds.push(res.json().id);
    }
    // Families share a created_at pairwise (the pages' keyset breaks ties by id) and microseconds that a
    // millisecond Date would lose.
    const base = Date.UTC(2026, 0, 1);
    const tasks: StoredTask[] = [];
    for (let i = 0; i < TASKS; i++) {
      const family = Math.floor(i / FAMILY);
      const top = i % FAMILY === 0;
      const at = new Date(base + family * 1000 + Math.floor((i % FAMILY) / 2)).toISOString();
      tasks.push({
        id: randomUUID(),
        userId,
        projectId: projectIds[family % 2]!,
        title: `Task ${i}: "quoted", ${'é'.repeat(i % 7)}.`,
        description: i % 3 ? '' : `line one\nline two of ${i}`,
        completed: i % 4 === 0,
        completedAt: i % 4 === 0 ? at : null,
        priority: (['none', 'low', 'medium', 'high', 'urgent'] as const)[i % 5]!,
        tags: i % 2 ? ['even'] : ['odd', `t${i % 10}`],
        dueAt: i % 6 ? null : new Date(base + i * 60_000).toISOString(),
        timeZone: 'Europe/Paris',
        reminders: [],
        recurrence: null,
        seriesId: null,
        assigneeId: null,
        createdAt: at,
        updatedAt: at,
        version: 1,
        parentId: top ? null : tasks[i - (i % FAMILY)]!.id,
        order: `a0${String(i).padStart(6, '0')}V`,
        occurrence: 1,
        seriesStart: null,
      });
    }
    await t.db.transaction((tx) =>
      portabilityRepository.insertTasks(
        tx,
        'todo-export',
        tasks.map((task) => ({ task, sourceId: `seed-${task.id}` })),
      ),
    );
    await t.db.query(
      "UPDATE tasks SET created_at = created_at + interval '123 microseconds' WHERE user_id = $1",
      [userId],
    );
  }

  it('streams every task once, in order, and the file imports into a fresh account equal', {
    timeout: 600_000,
  }, async () => {
    const alice = await t.user();
    await seed(alice.id, alice.auth);
    const res = await t.server.inject({ url: '/api/v1/export?format=json', headers: alice.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const exported: ExportDocument = res.json();
    expect(exported.tasks).toHaveLength(TASKS);
    expect(new Set(exported.tasks.map((x) => x.id)).size).toBe(TASKS);
    const order = exported.tasks.map((x) => x.createdAt);
    expect(order).toEqual([...order].sort());

    // The import takes 10,000 tasks a file: two halves, each holding whole families.
    const bob = await t.user();
    const half = TASKS / 2;
    const parts = [exported.tasks.slice(0, half), exported.tasks.slice(half)];
    for (const tasks of parts) {
      expect(new Set(tasks.map((x) => x.id))).toEqual(
        new Set([...tasks.map((x) => x.id), ...tasks.flatMap((x) => (x.parentId ? [x.parentId] : []))]),
      );
      const answer = await importFile('json', { ...exported, tasks }, { auth: bob.auth });
      expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
      expect(answer.json().skipped).toEqual([]);
    }
    const again: ExportDocument = (
      await t.server.inject({ url: '/api/v1/export?format=json', headers: bob.auth })
    ).json();
    expect(comparable(again)).toEqual(comparable(exported));
    expect(again.projects.map((p) => p.name)).toEqual(exported.projects.map((p) => p.name));

    const csv = await t.server.inject({ url: '/api/v1/export?format=csv', headers: alice.auth });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.split('\r\n');
    expect(lines[0]!.startsWith('\uFEFF"id","title"')).toBe(true);
    expect(lines.at(-1)).toBe('');
    // One header, one line per task (two for a description with a line break in its quoted cell).
    const withBreak = exported.tasks.filter((x) => x.description.includes('\n')).length;
    expect(lines.length - 2).toBe(TASKS);
    expect(csv.body.split('\n').length - 1).toBe(TASKS + 1 + withBreak);
  });

  it('exports an account with no tasks as an empty list, in JSON and CSV', async () => {
    const { auth } = await t.user();
    const json = await t.server.inject({ url: '/api/v1/export?format=json', headers: auth });
    expect(json.json()).toMatchObject({ format: 'todo-export', tasks: [], projects: [{ name: 'Inbox' }] });
    const csv = await t.server.inject({ url: '/api/v1/export?format=csv', headers: auth });
    expect(csv.body.split('\r\n')).toHaveLength(2);
  });
});
