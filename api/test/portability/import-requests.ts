import type { ImportFormat, Task } from '@todo/contract';
import type { TestApp } from '../support/test-app.js';

type Auth = { authorization: string };
const CONTENT_TYPES: Record<ImportFormat, string> = {
  json: 'application/json',
  'todoist-csv': 'text/csv; charset=utf-8',
  ics: 'text/calendar',
};

/** POST /import of a file in a format, with that format's Content-Type (into `projectId` when given). */
export function importFile(
  t: Pick<TestApp, 'server'>,
  auth: Auth,
  format: ImportFormat,
  body: unknown,
  opts: { projectId?: string } = {},
) {
  const query = new URLSearchParams({ format, ...(opts.projectId ? { projectId: opts.projectId } : {}) });
  return t.server.inject({
    method: 'POST',
    url: `/api/v1/import?${query}`,
    headers: { ...auth, 'content-type': CONTENT_TYPES[format] },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Every task of the user, open and completed, by title. */
export async function tasksByTitle(t: Pick<TestApp, 'server'>, auth: Auth): Promise<Record<string, Task>> {
  const res = await t.server.inject({ url: '/api/v1/tasks?status=all&limit=200', headers: auth });
  return Object.fromEntries((res.json().items as Task[]).map((x) => [x.title, x]));
}
