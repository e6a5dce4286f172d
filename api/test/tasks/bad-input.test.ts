import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../support/snapshot.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

interface BadCase {
  name: string;
  method: 'POST' | 'PATCH' | 'GET' | 'DELETE';
  /** `:id` is replaced by an existing task's id. */
  url: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  /** The field the problem must name, when it names one. */
  path?: string;
}

const long = (n: number, ch = 'x') => ch.repeat(n);
const T = '/api/v1/tasks';
const one = `${T}/:id`;

const cases: BadCase[] = [
  { name: 'malformed JSON', method: 'POST', url: T, raw: '{"title": "x",', status: 400 },
  { name: 'JSON that is not an object', method: 'POST', url: T, raw: '"just a string"', status: 400 },
  { name: 'an array body', method: 'POST', url: T, body: [{ title: 'x' }], status: 400 },
  { name: 'missing title', method: 'POST', url: T, body: {}, status: 400, path: 'title' },
  { name: 'blank title', method: 'POST', url: T, body: { title: '   ' }, status: 400, path: 'title' },
  {
    name: 'title of the wrong type',
    method: 'POST',
    url: T,
    body: { title: 42 },
    status: 400,
    path: 'title',
  },
  {
    name: 'title over 500 characters',
    method: 'POST',
    url: T,
    body: { title: long(501) },
    status: 400,
    path: 'title',
  },
  {
    name: 'title with a NUL byte',
    method: 'POST',
    url: T,
    body: { title: 'a\u0000b' },
    status: 400,
    path: 'title',
  },
  {
    name: 'description over 20,000 characters',
    method: 'POST',
    url: T,
    body: { title: 'x', description: long(20_001) },
    status: 400,
    path: 'description',
  },
  {
    name: 'unknown field',
    method: 'POST',
    url: T,
    body: { title: 'x', owner: 'someone-else' },
    status: 400,
    path: 'owner',
  },
  {
    name: 'client-chosen id',
    method: 'POST',
    url: T,
    body: { title: 'x', id: '00000000-0000-0000-0000-000000000001' },
    status: 400,
    path: 'id',
  },
  {
    name: 'unknown priority',
    method: 'POST',
    url: T,
    body: { title: 'x', priority: 'critical' },
    status: 400,
    path: 'priority',
  },
  {
    name: 'too many tags',
    method: 'POST',
    url: T,
    body: { title: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
    status: 400,
    path: 'tags',
  },
  {
    name: 'tag over 40 characters',
    method: 'POST',
    url: T,
    body: { title: 'x', tags: [long(41)] },
    status: 400,
    path: 'tags.0',
  },
  {
    name: 'tag with spaces and quotes',
    method: 'POST',
    url: T,
    body: { title: 'x', tags: ["a' OR '1'='1"] },
    status: 400,
    path: 'tags.0',
  },
  {
    name: 'due date without offset',
    method: 'POST',
    url: T,
    body: { title: 'x', dueAt: '2030-01-01T10:00:00' },
    status: 400,
    path: 'dueAt',
  },
  {
    name: 'due date that does not exist',
    method: 'POST',
    url: T,
    body: { title: 'x', dueAt: '2030-02-30T10:00:00Z' },
    status: 422,
    path: 'dueAt',
  },
  {
    name: 'due date out of range',
    method: 'POST',
    url: T,
    body: { title: 'x', dueAt: '0001-01-01T00:00:00Z' },
    status: 400,
    path: 'dueAt',
  },
  {
    name: 'unknown time zone',
    method: 'POST',
    url: T,
    body: { title: 'x', timeZone: 'Mars/Olympus_Mons' },
    status: 422,
    path: 'timeZone',
  },
  {
    name: 'eleven reminders',
    method: 'POST',
    url: T,
    body: {
      title: 'x',
      dueAt: '2030-01-01T00:00:00Z',
      reminders: Array.from({ length: 11 }, () => ({ before: 'PT5M' })),
    },
    status: 400,
    path: 'reminders',
  },
  {
    name: 'relative reminder without a due date',
    method: 'POST',
    url: T,
    body: { title: 'x', reminders: [{ before: 'PT15M' }] },
    status: 422,
    path: 'reminders.0.before',
  },
  {
    name: 'reminder with both kinds',
    method: 'POST',
    url: T,
    body: {
      title: 'x',
      dueAt: '2030-01-01T00:00:00Z',
      reminders: [{ before: 'PT5M', remindAt: '2030-01-01T00:00:00Z' }],
    },
    status: 400,
    path: 'reminders.0',
  },
  {
    name: 'reminder duration that is not ISO 8601',
    method: 'POST',
    url: T,
    body: { title: 'x', dueAt: '2030-01-01T00:00:00Z', reminders: [{ before: '15 minutes' }] },
    status: 400,
    path: 'reminders.0.before',
  },
  {
    name: 'reminder duration longer than 366 days',
    method: 'POST',
    url: T,
    body: { title: 'x', dueAt: '2030-01-01T00:00:00Z', reminders: [{ before: 'P366DT1S' }] },
    status: 422,
    path: 'reminders.0.before',
  },
  {
    name: 'recurrence with DTSTART',
    method: 'POST',
    url: T,
    body: {
      title: 'x',
      dueAt: '2030-01-01T00:00:00Z',
      recurrence: { rule: 'DTSTART:20300101T000000Z\nRRULE:FREQ=DAILY' },
    },
    status: 422,
    path: 'recurrence.rule',
  },
  {
    name: 'recurrence every second',
    method: 'POST',
    url: T,
    body: { title: 'x', dueAt: '2030-01-01T00:00:00Z', recurrence: { rule: 'FREQ=SECONDLY' } },
    status: 422,
    path: 'recurrence.rule',
  },
  {
    name: 'recurrence every minute',
    method: 'POST',
    url: T,
    body: { title: 'x', dueAt: '2030-01-01T00:00:00Z', recurrence: { rule: 'FREQ=MINUTELY;INTERVAL=5' } },
    status: 422,
    path: 'recurrence.rule',
  },
  {
    name: 'recurrence that is garbage',
    method: 'POST',
    url: T,
    body: { title: 'x', dueAt: '2030-01-01T00:00:00Z', recurrence: { rule: 'EVERY;TUESDAY' } },
    status: 422,
    path: 'recurrence.rule',
  },
  {
    name: 'recurrence with an unknown anchor',
    method: 'POST',
    url: T,
    body: { title: 'x', dueAt: '2030-01-01T00:00:00Z', recurrence: { rule: 'FREQ=DAILY', from: 'start' } },
    status: 400,
    path: 'recurrence.from',
  },
  {
    name: 'recurrence from due without a due date',
    method: 'POST',
    url: T,
    body: { title: 'x', recurrence: { rule: 'FREQ=DAILY' } },
    status: 422,
    path: 'dueAt',
  },
  {
    name: 'recurrence rule of absurd length',
    method: 'POST',
    url: T,
    body: { title: 'x', dueAt: '2030-01-01T00:00:00Z', recurrence: { rule: `FREQ=DAILY;${long(600, 'A')}` } },
    status: 400,
    path: 'recurrence.rule',
  },
  {
    name: 'body over 1 MiB',
    method: 'POST',
    url: T,
    raw: JSON.stringify({ title: 'x', description: long(1_100_000) }),
    status: 413,
  },
  {
    name: 'form-encoded body',
    method: 'POST',
    url: T,
    raw: 'title=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
  },
  {
    name: 'PATCH with an unknown field',
    method: 'PATCH',
    url: one,
    body: { completed: true },
    status: 400,
    path: 'completed',
  },
  {
    name: 'PATCH blanking the title',
    method: 'PATCH',
    url: one,
    body: { title: '' },
    status: 400,
    path: 'title',
  },
  {
    name: 'PATCH with a garbage If-Match',
    method: 'PATCH',
    url: one,
    body: { title: 'y' },
    headers: { 'if-match': 'yesterday' },
    status: 400,
    path: 'If-Match',
  },
  {
    name: 'PATCH with a stale If-Match',
    method: 'PATCH',
    url: one,
    body: { title: 'y' },
    headers: { 'if-match': '"99"' },
    status: 412,
  },
  {
    name: 'PATCH of an id that is not a UUID',
    method: 'PATCH',
    url: `${T}/1%20OR%201=1`,
    body: { title: 'y' },
    status: 400,
    path: 'id',
  },
  {
    name: 'PATCH of a task that does not exist',
    method: 'PATCH',
    url: `${T}/7f1d7c55-2f43-4d2a-9d5e-1b2f3c4d5e6f`,
    body: { title: 'y' },
    status: 404,
  },
  {
    name: 'complete of a task that does not exist',
    method: 'POST',
    url: `${T}/7f1d7c55-2f43-4d2a-9d5e-1b2f3c4d5e6f/complete`,
    status: 404,
  },
  { name: 'DELETE with a malformed id', method: 'DELETE', url: `${T}/not-a-uuid`, status: 400, path: 'id' },
  { name: 'list with limit 0', method: 'GET', url: `${T}?limit=0`, status: 400, path: 'limit' },
  { name: 'list with limit 201', method: 'GET', url: `${T}?limit=201`, status: 400, path: 'limit' },
  { name: 'list with an unknown sort', method: 'GET', url: `${T}?sort=owner`, status: 400, path: 'sort' },
  {
    name: 'list with an unknown parameter',
    method: 'GET',
    url: `${T}?userId=someone`,
    status: 400,
    path: 'userId',
  },
  {
    name: 'list with a bad date filter',
    method: 'GET',
    url: `${T}?dueBefore=tomorrow`,
    status: 400,
    path: 'dueBefore',
  },
  { name: 'list with a garbage cursor', method: 'GET', url: `${T}?cursor=%%%`, status: 400, path: 'cursor' },
  {
    name: 'list with a bad overdue flag',
    method: 'GET',
    url: `${T}?overdue=yes`,
    status: 400,
    path: 'overdue',
  },
];

describe.each(STORAGES)('bad input on %s', (storage) => {
  const t = useTestApp(storage);
  let existing: string;

  beforeAll(async () => {
    const res = await t.server.inject({
      method: 'POST',
      url: T,
      headers: t.auth,
      payload: { title: 'Keep me', tags: ['safe'] },
    });
    existing = res.json().id;
  });

  it('has at least 30 distinct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name → $status, problem+json, nothing written', async (c) => {
    const before = await snapshot(t.db);
    const headers: Record<string, string> = {
      ...t.auth,
      ...(c.raw !== undefined || c.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...c.headers,
    };
    const res = await t.server.inject({
      method: c.method,
      url: c.url.replace(':id', existing),
      headers,
      ...(c.raw !== undefined
        ? { payload: c.raw }
        : c.body !== undefined
          ? { payload: JSON.stringify(c.body) }
          : {}),
    });
    expect(res.statusCode).toBe(c.status);
    const problem = problemOf(res);
    expect(problem.status).toBe(c.status);
    expect(problem.detail.length).toBeGreaterThan(0);
    if (c.path) expect(problem.errors?.map((e) => e.path)).toContain(c.path);
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(await snapshot(t.db)).toBe(before);
  });
});
