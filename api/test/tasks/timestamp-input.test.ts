import { beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../support/task-requests.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

// RFC 3339 allows any offset up to ±23:59; PostgreSQL's own parser stops at ±15:59. The API reads every
// timestamp with one parser and hands the database a UTC instant, so the two cannot disagree.
describe.each(STORAGES)('timestamps with any RFC 3339 offset on %s', (storage) => {
  const t = useTestApp(storage);

  const create = (body: object) => createTask(t, t.auth, body);
  const titlesWhere = async (query: string) => {
    const res = await t.server.inject({ url: `/api/v1/tasks?${query}`, headers: t.auth });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: { title: string }[] }).items.map((i) => i.title).sort();
  };

  beforeAll(async () => {
    // 2030-01-01T00:00:00+23:59 is 2029-12-31T00:01:00Z; 2030-01-01T00:00:00-16:00 is 2030-01-01T16:00:00Z.
    for (const [title, dueAt] of [
      ['just before +23:59', '2029-12-31T00:00:59Z'],
      ['at +23:59', '2029-12-31T00:01:00Z'],
      ['just before -16:00', '2030-01-01T15:59:59Z'],
      ['at -16:00', '2030-01-01T16:00:00Z'],
    ]) {
      await create({ title, dueAt });
    }
  });

  it('filters dueBefore by an offset of +23:59 as the instant it names', async () => {
    expect(await titlesWhere('dueBefore=2030-01-01T00:00:00%2B23:59')).toEqual(['just before +23:59']);
  });

  it('filters dueAfter by an offset of -16:00 as the instant it names', async () => {
    expect(await titlesWhere('dueAfter=2030-01-01T00:00:00-16:00')).toEqual(['at -16:00']);
  });

  it('stores a due date and a reminder written with extreme offsets as their UTC instants', async () => {
    const task = await create({
      title: 'Far east',
      dueAt: '2030-01-01T00:00:00+23:59',
      reminders: [{ remindAt: '2029-12-31T00:00:00-16:00' }],
    });
    expect(task.dueAt).toBe('2029-12-31T00:01:00.000Z');
    expect(task.reminders[0]?.remindAt).toBe('2029-12-31T16:00:00.000Z');

    const patched = await t.server.inject({
      method: 'PATCH',
      url: `/api/v1/tasks/${task.id}`,
      headers: t.auth,
      payload: { dueAt: '2030-06-01T12:00:00-23:59' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().dueAt).toBe('2030-06-02T11:59:00.000Z');
  });

  // 400 when the value breaks the document's pattern (which holds the 1970–9999 range, offsets included); 422
  // when it matches it but names no real date.
  it.each([
    ['an offset past 23:59', '2030-01-01T00:00:00+24:00', 400],
    ['a day that does not exist', '2030-02-30T00:00:00Z', 422],
    ['no offset', '2030-01-01T00:00:00', 400],
    ['a space instead of T', '2030-01-01 00:00:00Z', 400],
    ['a year before 1970', '1969-12-31T23:59:59Z', 400],
    ['an instant before 1970 written in 1970', '1970-01-01T00:30:00+01:00', 400],
    ['an instant after 9999 written in 9999', '9999-12-31T23:30:00-01:00', 400],
  ])('refuses %s with a %i naming the parameter', async (_, value, status) => {
    const res = await t.server.inject({
      url: `/api/v1/tasks?dueBefore=${encodeURIComponent(value)}`,
      headers: t.auth,
    });
    expect(res.statusCode, res.body).toBe(status);
    expect(problemOf(res).errors?.map((e) => e.path)).toEqual(['dueBefore']);
  });
});
