/** The views of the sidebar that can show a task's editor over them (`/today/tasks/:id`). */
export type ViewPage = 'today' | 'upcoming' | 'calendar';

/** The console's pages and their paths; the query string belongs to the task view (see view-state). */
export type Route =
  | { page: 'tasks'; taskId: string | null }
  | { page: ViewPage; taskId: string | null }
  | { page: 'project'; projectId: string; taskId: string | null }
  | { page: 'activity' }
  | { page: 'settings' }
  | { page: 'login' }
  | { page: 'signup' }
  /** An MCP client's authorization request waiting for the user's consent (`/oauth/consent?request=`). */
  | { page: 'consent'; requestId: string };

const VIEW_PAGES: readonly string[] = ['today', 'upcoming', 'calendar'] satisfies ViewPage[];

/** The page a path (and, for the consent page, its query) shows; unknown paths show the task list. */
export function parseRoute(pathAndQuery: string): Route {
  const [pathname = '', search = ''] = pathAndQuery.split('?', 2);
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/oauth/consent')
    return { page: 'consent', requestId: new URLSearchParams(search).get('request') ?? '' };
  if (path === '/login') return { page: 'login' };
  if (path === '/signup') return { page: 'signup' };
  if (path === '/activity') return { page: 'activity' };
  if (path === '/settings') return { page: 'settings' };
  // Any list can have a task's editor open over it: `<list path>/tasks/<id>`.
  const match = /^(.*?)(?:\/tasks\/([^/]+))?$/.exec(path)!;
  const base = match[1] || '/';
  const taskId = match[2] ? decodeURIComponent(match[2]) : null;
  if (VIEW_PAGES.includes(base.slice(1))) return { page: base.slice(1) as ViewPage, taskId };
  const project = /^\/projects\/([^/]+)$/.exec(base);
  if (project) return { page: 'project', projectId: decodeURIComponent(project[1]!), taskId };
  return { page: 'tasks', taskId: base === '/' ? taskId : null };
}

/** The path of a page, the inverse of parseRoute. */
export function routePath(route: Route): string {
  const task = (base: string, taskId: string | null) =>
    taskId ? `${base === '/' ? '' : base}/tasks/${encodeURIComponent(taskId)}` : base;
  switch (route.page) {
    case 'tasks':
      return task('/', route.taskId);
    case 'today':
    case 'upcoming':
    case 'calendar':
      return task(`/${route.page}`, route.taskId);
    case 'project':
      return task(`/projects/${encodeURIComponent(route.projectId)}`, route.taskId);
    case 'consent':
      return `/oauth/consent?${new URLSearchParams({ request: route.requestId })}`;
    default:
      return `/${route.page}`;
  }
}

/** The same list with the editor closed (or another task's editor open). */
export function withTask(route: Route, taskId: string | null): Route {
  return 'taskId' in route ? { ...route, taskId } : route;
}
