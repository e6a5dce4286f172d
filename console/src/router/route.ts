/** The console's pages and their paths; the query string belongs to the task view (see view-state). */
export type Route =
  | { page: 'tasks'; taskId: string | null }
  | { page: 'activity' }
  | { page: 'settings' }
  | { page: 'login' }
  | { page: 'signup' };

/** The page a path shows; unknown paths show the task list. */
export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/login') return { page: 'login' };
  if (path === '/signup') return { page: 'signup' };
  if (path === '/activity') return { page: 'activity' };
  if (path === '/settings') return { page: 'settings' };
  const task = /^\/tasks\/([^/]+)$/.exec(path);
  if (task) return { page: 'tasks', taskId: decodeURIComponent(task[1]!) };
  return { page: 'tasks', taskId: null };
}

/** The path of a page, the inverse of parseRoute. */
export function routePath(route: Route): string {
  switch (route.page) {
    case 'tasks':
      return route.taskId ? `/tasks/${encodeURIComponent(route.taskId)}` : '/';
    default:
      return `/${route.page}`;
  }
}
