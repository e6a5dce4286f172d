import type { Task } from '@todo/contract';
import { generateKeyBetween } from 'fractional-indexing';
import { describe, expect, it } from 'vitest';
import { MAX_ORDER_KEY_LENGTH } from '../../src/tasks/order-keys.js';
import { createTask, eventTypesOf, onTask } from '../support/task-requests.js';
import { problemOf, STORAGES, useTestApp } from '../support/test-app.js';

describe.each(STORAGES)('manual order and moves on %s', (storage) => {
  const t = useTestApp(storage);
  const as = () => onTask(t, t.auth);

  /** A parent with children named `${name} 1…n`, in that order; returns the parent and the children. */
  async function list(name: string, n: number): Promise<{ parent: Task; children: Task[] }> {
    const parent = await createTask(t, t.auth, { title: name });
    const children: Task[] = [];
    for (let i = 1; i <= n; i++) {
      children.push(await createTask(t, t.auth, { title: `${name} ${i}`, parentId: parent.id }));
    }
    return { parent, children };
  }
  const manual = (parent: Task) => as().titles(`parentId=${parent.id}&sort=manual&limit=200`);
  const move = async (task: Task, body: object) => {
    const res = await as().move(task.id, body);
    if (res.statusCode !== 200) throw new Error(`move → ${res.statusCode} ${res.body}`);
    return res.json() as Task;
  };

  it('lists new tasks last among their siblings with sort=manual, and pages through that order', async () => {
    const { parent, children } = await list('groceries', 5);
    expect(await manual(parent)).toEqual(children.map((c) => c.title));
    expect(await as().titles(`parentId=${parent.id}&sort=-manual`)).toEqual(
      children.map((c) => c.title).reverse(),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/tasks?parentId=${parent.id}&sort=manual&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.server.inject({ url, headers: t.auth })).json();
      seen.push(...page.items.map((x: Task) => x.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(children.map((c) => c.title));
  });

  it('moves a task after, before and between siblings, or last; each move writes one row and one event', async () => {
    const { parent, children } = await list('chores', 4);
    const [c1, c2, c3, c4] = children as [Task, Task, Task, Task];
    const moved = await move(c4, { after: c1.id });
    expect(moved).toMatchObject({ version: 2, parentId: parent.id });
    expect(moved.order > c1.order && moved.order < c2.order).toBe(true);
    expect(await manual(parent)).toEqual(['chores 1', 'chores 4', 'chores 2', 'chores 3']);
    await move(c1, { before: c3.id });
    expect(await manual(parent)).toEqual(['chores 4', 'chores 2', 'chores 1', 'chores 3']);
    await move(c3, { after: c4.id, before: c2.id });
    expect(await manual(parent)).toEqual(['chores 4', 'chores 3', 'chores 2', 'chores 1']);
    await move(c4, {});
    expect(await manual(parent)).toEqual(['chores 3', 'chores 2', 'chores 1', 'chores 4']);
    expect(await eventTypesOf(t, c3.id)).toEqual(['todo.task.created', 'todo.task.updated']);
    const { rows } = await t.db.query<{ changed: string[] }>(
      `SELECT event->'data'->'changedFields' AS changed FROM outbox_log WHERE key = $1 AND event->>'type' = 'todo.task.updated'`,
      [c3.id],
    );
    expect(rows[0]?.changed).toEqual(['order']);
  });

  it('writes nothing when a task is moved to where it already is', async () => {
    const { children } = await list('noop', 3);
    const res = await as().move(children[1]!.id, { after: children[0]!.id });
    expect(res.json()).toMatchObject({ version: 1, order: children[1]!.order });
    expect(await eventTypesOf(t, children[1]!.id)).toEqual(['todo.task.created']);
  });

  it('moves a task to another parent or the top level, its subtree with it, and lists it there', async () => {
    const a = await list('box a', 2);
    const b = await list('box b', 2);
    const grandchild = await createTask(t, t.auth, { title: 'box a 1 inside', parentId: a.children[0]!.id });
    await move(a.children[0]!, { parentId: b.parent.id, before: b.children[0]!.id });
    expect(await manual(b.parent)).toEqual(['box a 1', 'box b 1', 'box b 2']);
    expect(await manual(a.parent)).toEqual(['box a 2']);
    expect((await as().get(grandchild.id)).json().parentId).toBe(a.children[0]!.id);
    const top = await move(a.children[0]!, { parentId: null });
    expect(top.parentId).toBeNull();
    expect(await as().titles('parentId=none&sort=manual&q=box')).toEqual(['box a', 'box b', 'box a 1']);
  });

  it('keeps keys valid and ordered through many moves into the same gap', async () => {
    const { parent, children } = await list('gap', 4);
    const [first, last, ...movers] = [children[0]!, children[3]!, children[1]!, children[2]!];
    await move(last, {});
    const expected = ['gap 1'];
    // Each move lands right after `first`, in front of the one moved before it: the gap halves every time.
    for (let i = 0; i < 120; i++) {
      const mover = movers[i % 2]!;
      await move(mover, { after: first.id });
    }
    expected.push(movers[1]!.title, movers[0]!.title, last.title);
    expect(await manual(parent)).toEqual(expected);
    const { rows } = await t.db.query<{ sort_order: string }>(
      'SELECT sort_order FROM tasks WHERE parent_id = $1 ORDER BY sort_order',
      [parent.id],
    );
    const keys = rows.map((r) => r.sort_order);
    expect(new Set(keys).size).toBe(keys.length);
    for (let i = 1; i < keys.length; i++)
      expect(() => generateKeyBetween(keys[i - 1], keys[i])).not.toThrow();
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThan(60);
  });

  const keysUnder = async (parent: Task) =>
    (
      await t.db.query<{ title: string; sort_order: string }>(
        'SELECT title, sort_order FROM tasks WHERE parent_id = $1 ORDER BY sort_order, id',
        [parent.id],
      )
    ).rows;

  it('re-keys the siblings around a gap that has grown too long: 2,000 moves keep every key short and the order right', async () => {
    const { parent, children } = await list('long gap', 5);
    const [first, x, y, ...rest] = children as [Task, Task, Task, ...Task[]];
    // x and y take turns moving right after `first`: the gap between first and the other halves each time.
    for (let i = 0; i < 2000; i++) await move(i % 2 === 0 ? y : x, { after: first.id });
    const rows = await keysUnder(parent);
    expect(Math.max(...rows.map((r) => r.sort_order.length))).toBeLessThanOrEqual(MAX_ORDER_KEY_LENGTH);
    expect(new Set(rows.map((r) => r.sort_order)).size).toBe(rows.length);
    // The last move put x right after first, before y.
    const expected = [first.title, x.title, y.title, ...rest.map((c) => c.title)];
    expect(rows.map((r) => r.title)).toEqual(expected);
    expect(await manual(parent)).toEqual(expected);
    // Re-keying happened (keys would be ~330 characters long otherwise), each re-keyed task an update too.
    const moves = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_log WHERE key = ANY($1::text[]) AND event->>'type' = 'todo.task.updated'`,
      [[x.id, y.id]],
    );
    expect(moves.rows[0]!.n).toBeGreaterThan(2000);
    // A list cursor over the long-used gap still pages.
    const page = (
      await t.server.inject({
        url: `/api/v1/tasks?parentId=${parent.id}&sort=manual&limit=2`,
        headers: t.auth,
      })
    ).json();
    expect(page.nextCursor).not.toBeNull();
  }, 240_000);

  it('keeps concurrent moves into a long-used gap consistent: distinct short keys, every task once', async () => {
    const { parent, children } = await list('busy gap', 8);
    const [first, x, y, ...movers] = children as [Task, Task, Task, ...Task[]];
    for (let i = 0; i < 400; i++) await move(i % 2 === 0 ? y : x, { after: first.id });
    for (let round = 0; round < 20; round++) {
      const results = await Promise.all(
        [x, y, ...movers].map((m, i) => as().move(m.id, i % 2 ? { after: first.id } : { before: x.id })),
      );
      for (const r of results) expect([200, 422]).toContain(r.statusCode);
    }
    const rows = await keysUnder(parent);
    expect(rows).toHaveLength(children.length);
    expect(new Set(rows.map((r) => r.sort_order)).size).toBe(rows.length);
    expect(Math.max(...rows.map((r) => r.sort_order.length))).toBeLessThanOrEqual(MAX_ORDER_KEY_LENGTH);
    expect(await manual(parent)).toEqual(rows.map((r) => r.title));
    expect([...rows.map((r) => r.title)].sort()).toEqual(children.map((c) => c.title).sort());
  }, 240_000);

  it('gives parallel moves of siblings into one gap distinct keys, one event each', async () => {
    const { parent, children } = await list('race', 6);
    // Every mover is away from the gap (task 2 stays in it), so each move is a real change.
    const [anchor, , ...movers] = children as [Task, Task, ...Task[]];
    const results = await Promise.all(movers.map((m) => as().move(m.id, { after: anchor.id })));
    expect(results.map((r) => r.statusCode)).toEqual(movers.map(() => 200));
    const keys = results.map((r) => (r.json() as Task).order);
    expect(new Set(keys).size).toBe(keys.length);
    const order = await manual(parent);
    expect(order[0]).toBe(anchor.title);
    expect([...order].sort()).toEqual(children.map((c) => c.title).sort());
    for (const m of movers)
      expect(await eventTypesOf(t, m.id)).toEqual(['todo.task.created', 'todo.task.updated']);
  });

  it('keeps both a move and an edit that race: no lost update, one event per change', async () => {
    for (let round = 0; round < 4; round++) {
      const { parent, children } = await list(`edit race ${round}`, 3);
      const [c1, , c3] = children as [Task, Task, Task];
      const [moved, edited] = await Promise.all([
        as().move(c3.id, { after: c1.id }),
        t.server.inject({
          method: 'PATCH',
          url: `/api/v1/tasks/${c3.id}`,
          headers: t.auth,
          payload: { title: `edited ${round}`, priority: 'high' },
        }),
      ]);
      expect([moved.statusCode, edited.statusCode]).toEqual([200, 200]);
      const stored = (await as().get(c3.id)).json() as Task;
      expect(stored).toMatchObject({ title: `edited ${round}`, priority: 'high', version: 3 });
      expect((await manual(parent))[1]).toBe(`edited ${round}`);
      expect((await eventTypesOf(t, c3.id)).sort()).toEqual(
        ['todo.task.created', 'todo.task.updated', 'todo.task.updated'].sort(),
      );
    }
  });

  it('lets only one of two crossing moves win, so no cycle can form', async () => {
    for (let round = 0; round < 4; round++) {
      const a = await createTask(t, t.auth, { title: `cross a ${round}` });
      const b = await createTask(t, t.auth, { title: `cross b ${round}` });
      const results = await Promise.all([
        as().move(a.id, { parentId: b.id }),
        as().move(b.id, { parentId: a.id }),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 422]);
      const parents = [(await as().get(a.id)).json().parentId, (await as().get(b.id)).json().parentId];
      expect(parents.filter((p) => p !== null)).toHaveLength(1);
    }
  });

  it('never leaves a task under a parent that a racing delete put in the Trash', async () => {
    for (let round = 0; round < 4; round++) {
      const parent = await createTask(t, t.auth, { title: `doomed ${round}` });
      const task = await createTask(t, t.auth, { title: `mover ${round}` });
      const [moved] = await Promise.all([as().move(task.id, { parentId: parent.id }), as().trash(parent.id)]);
      const now = await as().get(task.id);
      if (moved.statusCode === 200) expect(now.statusCode).toBe(404);
      else expect(now.json()).toMatchObject({ parentId: null });
    }
  });

  it('moves only an unchanged task when If-Match is sent (412 otherwise, nothing written)', async () => {
    const { children } = await list('guarded', 2);
    const stale = await as().move(children[1]!.id, { before: children[0]!.id }, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(412);
    expect(await eventTypesOf(t, children[1]!.id)).toEqual(['todo.task.created']);
    const fresh = await as().move(children[1]!.id, { before: children[0]!.id }, { 'if-match': '"1"' });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers.etag).toBe('"2"');
    const bad = await as().move(children[1]!.id, {}, { 'if-match': 'not a tag' });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses malformed, hostile, oversized and out-of-range moves, and another user’s tasks', async () => {
    const { children } = await list('guard', 3);
    const [c1, c2] = children as [Task, Task];
    const other = await createTask(t, t.auth, { title: 'elsewhere' });
    const mallory = await t.user();
    const theirs = await createTask(t, mallory.auth, { title: 'theirs' });
    const url = `/api/v1/tasks/${c1.id}/move`;
    const raw = (payload: string, contentType = 'application/json') =>
      t.server.inject({ method: 'POST', url, headers: { ...t.auth, 'content-type': contentType }, payload });
    const cases: [
      string,
      Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>,
      number,
      string?,
    ][] = [
      ['malformed JSON', raw('{"after": '), 400],
      ['an array', raw('[]'), 400],
      ['a string', raw('"after"'), 400],
      ['an unknown field', as().move(c1.id, { position: 3 }), 400],
      ['parentId not a UUID', as().move(c1.id, { parentId: "1' OR '1'='1" }), 400, 'parentId'],
      ['after not a UUID', as().move(c1.id, { after: 42 }), 400, 'after'],
      ['before of 10,000 characters', as().move(c1.id, { before: 'x'.repeat(10_000) }), 400, 'before'],
      ['a body over 1 MiB', raw(JSON.stringify({ after: c2.id, pad: 'x'.repeat(1_100_000) })), 413],
      ['form data', raw('after=x', 'application/x-www-form-urlencoded'), 415],
      ['the task itself as a neighbour', as().move(c1.id, { after: c1.id }), 422, 'after'],
      ['a neighbour under another parent', as().move(c1.id, { before: other.id }), 422, 'before'],
      ['a neighbour of another user', as().move(c1.id, { after: theirs.id }), 422, 'after'],
      ['a parent of another user', as().move(c1.id, { parentId: theirs.id }), 422, 'parentId'],
      [
        'after that comes after before',
        as().move(c1.id, { after: children[2]!.id, before: c2.id }),
        422,
        'before',
      ],
      ['another user’s task', onTask(t, mallory.auth).move(c1.id, { after: c2.id }), 404],
      ['an unknown task', as().move('00000000-0000-4000-8000-000000000000', {}), 404],
      [
        'a path id that is not a UUID',
        t.server.inject({
          method: 'POST',
          url: '/api/v1/tasks/..%2F..%2Fetc/move',
          headers: t.auth,
          payload: {},
        }),
        400,
      ],
    ];
    for (const [name, request, status, path] of cases) {
      const res = await request;
      expect(res.statusCode, name).toBe(status);
      const problem = problemOf(res as Parameters<typeof problemOf>[0]);
      if (path)
        expect(
          problem.errors?.map((e) => e.path),
          name,
        ).toContain(path);
    }
    expect((await as().get(c1.id)).json()).toMatchObject({ version: 1, order: c1.order });
    expect(await eventTypesOf(t, c1.id)).toEqual(['todo.task.created']);
    expect((await onTask(t, mallory.auth).get(theirs.id)).json().version).toBe(1);
  });
});
