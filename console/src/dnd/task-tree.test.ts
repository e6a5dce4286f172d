import { describe, expect, it } from 'vitest';
import {
  buildTree,
  defaultLevel,
  describeSlot,
  findNode,
  isSameSlot,
  levelRange,
  planGap,
  planInto,
  slotAt,
  slotOfOrder,
  subtreeDepth,
  subtreeIds,
  type TreeTask,
  visibleRows,
} from './task-tree.js';

const t = (id: string, order: string, parentId: string | null = null): TreeTask => ({
  id,
  title: id.toUpperCase(),
  order,
  parentId,
});

// a
//   a1
//     a1x
//   a2
// b
// c
//   c1
//     c1x
//       c1xy
const tasks = [
  t('c', 'c'),
  t('a2', 'b', 'a'),
  t('a', 'a'),
  t('a1', 'a', 'a'),
  t('a1x', 'a', 'a1'),
  t('b', 'b'),
  t('c1', 'a', 'c'),
  t('c1x', 'a', 'c1'),
  t('c1xy', 'a', 'c1x'),
];
const roots = buildTree(tasks);
const node = (id: string) => findNode(roots, id)!;
const ids = (rows: { node: { task: { id: string } } }[]) => rows.map((r) => r.node.task.id);
/** The rows shown while `id` is dragged: its subtree left out. */
const othersOf = (id: string, collapsed = new Set<string>()) => {
  const inside = subtreeIds(node(id));
  return visibleRows(roots, collapsed).filter((r) => !inside.has(r.node.task.id) || r.node.task.id === id);
};
const without = (id: string) => othersOf(id).filter((r) => r.node.task.id !== id);

describe('the subtask tree', () => {
  it('nests subtasks under their parents in manual order, each with its level', () => {
    const rows = visibleRows(roots, new Set());
    expect(ids(rows)).toEqual(['a', 'a1', 'a1x', 'a2', 'b', 'c', 'c1', 'c1x', 'c1xy']);
    expect(rows.map((r) => r.node.level)).toEqual([1, 2, 3, 2, 1, 1, 2, 3, 4]);
    expect(node('a').children.map((c) => c.task.id)).toEqual(['a1', 'a2']);
  });

  it('hides the subtasks of a collapsed parent, at every level below it', () => {
    const rows = visibleRows(roots, new Set(['a', 'c1']));
    expect(ids(rows)).toEqual(['a', 'b', 'c', 'c1']);
    expect(rows.find((r) => r.node.task.id === 'a')!.expanded).toBe(false);
  });

  it('shows a task whose parent is not loaded at the top level, and survives a cycle', () => {
    const orphan = buildTree([t('x', 'a', 'gone'), t('y', 'b', 'z'), t('z', 'c', 'y')]);
    expect(orphan.map((n) => [n.task.id, n.parentId])).toEqual([['x', null]]);
    expect(buildTree([t('s', 'a', 's')]).map((n) => n.task.id)).toEqual(['s']);
  });

  it('measures a subtree', () => {
    expect(subtreeDepth(node('b'))).toBe(1);
    expect(subtreeDepth(node('a'))).toBe(3);
    expect([...subtreeIds(node('a1'))]).toEqual(['a1', 'a1x']);
  });
});

describe('planning a move in the tree', () => {
  it('drops between two top-level tasks at the top level, after the one above', () => {
    const others = without('a1x');
    const gap = ids(others).indexOf('c');
    expect(defaultLevel(others, gap)).toBe(1);
    expect(planGap(node('a1x'), others, gap, defaultLevel(others, gap))).toEqual({
      ok: true,
      slot: { parentId: null, after: 'b', before: null, level: 1 },
    });
  });

  it('drops above a first subtask as the new first subtask', () => {
    const others = without('b');
    const gap = ids(others).indexOf('c1');
    expect(levelRange(others, gap)).toEqual({ min: 2, max: 2 });
    expect(slotAt(others, gap, 1)).toEqual({ parentId: 'c', after: null, before: 'c1', level: 2 });
  });

  it('offers every level from the row below up to one under the row above (keyboard indent and outdent)', () => {
    const others = without('b');
    const gap = ids(others).indexOf('c');
    expect(levelRange(others, gap)).toEqual({ min: 1, max: 3 });
    expect(slotAt(others, gap, 1)).toEqual({ parentId: null, after: 'a', before: null, level: 1 });
    expect(slotAt(others, gap, 2)).toEqual({ parentId: 'a', after: 'a2', before: null, level: 2 });
    expect(slotAt(others, gap, 3)).toEqual({ parentId: 'a2', after: null, before: null, level: 3 });
    expect(slotAt(others, gap, 9).level).toBe(3);
    expect(slotAt(others, 0, 2)).toEqual({ parentId: null, after: null, before: 'a', level: 1 });
  });

  it('knows the slot a task starts from is where it is', () => {
    for (const id of ['a', 'a1', 'a1x', 'a2', 'b', 'c1xy']) {
      const others = without(id);
      const gap = ids(othersOf(id)).indexOf(id);
      const slot = slotAt(others, gap, node(id).level);
      expect(isSameSlot(roots, id, slot), id).toBe(true);
    }
    expect(isSameSlot(roots, 'b', { parentId: 'a', after: null, before: null, level: 2 })).toBe(false);
    expect(isSameSlot(roots, 'a2', { parentId: 'a', after: null, before: null, level: 2 })).toBe(true);
  });

  it('makes a task the last subtask of the row it is dropped on', () => {
    expect(planInto(node('b'), node('a'))).toEqual({
      ok: true,
      slot: { parentId: 'a', after: null, before: null, level: 2 },
    });
  });

  it('refuses a fifth level and a task into its own subtree, saying why', () => {
    expect(planInto(node('b'), node('c1xy'))).toEqual({
      ok: false,
      reason: 'Subtasks nest at most 4 levels deep: “B” cannot go to level 5.',
    });
    expect(planInto(node('a'), node('c1x'))).toEqual({
      ok: false,
      reason: 'Subtasks nest at most 4 levels deep: “A” with its 2 levels of subtasks cannot go to level 4.',
    });
    expect(planInto(node('a'), node('a1x'))).toEqual({
      ok: false,
      reason: '“A” cannot go under itself or one of its own subtasks.',
    });
    const others = without('a');
    const gap = ids(others).indexOf('c1xy') + 1;
    expect(planGap(node('a'), others, gap, 3).ok).toBe(false);
    expect(planGap(node('a'), others, gap, 2).ok).toBe(true);
  });

  it('describes a slot for a screen reader', () => {
    const title = (id: string) => id.toUpperCase();
    expect(describeSlot({ parentId: 'a', after: 'a2', before: null, level: 2 }, title)).toBe(
      'Level 2, subtask of “A”, after “A2”.',
    );
    expect(describeSlot({ parentId: null, after: null, before: 'a', level: 1 }, title)).toBe(
      'Top level, before “A”.',
    );
  });
});

describe('undoing a move', () => {
  it('finds the neighbours a task sat between from its old order key', () => {
    const siblings = [t('p', 'a'), t('q', 'c'), t('moved', 'z')];
    expect(slotOfOrder(siblings, 'moved', 'b')).toEqual({ after: 'p' });
    expect(slotOfOrder(siblings, 'moved', 'A')).toEqual({ before: 'p' });
    expect(slotOfOrder([t('moved', 'z')], 'moved', 'b')).toEqual({});
  });
});
