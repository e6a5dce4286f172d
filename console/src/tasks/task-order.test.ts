import type { Task } from '@todo/contract';
import { describe, expect, it } from 'vitest';
import { taskFixture } from '../test-support/task-fixture.js';
import { compareTasks, matchesView, placeTask } from './task-order.js';
import { DEFAULT_VIEW, type ViewState } from './view-state.js';

const now = new Date('2026-11-25T12:00:00Z');
let n = 0;
function task(patch: Partial<Task>): Task {
  n++;
  return taskFixture({
    id: `t${n}`,
    title: `Task ${n}`,
    createdAt: `2026-11-0${n % 9 || 1}T00:00:00Z`,
    order: `i${String(n).padStart(9, '0')}`,
    ...patch,
  });
}
const view = (patch: Partial<ViewState>): ViewState => ({ ...DEFAULT_VIEW, ...patch });

describe('placing live updates in the list', () => {
  const a = task({ id: 'a', dueAt: '2026-11-26T09:00:00Z' });
  const c = task({ id: 'c', dueAt: '2026-11-28T09:00:00Z' });
  const undated = task({ id: 'z' });

  it('inserts a new task where the sort puts it', () => {
    const b = task({ id: 'b', dueAt: '2026-11-27T09:00:00Z' });
    expect(placeTask([a, c, undated], b, DEFAULT_VIEW, now, true).map((t) => t.id)).toEqual([
      'a',
      'b',
      'c',
      'z',
    ]);
  });

  it('drops a task that was completed while the view shows open tasks', () => {
    const done = { ...c, completed: true, completedAt: now.toISOString() };
    expect(placeTask([a, c], done, DEFAULT_VIEW, now, true).map((t) => t.id)).toEqual(['a']);
  });

  it('does not append past the loaded page when more pages remain', () => {
    const late = task({ id: 'late', dueAt: '2027-01-01T00:00:00Z' });
    expect(placeTask([a, c], late, DEFAULT_VIEW, now, false).map((t) => t.id)).toEqual(['a', 'c']);
    expect(placeTask([a, c], late, DEFAULT_VIEW, now, true).map((t) => t.id)).toEqual(['a', 'c', 'late']);
  });

  it('moves an updated task to its new place', () => {
    const moved = { ...a, dueAt: '2026-12-01T00:00:00Z', version: 2 };
    expect(placeTask([a, c, undated], moved, DEFAULT_VIEW, now, true).map((t) => t.id)).toEqual([
      'c',
      'a',
      'z',
    ]);
  });
});

describe('view rules', () => {
  it('filters by tags in any/all mode, priority, recurrence and overdue', () => {
    const t = task({ tags: ['home', 'money'], priority: 'high', dueAt: '2026-11-20T00:00:00Z' });
    expect(matchesView(t, view({ tags: ['home', 'work'] }), now)).toBe(true);
    expect(matchesView(t, view({ tags: ['home', 'work'], tagMode: 'all' }), now)).toBe(false);
    expect(matchesView(t, view({ priority: ['low'] }), now)).toBe(false);
    expect(matchesView(t, view({ recurring: true }), now)).toBe(false);
    expect(matchesView(t, view({ overdue: true }), now)).toBe(true);
    expect(matchesView(t, view({ q: 'MONEY task' }), now)).toBe(true);
  });

  it('sorts by priority descending, highest first', () => {
    const low = task({ priority: 'low' });
    const urgent = task({ priority: 'urgent' });
    expect([low, urgent].sort(compareTasks('-priority'))).toEqual([urgent, low]);
  });
});
