import type { Task, TaskInput } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../api/errors.js';
import { taskFixture } from '../test-support/task-fixture.js';
import { runBulk, undoBulk } from './bulk-actions.js';
import { TaskStore } from './task-store.js';
import { type NotifyDetail, toggleComplete, type UndoScope } from './task-undo.js';
import type { TasksApi } from './tasks-api.js';

const task = (id: string, patch: Partial<Task> = {}): Task => taskFixture({ id, ...patch });

/** An in-memory API with the task routes bulk actions use; `failing` ids answer 503. */
function fakeApi(tasks: Task[], failing = new Set<string>()) {
  const db = new Map(tasks.map((t) => [t.id, t]));
  const trash = new Map<string, Task>();
  const calls: string[] = [];
  const change = (id: string, patch: Partial<Task>, version?: number) => {
    calls.push(`${id}:${Object.keys(patch).join(',')}${version ? `@${version}` : ''}`);
    if (failing.has(id)) throw new ProblemError(503, 'Unavailable', undefined, []);
    const current = db.get(id);
    if (!current) throw new ProblemError(404, 'Not Found', undefined, []);
    if (version !== undefined && version !== current.version)
      throw new ProblemError(412, 'Precondition Failed', undefined, []);
    const next = { ...current, ...patch, version: current.version + 1 };
    db.set(id, next);
    return next;
  };
  const api = {
    complete: async (id: string) => change(id, { completed: true }),
    reopen: async (id: string) => change(id, { completed: false }),
    update: async (id: string, patch: TaskInput, version: number) =>
      change(id, patch as Partial<Task>, version),
    remove: async (id: string) => {
      if (failing.has(id)) throw new ProblemError(503, 'Unavailable', undefined, []);
      trash.set(id, db.get(id)!);
      db.delete(id);
    },
    restore: async (id: string) => {
      const back = trash.get(id)!;
      trash.delete(id);
      db.set(id, back);
      return back;
    },
  };
  return { api: api as unknown as TasksApi, db, calls };
}

function storeWith(api: TasksApi, tasks: Task[]): TaskStore {
  const store = new TaskStore(api, 'UTC');
  store.items = tasks;
  return store;
}

describe('bulk actions and their undo', () => {
  it('reopens only the tasks the completion changed, not those already done', async () => {
    const tasks = [task('a'), task('b', { completed: true }), task('c')];
    const { api, db } = fakeApi(tasks);
    const store = storeWith(api, tasks);
    const result = await runBulk(api, store, tasks, { kind: 'complete' });
    expect(result.changed.map((t) => t.id)).toEqual(['a', 'c']);
    await undoBulk(api, store, result.changed, { kind: 'complete' });
    expect([...db.values()].map((t) => [t.id, t.completed])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
  });

  it('restores deleted tasks from the Trash into the list', async () => {
    const tasks = [task('a'), task('b')];
    const { api, db } = fakeApi(tasks);
    const store = storeWith(api, tasks);
    const result = await runBulk(api, store, tasks, { kind: 'delete' });
    expect(store.items).toEqual([]);
    expect(db.size).toBe(0);
    await undoBulk(api, store, result.changed, { kind: 'delete' });
    expect([...db.keys()]).toEqual(['a', 'b']);
    expect(store.items.map((t) => t.id).sort()).toEqual(['a', 'b']);
  });

  it('takes the tag off again, sending the version it put on as If-Match', async () => {
    const tasks = [task('a', { tags: ['home'] }), task('b', { tags: ['work'] })];
    const { api, db, calls } = fakeApi(tasks);
    const store = storeWith(api, tasks);
    const result = await runBulk(api, store, tasks, { kind: 'tag', tag: 'work' });
    expect(result.changed.map((t) => t.id)).toEqual(['a']);
    await undoBulk(api, store, result.changed, { kind: 'tag', tag: 'work' });
    expect(db.get('a')?.tags).toEqual(['home']);
    expect(calls).toEqual(['a:tags@1', 'a:tags@2']);
  });

  it('does not undo over a change made since: a newer version answers 412 and counts as failed', async () => {
    const tasks = [task('a')];
    const { api, db } = fakeApi(tasks);
    const store = storeWith(api, tasks);
    const result = await runBulk(api, store, tasks, { kind: 'tag', tag: 'x' });
    db.set('a', { ...db.get('a')!, title: 'Renamed elsewhere', version: 9 });
    const undo = await undoBulk(api, store, result.changed, { kind: 'tag', tag: 'x' });
    expect(undo.failed.map((t) => t.id)).toEqual(['a']);
    expect((undo.firstError as ProblemError).status).toBe(412);
    expect(db.get('a')?.tags).toEqual(['x']);
  });

  it('reports failures one by one and leaves them out of what Undo reverses', async () => {
    const tasks = [task('a'), task('b')];
    const { api } = fakeApi(tasks, new Set(['b']));
    const store = storeWith(api, tasks);
    const result = await runBulk(api, store, tasks, { kind: 'complete' });
    expect(result).toMatchObject({ done: 1, failed: [{ id: 'b' }] });
    expect(result.changed.map((t) => t.id)).toEqual(['a']);
  });
});

/** A screen other than the main list: its own copy of the tasks (a plain sink) and the toasts it asked for. */
function viewScope(api: TasksApi, tasks: Task[]) {
  const shown = new Map(tasks.map((t) => [t.id, t]));
  const toasts: NotifyDetail[] = [];
  const host = new EventTarget();
  host.addEventListener('notify', (e) => toasts.push((e as CustomEvent<NotifyDetail>).detail));
  const scope: UndoScope = {
    host: host as unknown as HTMLElement,
    api,
    sink: { upsert: (t) => (t.completed ? shown.delete(t.id) : shown.set(t.id, t)) },
  };
  return { scope, shown, toasts };
}

describe('Complete with Undo, shared by every screen', () => {
  it('completes, offers Undo, and Undo reopens through the API and shows the task again', async () => {
    const tasks = [task('a'), task('b')];
    const { api, db } = fakeApi(tasks);
    const { scope, shown, toasts } = viewScope(api, tasks);
    const done = await toggleComplete(scope, tasks[0]!);
    expect(done?.completed).toBe(true);
    expect([...shown.keys()]).toEqual(['b']);
    expect(toasts.map((t) => t.text)).toEqual(['Completed “Task a”']);
    await toasts[0]!.undo!();
    expect(db.get('a')?.completed).toBe(false);
    expect([...shown.keys()].sort()).toEqual(['a', 'b']);
    expect(toasts.map((t) => t.text)).toEqual(['Completed “Task a”', 'Reopened “Task a”']);
  });

  it('reopens a done task without a toast, as the main list does', async () => {
    const tasks = [task('a', { completed: true })];
    const { api, db } = fakeApi(tasks);
    const { scope, toasts } = viewScope(api, tasks);
    await toggleComplete(scope, tasks[0]!);
    expect(db.get('a')?.completed).toBe(false);
    expect(toasts).toEqual([]);
  });

  it('offers Retry, not Undo, when completing fails, and changes nothing shown', async () => {
    const tasks = [task('a')];
    const { api, db } = fakeApi(tasks, new Set(['a']));
    const { scope, shown, toasts } = viewScope(api, tasks);
    expect(await toggleComplete(scope, tasks[0]!)).toBeNull();
    expect(toasts).toHaveLength(1);
    expect(toasts[0]!.undo).toBeUndefined();
    expect(toasts[0]!.retry).toBeTypeOf('function');
    expect(db.get('a')?.completed).toBe(false);
    expect([...shown.keys()]).toEqual(['a']);
  });

  it('offers Retry when the Undo itself fails, and the task stays done', async () => {
    const tasks = [task('a')];
    const failing = new Set<string>();
    const { api, db } = fakeApi(tasks, failing);
    const { scope, shown, toasts } = viewScope(api, tasks);
    await toggleComplete(scope, tasks[0]!);
    failing.add('a');
    await toasts[0]!.undo!();
    expect(toasts.at(-1)?.text).toMatch(/^Could not undo for 1 task: /);
    expect(toasts.at(-1)?.retry).toBeTypeOf('function');
    expect(db.get('a')?.completed).toBe(true);
    expect(shown.size).toBe(0);
    failing.delete('a');
    toasts.at(-1)!.retry!();
    await expect.poll(() => db.get('a')?.completed).toBe(false);
    expect([...shown.keys()]).toEqual(['a']);
  });
});
