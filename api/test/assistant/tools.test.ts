import type { Task } from '@todo/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOOL_DEFINITIONS } from '../../src/assistant/tool-definitions.js';
import { type AssistantTool, assistantTools, type ToolContext } from '../../src/assistant/tools.js';
import { AppError, NotFoundError, ValidationError } from '../../src/http/errors.js';
import { TaskService } from '../../src/tasks/task.service.js';
import { TrashService } from '../../src/tasks/trash.service.js';
import { STORAGES, useTestApp } from '../support/test-app.js';

/** The error a call fails with (the test fails if it succeeds). */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(outcome instanceof AppError)) throw new Error(`expected an AppError, got ${String(outcome)}`);
  return outcome;
}

describe('the tool registry', () => {
  const tools = assistantTools({} as never);

  it('lists every task tool once, each with an object schema from the contract and all four annotations', () => {
    expect(tools.map((t) => t.name)).toEqual(TOOL_DEFINITIONS.map((d) => d.name));
    expect(tools.map((t) => t.name)).toEqual([
      'add_task',
      'list_tasks',
      'search_tasks',
      'update_task',
      'complete_task',
      'reopen_task',
      'delete_task',
      'set_reminder',
      'list_notifications',
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.outputSchema.type, tool.name).toBe('object');
      expect(tool.title.length).toBeGreaterThan(0);
      expect(Object.keys(tool.annotations).sort()).toEqual([
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
        'readOnlyHint',
      ]);
    }
  });

  it('marks reads read-only and needing tasks:read, and only delete and update destructive', () => {
    const by = Object.fromEntries(tools.map((t) => [t.name, t]));
    const readOnly = tools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name);
    expect(readOnly).toEqual(['list_tasks', 'search_tasks', 'list_notifications']);
    for (const tool of tools)
      expect(tool.scope).toBe(tool.annotations.readOnlyHint ? 'tasks:read' : 'tasks:write');
    expect(tools.filter((t) => t.annotations.destructiveHint).map((t) => t.name)).toEqual([
      'update_task',
      'delete_task',
    ]);
    expect(by.add_task?.annotations.idempotentHint).toBe(false);
    expect(by.complete_task?.annotations.idempotentHint).toBe(true);
  });

  it("describes add_task's arguments with the create body's fields and rules", () => {
    const schema = assistantTools({} as never)[0]!.inputSchema as {
      properties: Record<string, { maxLength?: number }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(schema.required).toEqual(['title']);
    expect(schema.properties.title?.maxLength).toBe(500);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['dueAt', 'tags', 'reminders', 'recurrence', 'projectId', 'parentId']),
    );
    expect(schema.additionalProperties).toBe(false);
  });
});

describe.each(STORAGES)('the assistant tools on %s', (storage) => {
  const t = useTestApp(storage, { user: false });
  let tools: Record<string, AssistantTool>;
  let alice: ToolContext;
  let bob: ToolContext;
  const call = (ctx: ToolContext, name: string, args: unknown) => tools[name]!.call(ctx, args);
  const tasksOf = async (ctx: ToolContext, args: object = {}) =>
    ((await call(ctx, 'list_tasks', { status: 'all', ...args })).items as Task[]).map((task) => task.title);

  beforeAll(async () => {
    const services = {
      tasks: new TaskService(t.db, t.events.recordTaskChange),
      trash: new TrashService(t.db, t.events.recordTaskChange),
      db: t.db,
    };
    tools = Object.fromEntries(assistantTools(services).map((tool) => [tool.name, tool]));
    alice = { userId: (await t.user()).id };
    bob = { userId: (await t.user()).id };
  });

  it('adds, lists with filters, searches, updates, completes, reopens and deletes a task', async () => {
    const added = (await call(alice, 'add_task', {
      title: 'Buy groceries',
      tags: ['Home', 'home'],
      priority: 'high',
      dueAt: '2030-05-01T09:00:00+02:00',
    })) as Task;
    expect(added).toMatchObject({
      title: 'Buy groceries',
      tags: ['home'],
      dueAt: '2030-05-01T07:00:00.000Z',
    });
    await call(alice, 'add_task', { title: 'Call the plumber', priority: 'low' });

    expect(await tasksOf(alice, { tag: 'home' })).toEqual(['Buy groceries']);
    expect(await tasksOf(alice, { priority: 'low,urgent' })).toEqual(['Call the plumber']);
    // JSON numbers and booleans are read as a query string carries them.
    const page = await call(alice, 'list_tasks', { limit: 1, recurring: false, sort: 'title' });
    expect((page.items as Task[]).map((x) => x.title)).toEqual(['Buy groceries']);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = await call(alice, 'list_tasks', { limit: 1, sort: 'title', cursor: page.nextCursor });
    expect((next.items as Task[]).map((x) => x.title)).toEqual(['Call the plumber']);

    const found = await call(alice, 'search_tasks', { q: 'grocer' });
    expect((found.items as Task[]).map((x) => x.id)).toEqual([added.id]);

    const updated = await call(alice, 'update_task', { id: added.id, title: 'Buy bread', dueAt: null });
    expect(updated).toMatchObject({ id: added.id, title: 'Buy bread', dueAt: null, tags: ['home'] });
    expect(await call(alice, 'complete_task', { id: added.id })).toMatchObject({ completed: true });
    expect(await call(alice, 'complete_task', { id: added.id })).toMatchObject({ completed: true });
    expect(await call(alice, 'reopen_task', { id: added.id })).toMatchObject({ completed: false });
    expect(await call(alice, 'delete_task', { id: added.id })).toEqual({ id: added.id, trashed: true });
    expect(await tasksOf(alice)).toEqual(['Call the plumber']);
    expect(await failure(call(alice, 'delete_task', { id: added.id }))).toBeInstanceOf(NotFoundError);
  });

  it('adds reminders one at a time, keeping the others', async () => {
    const task = (await call(alice, 'add_task', { title: 'Dentist', dueAt: '2030-06-01T10:00:00Z' })) as Task;
    await call(alice, 'set_reminder', { id: task.id, reminder: { before: 'PT1H' } });
    const twice = (await call(alice, 'set_reminder', {
      id: task.id,
      reminder: { remindAt: '2030-05-31T18:00:00Z' },
    })) as Task;
    expect(twice.reminders).toEqual([
      { id: expect.any(String), before: 'PT1H' },
      { id: expect.any(String), remindAt: '2030-05-31T18:00:00.000Z' },
    ]);
    const noDue = (await call(alice, 'add_task', { title: 'Someday' })) as Task;
    const err = await failure(call(alice, 'set_reminder', { id: noDue.id, reminder: { before: 'PT1H' } }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((await call(alice, 'search_tasks', { q: 'someday' })).items).toMatchObject([{ reminders: [] }]);
  });

  it('lists the notifications and the unread count', async () => {
    expect(await call(alice, 'list_notifications', { limit: 5 })).toEqual({ items: [], unread: 0 });
  });

  it('refuses wrong arguments with the validation message of each field, writing nothing', async () => {
    const before = await tasksOf(alice);
    const cases: [string, unknown, { path: string; message: RegExp }][] = [
      ['add_task', { title: '   ' }, { path: 'title', message: /blank|empty/ }],
      ['add_task', { title: 'x', colour: 'red' }, { path: 'colour', message: /not a known field/ }],
      ['add_task', { title: 'x', dueAt: 'tomorrow' }, { path: 'dueAt', message: /RFC 3339/ }],
      ['add_task', 'a string', { path: 'arguments', message: /object/ }],
      ['list_tasks', { limit: 0 }, { path: 'limit', message: /1/ }],
      ['list_tasks', { priority: 'important' }, { path: 'priority', message: /comma-separated/ }],
      ['update_task', { id: 'not-a-uuid', title: 'x' }, { path: 'id', message: /task id/ }],
      [
        'set_reminder',
        {
          id: '00000000-0000-4000-8000-000000000000',
          reminder: { before: 'PT1H', remindAt: '2030-01-01T00:00:00Z' },
        },
        { path: 'reminder', message: /exactly one of remindAt or before/ },
      ],
      ['search_tasks', {}, { path: 'q', message: /.+/ }],
    ];
    for (const [name, args, expected] of cases) {
      const err = await failure(call(alice, name, args));
      expect(err, name).toBeInstanceOf(ValidationError);
      expect(err.message).toBe(`The arguments of ${name} are invalid.`);
      expect(err.errors).toContainEqual({
        path: expected.path,
        message: expect.stringMatching(expected.message),
      });
    }
    expect(await tasksOf(alice)).toEqual(before);
  });

  it("treats another user's task as not found for every tool that names one, changing nothing", async () => {
    const secret = (await call(alice, 'add_task', {
      title: 'Alice only',
      dueAt: '2030-01-01T00:00:00Z',
    })) as Task;
    const id = secret.id;
    for (const [name, args] of [
      ['update_task', { id, title: 'stolen' }],
      ['complete_task', { id }],
      ['reopen_task', { id }],
      ['delete_task', { id }],
      ['set_reminder', { id, reminder: { before: 'PT5M' } }],
    ] as const) {
      const err = await failure(call(bob, name, args));
      expect(err, name).toBeInstanceOf(NotFoundError);
    }
    expect(await tasksOf(bob)).toEqual([]);
    expect((await call(bob, 'search_tasks', { q: 'alice' })).items).toEqual([]);
    expect((await call(alice, 'search_tasks', { q: 'alice' })).items).toMatchObject([
      { id, title: 'Alice only', completed: false, reminders: [], version: secret.version },
    ]);
  });
});
