import { readFile } from 'node:fs/promises';
import type { ImportFormat, Task } from '@todo/contract';
import type { TestApp } from './test-app.js';

type Auth = { authorization: string };
const CONTENT_TYPES: Record<ImportFormat, string> = {
  json: 'application/json',
  'todoist-csv': 'text/csv; charset=utf-8',
  ics: 'text/calendar',
};

export interface ImportOptions {
  auth: Auth;
  /** The project a Todoist CSV or iCalendar file goes into (`projectId`). */
  projectId?: string;
  /** A Content-Type other than the format's, to test what the server makes of it. */
  contentType?: string;
}

/** The import and export requests the portability tests make, as users of `t`. */
export function portabilityRequests(t: Pick<TestApp, 'server'>) {
  return {
    /**
     * POST /import of a file in a format (null: no `format` query, the Content-Type decides), with that
     * format's Content-Type unless `opts` names another.
     */
    importFile(format: ImportFormat | null, body: unknown, opts: ImportOptions) {
      const query = new URLSearchParams({
        ...(format ? { format } : {}),
        ...(opts.projectId !== undefined ? { projectId: opts.projectId } : {}),
      });
      return t.server.inject({
        method: 'POST',
        url: `/api/v1/import?${query}`,
        headers: { ...opts.auth, 'content-type': opts.contentType ?? CONTENT_TYPES[format ?? 'json'] },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },

    /** Every task of the user, open and completed, by title. */
    async tasksByTitle(auth: Auth): Promise<Record<string, Task>> {
      const res = await t.server.inject({ url: '/api/v1/tasks?status=all&limit=200', headers: auth });
      return Object.fromEntries((res.json().items as Task[]).map((x) => [x.title, x]));
    },
  };
}

/** An iCalendar file (CRLF lines) holding these lines in its VCALENDAR. */
export const calendar = (...lines: string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');

/** A VTODO's lines: its UID and SUMMARY, then any other properties. */
export const vtodo = (uid: string, summary: string, ...properties: string[]): string[] => [
  'BEGIN:VTODO',
  `UID:${uid}`,
  `SUMMARY:${summary}`,
  ...properties,
  'END:VTODO',
];

/** A file of `api/test/portability/fixtures/`, as text. */
export const readFixture = (name: string): Promise<string> =>
  readFile(new URL(`../portability/fixtures/${name}`, import.meta.url), 'utf8');
