/**
 * What the app serves, checked by REDbot (lint for HTTP, an outside tool from the prepared venv): to anyone, the
 * console's page and its assets, the OpenAPI document and a calendar feed; to a signed-in user, the API's lists,
 * a task and another user's task. REDbot requests each resource several ways (conditional, ranged, compressed)
 * and judges caching, validators and content negotiation; no note may be BAD, and the only warning allowed is
 * the one Node.js cannot avoid (below). Its command line sends no request headers, so `harness/redbot_check.py`
 * runs the same check with the bearer token.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pythonTools } from '@todo/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtConsole, type RunningApp, startApp } from './harness/app-server.js';

/** Node.js sends `Keep-Alive: timeout=…` on every kept-alive HTTP/1.1 response; RFC 9112 calls it obsolete. */
const allowed = (n: Note) => n.note_id === 'FIELD_DEPRECATED' && /Keep-Alive/.test(n.summary);

interface Note {
  note_id: string;
  subject: string;
  level: 'GOOD' | 'INFO' | 'WARN' | 'BAD';
  summary: string;
}

const check = fileURLToPath(new URL('./harness/redbot_check.py', import.meta.url));

function redbot(url: string, headers: Record<string, string> = {}): Note[] {
  const har = execFileSync(pythonTools().python, [check, url], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, REDBOT_HEADERS: JSON.stringify(Object.entries(headers)) },
  });
  const entries = (JSON.parse(har) as { log: { entries: { _red_messages: Note[] }[] } }).log.entries;
  return entries.flatMap((e) => e._red_messages);
}

const problems = (notes: Note[]) =>
  notes
    .filter((n) => n.level === 'BAD' || (n.level === 'WARN' && !allowed(n)))
    .map((n) => `${n.level} ${n.note_id} (${n.subject}): ${n.summary}`);

describe('what the app serves, linted by REDbot', () => {
  let app: RunningApp;
  let feed: string;
  let asset: string;
  let auth: { authorization: string };
  let taskId: string;
  let othersTaskId: string;

  const signUp = async (email: string) => {
    const res = await fetch(`${app.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery' }),
    });
    return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
  };
  const createTask = async (as: { authorization: string }, task: object) => {
    const res = await fetch(`${app.url}/api/v1/tasks`, {
      method: 'POST',
      headers: { ...as, 'content-type': 'application/json' },
      body: JSON.stringify(task),
    });
    return ((await res.json()) as { id: string }).id;
  };

  beforeAll(async () => {
    app = await startApp(builtConsole());
    const page = await (await fetch(`${app.url}/`)).text();
    asset = /src="(\/assets\/[^"]+\.js)"/.exec(page)![1]!;
    auth = await signUp('http-lint@example.com');
    taskId = await createTask(auth, {
      title: 'Pay rent',
      dueAt: '2030-01-01T09:00:00+01:00',
      timeZone: 'Europe/Paris',
    });
    othersTaskId = await createTask(await signUp('http-lint-other@example.com'), { title: 'Not yours' });
    feed = (
      (await (await fetch(`${app.url}/api/v1/calendar/feed-url`, { headers: auth })).json()) as {
        url: string;
      }
    ).url;
  });
  afterAll(() => app?.stop());

  it.each([
    ['the console page', () => `${app.url}/`],
    ['the console main bundle', () => `${app.url}${asset}`],
    ['the OpenAPI document', () => `${app.url}/api/openapi.json`],
  ])('%s has nothing REDbot calls wrong', (_name, url) => {
    const notes = redbot(url());
    expect(notes.length).toBeGreaterThan(3);
    expect(problems(notes)).toEqual([]);
  });

  it('the calendar feed has nothing REDbot calls wrong, and is stored by no cache', () => {
    const notes = redbot(feed);
    expect(problems(notes)).toEqual([]);
    expect(notes.map((n) => n.note_id)).toContain('STORE_NO_STORE');
  });

  it.each([
    ['the task list', () => '/api/v1/tasks?sort=due'],
    ['the projects', () => '/api/v1/projects'],
    ['another user’s task (404)', () => `/api/v1/tasks/${othersTaskId}`],
  ])('%s, to a signed-in user, has nothing REDbot calls wrong, and is stored by no cache', (_name, path) => {
    const notes = redbot(`${app.url}${path()}`, auth);
    expect(problems(notes)).toEqual([]);
    expect(notes.map((n) => n.note_id)).toContain('STORE_NO_STORE');
  });

  it('a task, to its user, has nothing REDbot calls wrong: kept only privately, revalidated by its ETag', () => {
    const notes = redbot(`${app.url}/api/v1/tasks/${taskId}`, auth);
    expect(problems(notes)).toEqual([]);
    expect(notes.map((n) => n.note_id)).toEqual(
      expect.arrayContaining(['STORE_PRIVATE_CC', 'FRESHNESS_NO_CACHE', 'INM_304']),
    );
  });
});
