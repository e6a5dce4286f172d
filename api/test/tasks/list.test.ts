import { beforeAll, describe, expect, it } from 'vitest';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

interface Item {
  id: string;
  title: string;
  priority: string;
  dueAt: string | null;
  tags: string[];
  completed: boolean;
  createdAt: string;
}

describe.each(STORAGES)('listing tasks on %s', (storage) => {
  const t = useTestApp(storage);
  const past = new Date(Date.now() - 86_400_000).toISOString();
  const future = new Date(Date.now() + 86_400_000).toISOString();
  const laterFuture = new Date(Date.now() + 86_400_000 + 3_600_000).toISOString();
  const farFuture = new Date(Date.now() + 10 * 86_400_000).toISOString();

  const list = async (query: string): Promise<{ items: Item[]; nextCursor: string | null }> => {
    const res = await t.server.inject({ url: `/api/v1/tasks?${query}`, headers: t.auth });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    return res.json();
  };
  const titles = async (query: string) => (await list(query)).items.map((i) => i.title);

  beforeAll(async () => {
    const seed = [
      { title: 'Overdue invoice', priority: 'urgent', dueAt: past, tags: ['work', 'money'] },
      {
        title: 'Dentist appointment',
        priority: 'medium',
        dueAt: future,
        tags: ['health'],
        description: 'Bring the insurance card',
      },
      { title: 'Plan holiday', priority: 'low', dueAt: farFuture, tags: ['home', 'fun'] },
      { title: 'alpha undated', priority: 'none', tags: ['home'] },
      {
        title: 'Weekly review',
        priority: 'high',
        dueAt: laterFuture,
        tags: ['work'],
        recurrence: { rule: 'FREQ=WEEKLY;BYDAY=FR' },
      },
    ];
    for (const payload of seed) {
      const res = await t.server.inject({ method: 'POST', url: '/api/v1/tasks', headers: t.auth, payload });
      if (res.statusCode !== 201) throw new Error(res.body);
    }
    const done = await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: t.auth,
      payload: { title: 'Finished report', tags: ['work'] },
    });
    await t.server.inject({
      method: 'POST',
      url: `/api/v1/tasks/${done.json().id}/complete`,
      headers: t.auth,
    });
  });

  it('lists open tasks by due date by default, undated last', async () => {
    expect(await titles('')).toEqual([
      'Overdue invoice',
      'Dentist appointment',
      'Weekly review',
      'Plan holiday',
      'alpha undated',
    ]);
  });

  it('lists each task exactly as GET /tasks/{id} returns it, every field and format included', async () => {
    // Its own user: completing the recurring task creates a successor the other cases must not see.
    const { auth } = await t.user();
    const list = async (query: string) =>
      (await t.server.inject({ url: `/api/v1/tasks?${query}`, headers: auth })).json<{ items: Item[] }>();
    const rich = await t.server.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: auth,
      payload: {
        title: 'Rich "quoted" \\ task ✓',
        description: 'line one\nline two',
        priority: 'high',
        tags: ['a', 'b'],
        dueAt: farFuture,
        timeZone: 'Europe/London',
        reminders: [{ before: 'PT15M' }, { remindAt: future }],
        recurrence: { rule: 'FREQ=MONTHLY;BYMONTHDAY=-1', from: 'completion' },
      },
    });
    expect(rich.statusCode).toBe(201);
    // Completing sets completedAt and updatedAt from the database clock (microseconds).
    await t.server.inject({ method: 'POST', url: `/api/v1/tasks/${rich.json().id}/complete`, headers: auth });
    for (const payload of [{ title: 'plain' }, { title: 'dated', dueAt: past, priority: 'urgent' }]) {
      await t.server.inject({ method: 'POST', url: '/api/v1/tasks', headers: auth, payload });
    }
    const all = await list('status=all&limit=200');
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    for (const item of all.items) {
      const one = await t.server.inject({ url: `/api/v1/tasks/${item.id}`, headers: auth });
      expect(item).toStrictEqual(one.json());
    }
    const listed = all.items.find((i) => i.id === rich.json().id);
    expect(listed).toMatchObject({ completed: true, recurrence: { from: 'completion' }, priority: 'high' });
  });

  it('filters by status', async () => {
    expect(await titles('status=completed')).toEqual(['Finished report']);
    expect(await titles('status=all')).toHaveLength(6);
  });

  it('filters by priority list', async () => {
    expect((await titles('priority=urgent,high')).sort()).toEqual(['Overdue invoice', 'Weekly review']);
  });

  it('filters by tags with any and all', async () => {
    expect((await titles('tag=home&tag=money')).sort()).toEqual([
      'Overdue invoice',
      'Plan holiday',
      'alpha undated',
    ]);
    expect(await titles('tag=work&tag=money&tagMode=all')).toEqual(['Overdue invoice']);
    expect(await titles('tag=WORK&tagMode=all&status=completed')).toEqual(['Finished report']);
  });

  it('filters by due range, overdue and recurring', async () => {
    const before = encodeURIComponent(new Date(Date.now() + 2 * 86_400_000).toISOString());
    const after = encodeURIComponent(new Date().toISOString());
    expect(await titles(`dueBefore=${before}&dueAfter=${after}`)).toEqual([
      'Dentist appointment',
      'Weekly review',
    ]);
    expect(await titles('overdue=true')).toEqual(['Overdue invoice']);
    expect(await titles('recurring=true')).toEqual(['Weekly review']);
  });

  it('searches title, description and tags with prefixes', async () => {
    expect(await titles('q=insurance')).toEqual(['Dentist appointment']);
    expect(await titles('q=holi')).toEqual(['Plan holiday']);
    expect(await titles('q=health')).toEqual(['Dentist appointment']);
    expect(await titles('q=%27%3B%20DROP%20TABLE%20tasks%3B%20--')).toEqual([]);
    expect(await titles('q=%21%21%21')).toEqual([]);
  });

  it('sorts by every field in both directions', async () => {
    expect(await titles('sort=-priority')).toEqual([
      'Overdue invoice',
      'Weekly review',
      'Dentist appointment',
      'Plan holiday',
      'alpha undated',
    ]);
    expect(await titles('sort=title')).toEqual([
      'alpha undated',
      'Dentist appointment',
      'Overdue invoice',
      'Plan holiday',
      'Weekly review',
    ]);
    expect(await titles('sort=-title')).toEqual([
      'Weekly review',
      'Plan holiday',
      'Overdue invoice',
      'Dentist appointment',
      'alpha undated',
    ]);
    expect(await titles('sort=created')).toEqual([
      'Overdue invoice',
      'Dentist appointment',
      'Plan holiday',
      'alpha undated',
      'Weekly review',
    ]);
    expect((await titles('sort=-due'))[4]).toBe('alpha undated');
    expect(await titles('sort=-updated')).toHaveLength(5);
  });

  it('pages with a cursor without gaps or repeats, also while tasks are being added', async () => {
    const seen: string[] = [];
    let page = await list('limit=2&sort=created');
    seen.push(...page.items.map((i) => i.id));
    let inserted = 0;
    while (page.nextCursor) {
      // A concurrent insert between pages sorts after everything seen so far and must not disturb them.
      await t.server.inject({
        method: 'POST',
        url: '/api/v1/tasks',
        headers: t.auth,
        payload: { title: `late ${inserted++}` },
      });
      page = await list(`limit=2&sort=created&cursor=${page.nextCursor}`);
      seen.push(...page.items.map((i) => i.id));
    }
    expect(new Set(seen).size).toBe(seen.length);
    const all = await list('limit=200&sort=created');
    expect(seen).toEqual(all.items.map((i) => i.id));
  });

  // Well-formed cursors the API did not issue for this list: 422 (a malformed one is a 400 from the schema).
  it('rejects a cursor from another sort or a forged one', async () => {
    const page = await list('limit=1&sort=due');
    const res = await t.server.inject({
      url: `/api/v1/tasks?sort=title&cursor=${page.nextCursor}`,
      headers: t.auth,
    });
    expect(res.statusCode).toBe(422);
    expect(problemOf(res).errors?.[0]?.path).toBe('cursor');
    const forged = Buffer.from(
      JSON.stringify({ s: 'due', v: "'); DROP TABLE tasks; --", i: '00000000-0000-0000-0000-000000000000' }),
    ).toString('base64url');
    const res2 = await t.server.inject({ url: `/api/v1/tasks?cursor=${forged}`, headers: t.auth });
    expect(res2.statusCode).toBe(422);
  });
});
