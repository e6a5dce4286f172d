import type { Task } from '@todo/contract';

/**
 * A task as the API returns it, for unit tests: open, undated, untagged, in one project; `patch` sets what a
 * test is about. Only tests import this file.
 */
export function taskFixture(patch: Partial<Task> & Pick<Task, 'id'>): Task {
  return {
    title: `Task ${patch.id}`,
    description: '',
    completed: false,
    completedAt: null,
    priority: 'none',
    tags: [],
    dueAt: null,
    timeZone: 'UTC',
    reminders: [],
    recurrence: null,
    seriesId: null,
    projectId: '00000000-0000-4000-8000-000000000001',
    assigneeId: null,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    version: 1,
    parentId: null,
    order: `i${patch.id}`,
    ...patch,
  };
}
