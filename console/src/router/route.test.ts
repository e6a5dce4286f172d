import { describe, expect, it } from 'vitest';
import { parseRoute, type Route, routePath } from './route.js';

describe('routes', () => {
  it.each<Route>([
    { page: 'tasks', taskId: null },
    { page: 'tasks', taskId: 'a b/c' },
    { page: 'activity' },
    { page: 'settings' },
    { page: 'login' },
    { page: 'signup' },
    { page: 'today', taskId: null },
    { page: 'upcoming', taskId: 't1' },
    { page: 'calendar', taskId: null },
    { page: 'project', projectId: 'p 1', taskId: null },
    { page: 'project', projectId: 'p1', taskId: 'a b' },
    { page: 'consent', requestId: 'AbC-_1' },
  ])('%o round-trips through its path', (route) => {
    expect(parseRoute(routePath(route))).toEqual(route);
  });

  it('sends unknown paths to the task list', () => {
    expect(parseRoute('/nowhere/at/all')).toEqual({ page: 'tasks', taskId: null });
    expect(parseRoute('/activity/')).toEqual({ page: 'activity' });
    expect(parseRoute('/projects')).toEqual({ page: 'tasks', taskId: null });
  });

  it('opens the editor over the list it was opened from', () => {
    expect(routePath({ page: 'today', taskId: 'x' })).toBe('/today/tasks/x');
    expect(routePath({ page: 'tasks', taskId: 'x' })).toBe('/tasks/x');
    expect(parseRoute('/projects/p1/tasks/x')).toEqual({ page: 'project', projectId: 'p1', taskId: 'x' });
  });
});
