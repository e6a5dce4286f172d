import { describe, expect, it } from 'vitest';
import { placeInTree } from './import-tree.js';

const node = (sourceId: string, parentKey: string | null = null, line = 1) => ({ sourceId, parentKey, line });

describe('placeInTree', () => {
  it('keeps parents named in the file and orders every task after its parent', () => {
    const { ordered, parentOf, moved } = placeInTree([node('c', 'b'), node('b', 'a'), node('a')]);
    expect(ordered.map((n) => n.sourceId)).toEqual(['a', 'b', 'c']);
    expect(Object.fromEntries(parentOf)).toEqual({ a: null, b: 'a', c: 'b' });
    expect(moved).toEqual([]);
  });

  it('moves to the top level a task whose parent is missing, in a cycle, or too deep', () => {
    const nodes = [
      node('orphan', 'nobody', 2),
      node('x', 'y', 3),
      node('y', 'x', 4),
      node('l1'),
      node('l2', 'l1'),
      node('l3', 'l2'),
      node('l4', 'l3'),
      node('l5', 'l4', 9),
      node('self', 'self', 10),
    ];
    const { parentOf, moved } = placeInTree(nodes);
    expect(parentOf.get('orphan')).toBeNull();
    expect(parentOf.get('l4')).toBe('l3');
    expect(parentOf.get('l5')).toBeNull();
    expect(parentOf.get('self')).toBeNull();
    expect([parentOf.get('x'), parentOf.get('y')]).toContain(null);
    expect(moved.map((m) => m.line).sort((a, b) => a - b)).toEqual([2, 4, 9, 10]);
    expect(moved.find((m) => m.line === 9)?.reason).toBe(
      'subtasks nest 4 levels at most: imported at the top level',
    );
  });
});

describe('placeInTree on a hostile file', () => {
  it('places a chain of 50,000 parents without exhausting the stack', () => {
    const chain = Array.from({ length: 50_000 }, (_, i) =>
      node(`t${i}`, i === 0 ? null : `t${i - 1}`, i + 1),
    );
    const { parentOf, moved } = placeInTree(chain.reverse());
    expect(parentOf.get('t3')).toBe('t2');
    expect(parentOf.get('t4')).toBeNull();
    // Every fourth task from t4 on starts a new tree.
    expect(moved).toHaveLength(12_499);
  });
});
