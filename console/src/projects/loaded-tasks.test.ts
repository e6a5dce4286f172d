import { describe, expect, it } from 'vitest';
import { buildTree } from '../dnd/task-tree.js';
import { addPage, type LoadedTasks, NO_TASKS, removeTasks, upsertTask } from './loaded-tasks.js';
import type { PlacedTask } from './project-types.js';

const task = (id: string, order: string, more: Partial<PlacedTask> = {}): PlacedTask =>
  ({
    id,
    title: id,
    order,
    version: 1,
    projectId: 'p',
    parentId: null,
    completed: false,
    ...more,
  }) as PlacedTask;

const ids = (loaded: LoadedTasks) => loaded.items.map((t) => t.id);

/** Two pages loaded of three: a0–a1, then a2–a3; a4 onwards not yet. */
const twoPages = () =>
  [
    { items: [task('t0', 'a0'), task('t1', 'a1')], nextCursor: 'c1' },
    { items: [task('t2', 'a2'), task('t3', 'a3')], nextCursor: 'c2' },
  ].reduce(addPage, NO_TASKS);

describe('a project’s tasks, loaded page by page', () => {
  it('keeps the cursor of the last page, counts the pages and ends when a page has no cursor', () => {
    const loaded = twoPages();
    expect(ids(loaded)).toEqual(['t0', 't1', 't2', 't3']);
    expect(loaded).toMatchObject({ cursor: 'c2', pages: 2, last: { id: 't3' } });
    const all = addPage(loaded, { items: [task('t4', 'a4')], nextCursor: null });
    expect(all.cursor).toBeNull();
    expect(ids(all)).toEqual(['t0', 't1', 't2', 't3', 't4']);
  });

  it('nests a subtask that came pages before its parent once the parent’s page is in', () => {
    const first = addPage(NO_TASKS, {
      items: [task('child', 'a0', { parentId: 'parent' }), task('t1', 'a1')],
      nextCursor: 'c1',
    });
    expect(buildTree(first.items).map((n) => n.task.id)).toEqual(['child', 't1']);
    const second = addPage(first, { items: [task('parent', 'a5')], nextCursor: null });
    const roots = buildTree(second.items);
    expect(roots.map((n) => n.task.id)).toEqual(['t1', 'parent']);
    expect(roots[1]!.children.map((n) => n.task.id)).toEqual(['child']);
  });

  it('leaves a live change to a task past the pages loaded for its page, and shows one within them', () => {
    const loaded = twoPages();
    expect(ids(upsertTask(loaded, task('far', 'a9'), true))).not.toContain('far');
    expect(ids(upsertTask(loaded, task('moved-in', 'a15'), true))).toEqual([
      't0',
      't1',
      'moved-in',
      't2',
      't3',
    ]);
  });

  it('shows a task the user just made here even past the pages loaded, and its page does not repeat it', () => {
    const made = upsertTask(twoPages(), task('new', 'a9'), true, true);
    expect(ids(made).at(-1)).toBe('new');
    const next = addPage(made, { items: [task('t4', 'a4'), task('new', 'a9')], nextCursor: null });
    expect(ids(next)).toEqual(['t0', 't1', 't2', 't3', 't4', 'new']);
  });

  it('shows every live change once all is loaded', () => {
    const all = addPage(NO_TASKS, { items: [task('t0', 'a0')], nextCursor: null });
    expect(ids(upsertTask(all, task('late', 'z9'), true))).toEqual(['t0', 'late']);
  });

  it('keeps the newer version when a page brings a task again', () => {
    const loaded = upsertTask(twoPages(), task('t1', 'a1', { title: 'renamed', version: 3 }), true);
    const again = addPage(loaded, { items: [task('t1', 'a1', { version: 2 })], nextCursor: 'c3' });
    expect(again.items.find((t) => t.id === 't1')).toMatchObject({ title: 'renamed', version: 3 });
    const newer = addPage(loaded, {
      items: [task('t1', 'a1', { title: 'later', version: 4 })],
      nextCursor: 'c3',
    });
    expect(newer.items.find((t) => t.id === 't1')?.title).toBe('later');
  });

  it('ignores a change older than the version shown', () => {
    const loaded = upsertTask(twoPages(), task('t1', 'a1', { version: 5 }), true);
    expect(upsertTask(loaded, task('t1', 'a1', { version: 4, completed: true }), false)).toBe(loaded);
  });

  it('does not let a page answered late bring back a task completed, moved away or deleted meanwhile', () => {
    let loaded = twoPages();
    loaded = upsertTask(loaded, task('t4', 'a4', { version: 2, completed: true }), false);
    loaded = upsertTask(loaded, task('t5', 'a5', { version: 2, projectId: 'other' }), false);
    loaded = removeTasks(loaded, new Set(['t6']), true);
    loaded = removeTasks(loaded, new Set(['t0']));
    const late = addPage(loaded, {
      items: [task('t0', 'a0'), task('t4', 'a4'), task('t5', 'a5'), task('t6', 'a6'), task('t7', 'a7')],
      nextCursor: null,
    });
    expect(ids(late)).toEqual(['t1', 't2', 't3', 't7']);
  });

  it('takes back a task reopened or restored after it left, with its page or at once', () => {
    let loaded = removeTasks(twoPages(), new Set(['t5']), true);
    loaded = upsertTask(loaded, task('t5', 'a5', { version: 3 }), true);
    expect(ids(loaded)).not.toContain('t5');
    expect(ids(addPage(loaded, { items: [task('t5', 'a5', { version: 3 })], nextCursor: null }))).toContain(
      't5',
    );
    const reopened = upsertTask(removeTasks(loaded, new Set(['t1'])), task('t1', 'a1', { version: 3 }), true);
    expect(ids(reopened)).toContain('t1');
  });
});
