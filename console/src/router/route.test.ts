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
  ])('%o round-trips through its path', (route) => {
    expect(parseRoute(routePath(route))).toEqual(route);
  });

  it('sends unknown paths to the task list', () => {
    expect(parseRoute('/nowhere/at/all')).toEqual({ page: 'tasks', taskId: null });
    expect(parseRoute('/activity/')).toEqual({ page: 'activity' });
  });
});
