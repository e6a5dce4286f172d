import { describe, expect, it } from 'vitest';
import { type DropGroup, describePosition, dropAt, isNoop, startOf, step } from './drop-position.js';

const groups: DropGroup[] = [
  { key: 'mon', label: 'Monday', ids: ['a', 'b'] },
  { key: 'tue', label: 'Tuesday', ids: [] },
  { key: 'wed', label: 'Wednesday', ids: ['c'] },
];

describe('keyboard drag and drop positions', () => {
  it('moves down within a group, then into the next groups, and stops at the end', () => {
    let at = startOf(groups, 'a')!;
    expect(at).toEqual({ group: 0, index: 0 });
    at = step(groups, 'a', at, 1);
    expect(dropAt(groups, 'a', at)).toEqual({ id: 'a', groupKey: 'mon', after: 'b', before: null });
    at = step(groups, 'a', at, 1);
    expect(dropAt(groups, 'a', at)).toEqual({ id: 'a', groupKey: 'tue', after: null, before: null });
    expect(describePosition(groups, 'a', at)).toBe('Position 1 of 1 in Tuesday.');
    at = step(groups, 'a', at, 1);
    expect(dropAt(groups, 'a', at)).toEqual({ id: 'a', groupKey: 'wed', after: null, before: 'c' });
    at = step(groups, 'a', step(groups, 'a', at, 1), 1);
    expect(dropAt(groups, 'a', at)).toEqual({ id: 'a', groupKey: 'wed', after: 'c', before: null });
  });

  it('moves up into the end of the previous group and stays at the very top', () => {
    const at = step(groups, 'c', startOf(groups, 'c')!, -1);
    expect(at).toEqual({ group: 1, index: 0 });
    const top = step(groups, 'b', step(groups, 'b', startOf(groups, 'b')!, -1), -1);
    expect(top).toEqual({ group: 0, index: 0 });
    expect(dropAt(groups, 'b', top)).toEqual({ id: 'b', groupKey: 'mon', after: null, before: 'a' });
  });

  it('knows a drop back where the item started changes nothing', () => {
    expect(isNoop(groups, dropAt(groups, 'b', startOf(groups, 'b')!))).toBe(true);
    expect(isNoop(groups, { id: 'b', groupKey: 'mon', after: null, before: 'a' })).toBe(false);
    expect(isNoop(groups, { id: 'b', groupKey: 'tue', after: null, before: null })).toBe(false);
  });
});
